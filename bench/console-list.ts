/**
 * The console's human-loop list at 1M loops (issue 12): server time for a page, first and deep,
 * with filters, on SQLite and PostgreSQL. **Target: < 100 ms per page at 1M loops.**
 *
 *   npm run bench -- console-list [--loops=1000000] [--requests=40] [--dialects=sqlite,postgres]
 *
 * At 1M loops the PostgreSQL seed alone takes minutes on a busy 2-core machine; the committed
 * result is `--loops=200000 --requests=20` (~35 s per dialect). Deep pages and the name-prefix
 * case scale with `--loops`.
 *
 * Loops are inserted in one statement (20 flow definitions, statuses 70% Completed, 10% each
 * InProgress/Failed/Stopped, one every 2.5 s over ~29 days). Each case is `--requests` GETs of
 * the page through the real server (`buildServer`, `app.inject`, a signed-in admin): session,
 * guard, query and HTML, without a socket. Baseline: the audit-log page (same session, guard and
 * layout, an indexed query on an empty table), measured in the same run; ratios are page ÷ baseline.
 */
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pino from 'pino';
import { buildServer } from '../src/api/server.js';
import { encodeCursor } from '../src/api/console/loops.js';
import { loadConfig } from '../src/config.js';
import { addAdmin } from '../src/operations/admins.js';
import type { Resources } from '../src/resources.js';
import { SecretBox } from '../src/security/secret-box.js';
import { ensureAccount } from '../src/store/accounts.js';
import { openStore } from '../src/store/database.js';
import { createBenchDatabase, postgresServerUrl, postgresUnavailableReason, type BenchDialect } from './support/databases.js';
import { LatencySamples, round } from './support/latency.js';
import { machineInfo, sourceState, writeResults } from './support/results.js';
import { formatMs, formatRatio, formatTable } from './support/table.js';

const { values: flags } = parseArgs({
  options: {
    loops: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '40' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
  },
});
const LOOPS = Number(flags.loops);
const REQUESTS = Number(flags.requests);
const ACCOUNT = '111122223333';
const START = Date.parse('2026-11-01T00:00:00Z');
const STEP_MS = 2500;
const PASSWORD = 'bench admin password';
const ROOT = join(import.meta.dirname, '..');
const say = (line = '') => process.stdout.write(`${line}\n`);

