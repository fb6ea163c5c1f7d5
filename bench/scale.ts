/**
 * Tandem at a million loops (issue 15): does a big store cost more per request than an empty one?
 *
 *   npm run bench -- scale [--loops=1000000] [--seconds=20] [--dialects=sqlite,postgres]
 *
 * Per dialect, two stores in the same run: an empty one (the baseline) and one filled with
 * `--loops` loops on one flow definition (direct INSERT … SELECT for the fill: 70% Completed,
 * 10% each InProgress/Failed/Stopped, one every 2.5 s; an open slot per InProgress loop). Each is served by a real Tandem in its own
 * child process (bench/support/tandem-server-process.ts); every measured call goes over HTTP,
 * signed by the AWS SDK clients. Measured on both stores:
 * - ListHumanLoops: the first page and pages at depth 10k, 100k and 900k (a NextToken made with
 *   the server's own token key), p50/p99. Target p99 < 10 ms at every depth.
 * - DescribeHumanLoop of random loops, p50/p99.
 * - Portal next task and answer over HTTP as a signed-in reviewer, p50/p99 (the big store holds an
 *   open review slot for each of its InProgress loops, 10% of them).
 * - StartHumanLoop: loops/s at concurrency 8 for `--seconds`; ratio big ÷ empty (target ≥ 0.9).
 * - Stalls: a DescribeHumanLoop every 10 ms for `--seconds` while idle, then while the starts
 *   run; the slowest answer is the longest stall the server showed a client (target < 20 ms).
 * - Bytes per loop (database size ÷ loops), server RSS, cold start (process start to listening).
 */
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DescribeHumanLoopCommand, ListHumanLoopsCommand, SageMakerA2IRuntimeClient, StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { sql } from 'kysely';
import { encodePageToken } from '../src/api/aws/pagination.js';
import { loadMasterKey, SecretBox } from '../src/security/secret-box.js';
import { openStore } from '../src/store/database.js';
import { createBenchDatabase, postgresServerUrl, postgresUnavailableReason, type BenchDatabase, type BenchDialect } from './support/databases.js';
import { LatencySamples, round, type LatencySummary } from './support/latency.js';
import { machineInfo, sourceState, writeResults } from './support/results.js';
import { BENCH_CREDENTIALS, startTandemServer } from './support/servers.js';
import { benchClients, createSdkFlow } from './support/sdk-flow.js';
import type { ChildServer } from './support/child-server.js';
import { formatMs, formatRatio, formatTable } from './support/table.js';
import { createSdkSigner, signWithSdk } from './support/sigv4-signing.js';

const { values: flags } = parseArgs({
  options: {
    loops: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '20' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
  },
});
const LOOPS = Number(flags.loops);
const SECONDS = Number(flags.seconds);
const FLOW = 'scale';
const ACCOUNT = BENCH_CREDENTIALS.accountId;
const START = Date.parse('2026-01-01T00:00:00Z');
const STEP_MS = 2500;
const TEAM = 'scale-team';
const FAR_FUTURE = Date.parse('2100-01-01T00:00:00Z');
const WORKER = { email: 'reviewer@example.com', password: 'a long bench password 0123' };
const PORTAL_REPEAT = 200;
const DEPTHS = [10_000, 100_000, 900_000].filter((d) => d < LOOPS);
const ROOT = join(import.meta.dirname, '..');
const say = (line = '') => process.stdout.write(`${line}\n`);

interface StoreFigures {
  store: 'empty' | 'big';
  loops: number;
  coldStartMs: number;
  listFirst: LatencySummary;
  listDeep: Array<{ depth: number } & LatencySummary>;
  describe: LatencySummary;
  portalNext: LatencySummary;
  portalAnswer: LatencySummary;
  startsPerSecond: number;
  stallIdle: LatencySummary;
  stallUnderLoad: LatencySummary;
  rssMb: number;
  bytesPerLoop: number | undefined;
}

