/**
 * Event delivery: lag from commit to webhook receipt while loops are started and stopped through
 * the API at a fixed rate (each loop gives created, stopping and stopped: 180 loops/s aims at 540
 * events/s), and the events/s one Tandem process delivers at saturation (a backlog it drains
 * after a start). Baseline: the same receiver taking POSTs from a plain HTTP client.
 *
 * Tandem runs as its own `tandem serve` process (SQLite, one server process) and the receiver as
 * another (bench/support/webhook-sink.ts), so neither shares an event loop with the load
 * generator, which runs here. The
 * generator is several SDK clients issuing calls at a fixed schedule (open loop: a slow answer
 * does not slow the schedule). Lag is the receiver's `Date.now()` at receipt minus the event's
 * commit time, the `created_at` (ms) of its outbox row, read from the database afterwards and
 * matched to the received event by its id (domain/events.ts `eventIdOf`): one clock, one machine.
 *
 *   node --import tsx bench/events.ts [--duration=6] [--rate=180] [--clients=4] [--backlog=600]
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CreateFlowDefinitionCommand, CreateHumanTaskUiCommand, CreateWorkteamCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerA2IRuntimeClient, StartHumanLoopCommand, StopHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { REVIEW_HOOKS } from '../src/api/review-hooks.js';
import { ensureDefaultAccount, openResources } from '../src/bootstrap.js';
import { loadConfig, type TandemConfig } from '../src/config.js';
import { eventIdOf, type OutboxRecord } from '../src/domain/events.js';
import { startHumanLoop, stopHumanLoop } from '../src/operations/human-loops.js';
import { addWebhook } from '../src/operations/webhooks.js';
import { percentile, round } from './support/latency.js';
import { machineInfo, sourceState, writeResults } from './support/results.js';

const ROOT = new URL('../', import.meta.url).pathname;
const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const DURATION_S = arg('duration', 6);
const LOOPS_PER_S = arg('rate', 180);
const CLIENTS = arg('clients', 4);
const BACKLOG_LOOPS = arg('backlog', 600);
const ACCOUNT = '123412341234';
const REGION = 'us-east-1';
const say = (line: string) => process.stdout.write(`${line}\n`);

// The receiver: its own process (bench/support/webhook-sink.ts).
const sink = fork(join(ROOT, 'bench', 'support', 'webhook-sink.ts'), [], { execArgv: ['--import', 'tsx'], cwd: ROOT });
const sinkAnswers: ((message: SinkMessage) => void)[] = [];
sink.on('message', (message: SinkMessage) => sinkAnswers.shift()?.(message));
type SinkMessage = { type: string; port?: number; count?: number; duplicates?: number; received?: [string, number][] };
const sinkReady = new Promise<SinkMessage>((resolve) => sinkAnswers.push(resolve));
const ask = (type: 'count' | 'report' | 'clear'): Promise<SinkMessage> =>
  new Promise((resolve) => {
    sinkAnswers.push(resolve);
    sink.send({ type });
  });
const receiverUrl = `http://127.0.0.1:${(await sinkReady).port}/`;
const receivedCount = async () => (await ask('count')).count ?? 0;

say(`load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);

// Baseline: plain POSTs to the receiver, 50 at a time, for 3 s, a new connection each (as Tandem posts).
async function baseline(): Promise<number> {
  let done = 0;
  const until = performance.now() + 3000;
  const body = JSON.stringify({ ping: 'x'.repeat(600) });
  const worker = async () => {
    while (performance.now() < until) {
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest(receiverUrl, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        });
        req.on('error', reject);
        req.end(body);
      });
      done++;
    }
  };
  await Promise.all(Array.from({ length: 50 }, worker));
  return done / 3;
}
const baselinePerS = await baseline();
say(`baseline: ${baselinePerS.toFixed(0)} POST/s to the receiver`);

const dataDir = await mkdtemp(join(tmpdir(), 'tandem-bench-events-'));
const credentials = { accessKeyId: 'TNDMBENCHEVENTS00001', secretAccessKey: 'bench-events-secret-0123456789abcdef' };
const port = await freePort();
const config: TandemConfig = {
  ...loadConfig({}, {}, dataDir),
  dataDir,
  port,
  accountId: ACCOUNT,
  accessKeyId: credentials.accessKeyId,
  secretAccessKey: credentials.secretAccessKey,
  logLevel: 'silent',
  seedDemo: false,
  webhookAllowPrivateTargets: true,
};

// The store, the account and the webhook, prepared here before the server starts.
{
  const resources = await openResources(config);
  await ensureDefaultAccount(resources);
  await addWebhook(resources, { accountId: ACCOUNT }, { url: receiverUrl });
  await resources.store.close();
}

let tandem = await serveTandem();
const url = `http://127.0.0.1:${port}`;
const common = { endpoint: url, region: REGION, credentials, maxAttempts: 1 };
const sagemaker = new SageMakerClient(common);
const { WorkteamArn } = await sagemaker.send(new CreateWorkteamCommand({ WorkteamName: 'b-team', Description: 'd', MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'us-east-1_b', UserGroup: 'b', ClientId: 'c' } }] }));
const { HumanTaskUiArn } = await sagemaker.send(new CreateHumanTaskUiCommand({ HumanTaskUiName: 'b-ui', UiTemplate: { Content: '<crowd-form><crowd-input name="x"></crowd-input></crowd-form>' } }));
const { FlowDefinitionArn } = await sagemaker.send(
  new CreateFlowDefinitionCommand({
    FlowDefinitionName: 'b-flow',
    RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
    OutputConfig: { S3OutputPath: 's3://bench-events/out' },
    HumanLoopConfig: { WorkteamArn: WorkteamArn!, HumanTaskUiArn: HumanTaskUiArn!, TaskTitle: 't', TaskDescription: 'd', TaskCount: 1, TaskTimeLimitInSeconds: 300, TaskAvailabilityLifetimeInSeconds: 3600 },
  }),
);
sagemaker.destroy();
const flowArn = FlowDefinitionArn!;

// Lag: loops started and stopped on a fixed schedule by several clients.
const clients = Array.from({ length: CLIENTS }, () => new SageMakerA2IRuntimeClient(common));
const inFlight: Promise<void>[] = [];
let loops = 0;
let apiErrors = 0;
await ask('clear');
const generationStart = Date.now();
const started = performance.now();
while (performance.now() - started < DURATION_S * 1000) {
  const due = Math.floor(((performance.now() - started) / 1000) * LOOPS_PER_S);
  while (loops < due) {
    const name = `lag-${loops}`;
    const a2i = clients[loops++ % CLIENTS]!;
    inFlight.push(
      (async () => {
        try {
          await a2i.send(new StartHumanLoopCommand({ HumanLoopName: name, FlowDefinitionArn, HumanLoopInput: { InputContent: '{"x":1}' } }));
          await a2i.send(new StopHumanLoopCommand({ HumanLoopName: name }));
        } catch {
          apiErrors++;
        }
      })(),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 2));
}
await Promise.all(inFlight);
const generatedS = (performance.now() - started) / 1000;
const expectedLagEvents = (loops - apiErrors) * 3;
const lagDeadline = performance.now() + 60_000;
while ((await receivedCount()) < expectedLagEvents && performance.now() < lagDeadline) await new Promise((r) => setTimeout(r, 50));
for (const client of clients) client.destroy();

const committedAt = readCommitTimes();
const lagReport = await ask('report');
const duplicates = lagReport.duplicates ?? 0;
const lags = (lagReport.received ?? []).flatMap(([id, at]) => {
  const commit = committedAt.get(id);
  return commit !== undefined && commit >= generationStart ? [at - commit] : [];
});
lags.sort((a, b) => a - b);
// The rate the API achieved: the phase's events over the span of their commits.
const commits = (lagReport.received ?? []).flatMap(([id]) => {
  const commit = committedAt.get(id);
  return commit !== undefined && commit >= generationStart ? [commit] : [];
});
const commitSpanS = (Math.max(...commits) - Math.min(...commits)) / 1000;
const eventsPerS = commits.length / commitSpanS;
const lagSummary = {
  loops,
  apiErrors,
  clients: CLIENTS,
  eventsPerSecondOffered: LOOPS_PER_S * 3,
  eventsPerSecondCommitted: round(eventsPerS, 1),
  secondsToAnswerEveryCall: round(generatedS, 2),
  eventsMeasured: lags.length,
  missing: expectedLagEvents - lags.length,
  duplicates,
  p50Ms: round(percentile(lags, 50), 1),
  p90Ms: round(percentile(lags, 90), 1),
  p99Ms: round(percentile(lags, 99), 1),
  maxMs: round(lags.at(-1) ?? Number.NaN, 1),
};
say(
  `lag: ${loops} loops by ${CLIENTS} clients, ${LOOPS_PER_S * 3} events/s offered, ${eventsPerS.toFixed(0)} events/s committed ` +
    `(every call answered after ${generatedS.toFixed(1)} s, ${apiErrors} API errors); ` +
    `commit → receipt p50 ${lagSummary.p50Ms} ms, p90 ${lagSummary.p90Ms} ms, p99 ${lagSummary.p99Ms} ms, max ${lagSummary.maxMs} ms; ` +
    `${lags.length} measured, missing ${lagSummary.missing}, duplicates ${duplicates}`,
);

// Saturation: with the server stopped, a backlog written straight to the store; a fresh server drains it.
await stopTandem(tandem);
{
  const resources = await openResources(config);
  const caller = { accountId: ACCOUNT, region: REGION };
  for (let i = 0; i < BACKLOG_LOOPS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, BACKLOG_LOOPS - i) }, async (_, j) => {
        const name = `sat-${i + j}`;
        await startHumanLoop(resources, caller, { HumanLoopName: name, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: '{"x":1}' } }, REVIEW_HOOKS.onStarted);
        await stopHumanLoop(resources, caller, name, REVIEW_HOOKS.onStopped);
      }),
    );
  }
  await resources.store.close();
}
await ask('clear');
tandem = await serveTandem();
const backlogEvents = BACKLOG_LOOPS * 3;
const drainDeadline = performance.now() + 90_000;
while ((await receivedCount()) < backlogEvents && performance.now() < drainDeadline) await new Promise((r) => setTimeout(r, 20));
await stopTandem(tandem);
const drainReport = await ask('report');
const receipts = (drainReport.received ?? []).map(([, at]) => at).sort((a, b) => a - b);
// From the first receipt to the last: the server's start-up is not delivery time.
const drainS = ((receipts.at(-1) ?? 0) - (receipts[0] ?? 0)) / 1000;
const saturation = (receipts.length - 1) / drainS;
say(
  `saturation: ${receipts.length} of ${backlogEvents} backlog events in ${drainS.toFixed(2)} s = ${saturation.toFixed(0)} events/s ` +
    `(${(saturation / baselinePerS).toFixed(2)}× the baseline POST rate), duplicates ${drainReport.duplicates}`,
);

sink.send({ type: 'close' });
await rm(dataDir, { recursive: true, force: true });

const files = await writeResults('events', {
  machine: machineInfo(),
  source: await sourceState(ROOT),
  loadAverageAtEnd: os.loadavg(),
  dialect: 'sqlite',
  serverProcesses: 1,
  baselinePostsPerSecond: round(baselinePerS, 1),
  lag: lagSummary,
  saturation: { events: receipts.length, seconds: round(drainS, 2), eventsPerSecond: round(saturation, 1), ratioToBaseline: round(saturation / baselinePerS, 3), duplicates: drainReport.duplicates },
});
say(`wrote ${files.join(', ')}`);

/** Outbox commit times by event id, read from the database file. */
function readCommitTimes(): Map<string, number> {
  const db = new Database(join(dataDir, 'tandem.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('select id, account_id, topic, subject_arn, payload, created_at from outbox').all() as OutboxRecord[];
    return new Map(rows.map((row) => [eventIdOf(row), Number(row.created_at)]));
  } finally {
    db.close();
  }
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return free;
}

/** `tandem serve` from source on the prepared data directory, once it answers HTTP. */
async function serveTandem(): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TANDEM_')) env[name] = value;
  Object.assign(env, {
    TANDEM_DATA_DIR: dataDir,
    TANDEM_PORT: String(port),
    TANDEM_ACCOUNT_ID: ACCOUNT,
    TANDEM_ACCESS_KEY_ID: credentials.accessKeyId,
    TANDEM_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    TANDEM_SEED_DEMO: 'false',
    TANDEM_LOG_LEVEL: 'warn',
    TANDEM_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  });
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'cli', 'run-cli.ts'), 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'ignore'] });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tandem serve exited ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('tandem serve not listening within 60 s');
    const status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopTandem(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