async function seed(resources: Resources): Promise<void> {
  const db = resources.store.db;
  const arn = `arn:aws:sagemaker:us-east-1:${ACCOUNT}`;
  if (resources.store.dialect === 'postgres') {
    await sql`insert into human_loops (id, account_id, name, arn, flow_definition_name, flow_definition_arn, status, input_content, input_sha256, content_classifiers, created_at)
      select lpad(i::text, 12, '0'), ${ACCOUNT}, 'loop-' || lpad(i::text, 7, '0'), ${arn} || ':human-loop/loop-' || lpad(i::text, 7, '0'),
        'flow-' || (i % 20), ${arn} || ':flow-definition/flow-' || (i % 20),
        case i % 10 when 0 then 'Failed' when 1 then 'Stopped' when 2 then 'InProgress' else 'Completed' end,
        '{"text":"bench"}', 'x', '[]', ${START}::bigint + i::bigint * ${STEP_MS}
      from generate_series(1, ${LOOPS}) as i`.execute(db);
    await sql`analyze human_loops`.execute(db);
  } else {
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${LOOPS})
      insert into human_loops (id, account_id, name, arn, flow_definition_name, flow_definition_arn, status, input_content, input_sha256, content_classifiers, created_at)
      select printf('%012d', i), ${ACCOUNT}, printf('loop-%07d', i), ${arn} || printf(':human-loop/loop-%07d', i),
        'flow-' || (i % 20), ${arn} || ':flow-definition/flow-' || (i % 20),
        case i % 10 when 0 then 'Failed' when 1 then 'Stopped' when 2 then 'InProgress' else 'Completed' end,
        '{"text":"bench"}', 'x', '[]', ${START} + i * ${STEP_MS}
      from n`.execute(db);
    await sql`analyze`.execute(db);
  }
}

/** How many of loop-0000001 … loop-{LOOPS} start with `prefix`. */
function countPrefix(prefix: string): number {
  let n = 0;
  for (let i = 1; i <= LOOPS; i++) if (`loop-${String(i).padStart(7, '0')}`.startsWith(prefix)) n++;
  return n;
}

/** The cursor of the row at `offset` in the unfiltered newest-first order (a deep page). */
function cursorAt(offset: number): string {
  const i = LOOPS - offset;
  return encodeCursor({ createdAt: START + i * STEP_MS, id: String(i).padStart(12, '0') });
}

async function measure(dialect: BenchDialect, serverUrl: string | undefined) {
  const database = await createBenchDatabase(dialect, serverUrl);
  const store = await openStore({ databaseUrl: database.databaseUrl, sqliteFile: join(database.dataDir, 'tandem.db') });
  const config = { ...loadConfig({}, {}, database.dataDir), dataDir: database.dataDir, databaseUrl: database.databaseUrl, accountId: ACCOUNT, logLevel: 'silent' as const };
  const resources: Resources = { config, store, clock: { now: () => Date.now() }, secrets: new SecretBox(Buffer.alloc(32, 7)), logger: pino({ level: 'silent' }) };
  try {
    await ensureAccount(store.db, ACCOUNT, Date.now());
    let t = performance.now();
    await seed(resources);
    const seedSeconds = round((performance.now() - t) / 1000, 1);
    say(`${dialect}: ${LOOPS.toLocaleString('en')} loops inserted in ${seedSeconds} s`);
    await addAdmin(resources, { email: 'bench@example.com', role: 'viewer', accountId: ACCOUNT, password: PASSWORD });
    const app = await buildServer(resources);
    const signIn = await app.inject({
      method: 'POST',
      url: '/console/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=bench%40example.com&password=${encodeURIComponent(PASSWORD)}`,
    });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    // Deep pages sit at the same fractions of the list whatever --loops is (row 500,000 and 999,000 of 1M).
    const row = (fraction: number) => Math.floor(LOOPS * fraction);
    const count = (n: number) => n.toLocaleString('en');
    // Names are loop-0000001…: `loop-01` matches 100,000 of 1M; fewer loops get a longer prefix (5–10% of them).
    const digits = 7 - Math.floor(Math.log10(Math.max(10, LOOPS / 10)));
    const tenth = `loop-${'0'.repeat(Math.max(0, digits - 1))}1`;
    const tenthMatches = countPrefix(tenth);
    // A day in the middle of the seeded span (29 days at 1M loops, fewer with fewer).
    const midDay = new Date(START + (LOOPS * STEP_MS) / 2).toISOString().slice(0, 10);
    const cases: Array<[string, string]> = [
      ['baseline: audit page', '/console/audit'],
      ['first page', '/console/loops'],
      [`deep page (row ${count(row(0.5))})`, `/console/loops?after=${cursorAt(row(0.5))}`],
      [`deep page (row ${count(row(0.999))})`, `/console/loops?after=${cursorAt(row(0.999))}`],
      ['flow filter, first page', '/console/loops?flow=flow-7'],
      ['flow filter, deep page', `/console/loops?flow=flow-7&after=${cursorAt(row(0.6))}`],
      ['status InProgress, first', '/console/loops?status=InProgress'],
      ['status InProgress, deep', `/console/loops?status=InProgress&after=${cursorAt(row(0.7))}`],
      ['flow + status', '/console/loops?flow=flow-2&status=InProgress'],
      ['flow + status (no match)', '/console/loops?flow=flow-3&status=Failed'],
      [`created on one day (${midDay})`, `/console/loops?from=${midDay}&to=${midDay}`],
      [`name prefix (${count(tenthMatches)} matches)`, `/console/loops?q=${tenth}`],
      ['name prefix (1 match)', '/console/loops?q=loop-0000042'],
      ['name prefix (no match)', '/console/loops?q=nothing'],
    ];
    const rows: Array<{ name: string; url: string; p50: number; p99: number; mean: number }> = [];
    for (const [name, url] of cases) {
      const warm = await app.inject({ method: 'GET', url, headers: { cookie } });
      if (warm.statusCode !== 200) throw new Error(`${url}: ${warm.statusCode} ${warm.body.slice(0, 300)}`);
      const samples = new LatencySamples();
      // A slow case (a scan) gets fewer requests so the run stays bounded.
      t = performance.now();
      await app.inject({ method: 'GET', url, headers: { cookie } });
      const once = performance.now() - t;
      const n = once > 500 ? 5 : REQUESTS;
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        const response = await app.inject({ method: 'GET', url, headers: { cookie } });
        samples.add(performance.now() - started);
        if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode}`);
      }
      const summary = samples.summary();
      rows.push({ name, url, p50: summary.p50Ms, p99: summary.p99Ms, mean: summary.meanMs });
    }
    await app.close();
    const baseline = rows[0]!.p50;
    say(
      formatTable(
        ['case', 'p50', 'p99', '× baseline p50', '< 100 ms'],
        rows.map((r) => [r.name, formatMs(r.p50), formatMs(r.p99), formatRatio(r.p50 / baseline), r.p99 < 100 ? 'yes' : 'NO']),
      ),
    );
    return { dialect, loops: LOOPS, seedSeconds, cases: rows.map((r) => ({ ...r, ratioToBaseline: round(r.p50 / baseline, 2) })) };
  } finally {
    await store.close();
    await database.drop();
  }
}

say(`console-list: ${LOOPS.toLocaleString('en')} loops, ${REQUESTS} requests per case, load ${os.loadavg()[0]!.toFixed(2)}`);
const results = [];
const wanted = flags.dialects.split(',') as BenchDialect[];
if (wanted.includes('sqlite')) results.push(await measure('sqlite', undefined));
if (wanted.includes('postgres')) {
  const url = postgresServerUrl();
  const reason = await postgresUnavailableReason(url);
  if (reason) say(`PostgreSQL skipped: ${reason}`);
  else results.push(await measure('postgres', url));
}
const files = await writeResults('console-list', {
  machine: machineInfo(),
  source: await sourceState(ROOT),
  loadAverageAtEnd: os.loadavg(),
  loops: LOOPS,
  requestsPerCase: REQUESTS,
  results,
});
say(`wrote ${files.join(', ')}`);