/** The fill: rows shaped as StartHumanLoop writes them, and one open review slot per InProgress loop. */
async function fill(database: BenchDatabase, flowArn: string): Promise<void> {
  const store = await openStore({ databaseUrl: database.databaseUrl, sqliteFile: join(database.dataDir, 'tandem.db') });
  const loopArn = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:human-loop/`;
  try {
    if (store.dialect === 'postgres') {
      await sql`insert into human_loops (id, account_id, name, arn, flow_definition_name, flow_definition_arn, status, input_content, input_sha256, content_classifiers, created_at)
        select 'f' || lpad(i::text, 15, '0'), ${ACCOUNT}, 'loop-' || lpad(i::text, 7, '0'), ${loopArn} || 'loop-' || lpad(i::text, 7, '0'),
          ${FLOW}, ${flowArn},
          case i % 10 when 0 then 'Failed' when 1 then 'Stopped' when 2 then 'InProgress' else 'Completed' end,
          '{"text":"a sentence a reviewer reads, about as long as the ones people send"}', md5(i::text), '[]', ${START}::bigint + i::bigint * ${STEP_MS}
        from generate_series(1, ${LOOPS}) as i`.execute(store.db);
      await sql`insert into tasks (id, account_id, human_loop_id, workteam_name, slot, status, time_limit_seconds, available_until, created_at)
        select 't' || substr(id, 2), account_id, id, ${TEAM}, 0, 'open', 3600, ${FAR_FUTURE}::bigint, created_at
        from human_loops where status = 'InProgress' and flow_definition_name = ${FLOW}`.execute(store.db);
      await sql`analyze`.execute(store.db);
    } else {
      await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${LOOPS})
        insert into human_loops (id, account_id, name, arn, flow_definition_name, flow_definition_arn, status, input_content, input_sha256, content_classifiers, created_at)
        select printf('f%015d', i), ${ACCOUNT}, printf('loop-%07d', i), ${loopArn} || printf('loop-%07d', i),
          ${FLOW}, ${flowArn},
          case i % 10 when 0 then 'Failed' when 1 then 'Stopped' when 2 then 'InProgress' else 'Completed' end,
          '{"text":"a sentence a reviewer reads, about as long as the ones people send"}', hex(randomblob(16)), '[]', ${START} + i * ${STEP_MS}
        from n`.execute(store.db);
      await sql`insert into tasks (id, account_id, human_loop_id, workteam_name, slot, status, time_limit_seconds, available_until, created_at)
        select 't' || substr(id, 2), account_id, id, ${TEAM}, 0, 'open', 3600, ${FAR_FUTURE}, created_at
        from human_loops where status = 'InProgress' and flow_definition_name = ${FLOW}`.execute(store.db);
      await sql`analyze`.execute(store.db);
    }
  } finally {
    await store.close();
  }
}

async function bytesOf(database: BenchDatabase): Promise<number> {
  if (!database.databaseUrl) {
    const file = join(database.dataDir, 'tandem.db');
    const wal = statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    return statSync(file).size + wal;
  }
  const store = await openStore({ databaseUrl: database.databaseUrl, sqliteFile: '' });
  try {
    const { rows } = await sql<{ bytes: string }>`select pg_database_size(current_database()) as bytes`.execute(store.db);
    return Number(rows[0]!.bytes);
  } finally {
    await store.close();
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return round(kb / 1024, 1);
}

async function timed(samples: LatencySamples, call: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await call();
  samples.add(performance.now() - started);
}

/** A DescribeHumanLoop every 10 ms for `seconds`: the slowest answer is the longest stall seen. */
async function probeStalls(a2i: SageMakerA2IRuntimeClient, name: string, seconds: number): Promise<LatencySummary> {
  const samples = new LatencySamples();
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    await timed(samples, () => a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: name })));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return samples.summary();
}

/** StartHumanLoop at concurrency 8 until `stop()` resolves; loops started. */
async function startLoad(a2i: SageMakerA2IRuntimeClient, flowArn: string, prefix: string, done: Promise<void>): Promise<number> {
  let started = 0;
  let stopped = false;
  void done.then(() => (stopped = true));
  await Promise.all(
    Array.from({ length: 8 }, async (_, worker) => {
      for (let i = 0; !stopped; i++) {
        await a2i.send(
          new StartHumanLoopCommand({
            HumanLoopName: `${prefix}-${worker}-${i}`,
            FlowDefinitionArn: flowArn,
            HumanLoopInput: { InputContent: JSON.stringify({ text: `started under load ${worker} ${i}` }) },
          }),
        );
        started += 1;
      }
    }),
  );
  return started;
}

/** A reviewer of the team, added through the signed admin API. */
async function addReviewer(url: string): Promise<void> {
  const body = JSON.stringify({ email: WORKER.email, teams: [TEAM], password: WORKER.password });
  const signed = await signWithSdk(createSdkSigner(BENCH_CREDENTIALS), { host: new URL(url).host, path: '/admin/workers', body });
  const response = await fetch(`${url}/admin/workers`, { method: 'POST', headers: signed.headers, body });
  if (response.status !== 201) throw new Error(`adding the reviewer: ${response.status} ${await response.text()}`);
}

/** The reviewer's portal session: sign in as the browser does, then read the page's CSRF token. */
async function portalSession(url: string): Promise<{ cookie: string; csrf: string }> {
  const signIn = await fetch(`${url}/portal/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: WORKER.email, password: WORKER.password }).toString(),
  });
  const cookie = signIn.headers.getSetCookie().find((c) => c.startsWith('tandem_session='))?.split(';')[0];
  if (signIn.status !== 303 || !cookie) throw new Error(`portal sign-in: ${signIn.status}`);
  const page = await (await fetch(`${url}/portal/work`, { headers: { cookie } })).text();
  const csrf = /<meta name="tandem-csrf-token" content="([^"]+)">/.exec(page)?.[1];
  if (!csrf) throw new Error('portal page without a CSRF token');
  return { cookie, csrf };
}

/** Portal next-task and answer over HTTP, `repeat` times: what a reviewer's Submit → next costs the server. */
async function measurePortal(url: string, repeat: number): Promise<{ next: LatencySummary; answer: LatencySummary }> {
  const { cookie, csrf } = await portalSession(url);
  const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
  const next = new LatencySamples();
  const answer = new LatencySamples();
  for (let i = 0; i < repeat; i++) {
    let started = performance.now();
    const claimed = (await (await fetch(`${url}/portal/api/tasks/next`, { method: 'POST', headers, body: '{}' })).json()) as { task: { taskId: string } | null };
    next.add(performance.now() - started);
    if (!claimed.task) throw new Error(`portal: no task to claim after ${i} answers`);
    started = performance.now();
    const saved = await fetch(`${url}/portal/api/tasks/${claimed.task.taskId}/answer`, { method: 'POST', headers, body: JSON.stringify({ answer: { note: `answer ${i}` } }) });
    answer.add(performance.now() - started);
    if (saved.status !== 200) throw new Error(`portal answer: ${saved.status} ${await saved.text()}`);
  }
  return { next: next.summary(), answer: answer.summary() };
}

async function measureStore(dialect: BenchDialect, serverUrl: string | undefined, big: boolean): Promise<StoreFigures> {
  const database = await createBenchDatabase(dialect, serverUrl);
  let server: ChildServer | undefined;
  try {
    // First start: migrations, the account and its key; the flow through the real API.
    server = await startTandemServer({ dataDir: database.dataDir, databaseUrl: database.databaseUrl, credentials: BENCH_CREDENTIALS });
    const flowArn = await createSdkFlow(benchClients(server.url).sagemaker, FLOW);
    await addReviewer(server.url);
    await server.stop();
    server = undefined;
    if (big) {
      const t = performance.now();
      await fill(database, flowArn);
      say(`  ${dialect}: ${LOOPS.toLocaleString('en')} loops written in ${round((performance.now() - t) / 1000, 1)} s`);
    }
    const startedAt = performance.now();
    server = await startTandemServer({ dataDir: database.dataDir, databaseUrl: database.databaseUrl, credentials: BENCH_CREDENTIALS });
    const coldStartMs = round(performance.now() - startedAt, 0);
    const { a2i } = benchClients(server.url);
    // One loop started through the API, so the empty store has something to describe too.
    await a2i.send(new StartHumanLoopCommand({ HumanLoopName: 'probe', FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: '{"text":"probe"}' } }));

    const repeat = 200;
    const listFirst = new LatencySamples();
    for (let i = 0; i < repeat; i++) await timed(listFirst, () => a2i.send(new ListHumanLoopsCommand({ FlowDefinitionArn: flowArn, MaxResults: 100 })));
    const box = new SecretBox(loadMasterKey(undefined, join(database.dataDir, 'master.key')));
    const query = `ListHumanLoops|${ACCOUNT}|${FLOW}|||desc`;
    const listDeep: StoreFigures['listDeep'] = [];
    for (const depth of big ? DEPTHS : []) {
      // The row at `depth` in newest-first order is loop LOOPS - depth (ids and times follow i).
      const i = LOOPS - depth;
      const NextToken = encodePageToken(box, query, { after: START + i * STEP_MS, afterId: `f${String(i).padStart(15, '0')}` });
      const samples = new LatencySamples();
      for (let n = 0; n < repeat; n++) {
        await timed(samples, async () => {
          const page = await a2i.send(new ListHumanLoopsCommand({ FlowDefinitionArn: flowArn, MaxResults: 100, NextToken }));
          if (page.HumanLoopSummaries?.[0]?.HumanLoopName !== `loop-${String(i - 1).padStart(7, '0')}`) throw new Error(`depth ${depth}: wrong page`);
        });
      }
      listDeep.push({ depth, ...samples.summary() });
    }
    const describe = new LatencySamples();
    for (let n = 0; n < 1000; n++) {
      const name = big ? `loop-${String(1 + Math.floor(Math.random() * LOOPS)).padStart(7, '0')}` : 'probe';
      await timed(describe, () => a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: name })));
    }

    // The empty store's reviewer needs tasks too: as many loops as answers to give, and no more.
    if (!big) {
      for (let n = 0; n < PORTAL_REPEAT; n++) {
        await a2i.send(new StartHumanLoopCommand({ HumanLoopName: `portal-${n}`, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: '{"text":"portal"}' } }));
      }
    }
    const portal = await measurePortal(server.url, PORTAL_REPEAT);

    const stallIdle = await probeStalls(a2i, 'probe', SECONDS);
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const loadStarted = performance.now();
    const load = startLoad(a2i, flowArn, 'load', done);
    const stallUnderLoad = await probeStalls(a2i, 'probe', SECONDS);
    finish();
    const started = await load;
    const startsPerSecond = round(started / ((performance.now() - loadStarted) / 1000), 0);
    const rss = rssMb(server.pid);
    await server.stop();
    server = undefined;
    const bytes = await bytesOf(database);
    return {
      store: big ? 'big' : 'empty',
      loops: big ? LOOPS : 1,
      coldStartMs,
      listFirst: listFirst.summary(),
      listDeep,
      describe: describe.summary(),
      portalNext: portal.next,
      portalAnswer: portal.answer,
      startsPerSecond,
      stallIdle,
      stallUnderLoad,
      rssMb: rss,
      bytesPerLoop: big ? round(bytes / LOOPS, 0) : undefined,
    };
  } finally {
    await server?.stop();
    await database.drop();
  }
}

async function measure(dialect: BenchDialect, serverUrl: string | undefined) {
  say(`${dialect}:`);
  const empty = await measureStore(dialect, serverUrl, false);
  const big = await measureStore(dialect, serverUrl, true);
  const rows = [
    ['ListHumanLoops first page', empty.listFirst, big.listFirst],
    ...big.listDeep.map((d) => [`ListHumanLoops at depth ${d.depth.toLocaleString('en')}`, empty.listFirst, d] as const),
    ['DescribeHumanLoop', empty.describe, big.describe],
    ['portal next task', empty.portalNext, big.portalNext],
    ['portal answer', empty.portalAnswer, big.portalAnswer],
    ['longest answer, idle (stall)', empty.stallIdle, big.stallIdle],
    ['longest answer, under starts', empty.stallUnderLoad, big.stallUnderLoad],
  ] as const;
  say(
    formatTable(
      ['measure', 'empty p50', 'empty p99', 'big p50', 'big p99', 'big max', 'big ÷ empty p50'],
      rows.map(([name, e, b]) => [name, formatMs(e.p50Ms), formatMs(e.p99Ms), formatMs(b.p50Ms), formatMs(b.p99Ms), formatMs(b.maxMs), formatRatio(b.p50Ms / e.p50Ms)]),
    ),
  );
  const startRatio = round(big.startsPerSecond / empty.startsPerSecond, 2);
  say(`  StartHumanLoop: empty ${empty.startsPerSecond}/s, big ${big.startsPerSecond}/s → ${startRatio}× (target ≥ 0.9)`);
  say(`  bytes per loop ${big.bytesPerLoop}, RSS empty ${empty.rssMb} MB / big ${big.rssMb} MB, cold start empty ${empty.coldStartMs} ms / big ${big.coldStartMs} ms`);
  return { dialect, empty, big, startRatio };
}

say(`scale: ${LOOPS.toLocaleString('en')} loops, ${SECONDS} s per timed phase, load ${os.loadavg()[0]!.toFixed(2)}`);
const results = [];
const wanted = flags.dialects.split(',') as BenchDialect[];
if (wanted.includes('sqlite')) results.push(await measure('sqlite', undefined));
if (wanted.includes('postgres')) {
  const url = postgresServerUrl();
  const reason = await postgresUnavailableReason(url);
  if (reason) say(`PostgreSQL skipped: ${reason}`);
  else results.push(await measure('postgres', url));
}
const files = await writeResults('scale', {
  machine: machineInfo(),
  source: await sourceState(ROOT),
  loadAverageAtEnd: os.loadavg(),
  loops: LOOPS,
  secondsPerPhase: SECONDS,
  results,
});
say(`wrote ${files.join(', ')}`);
