/**
 * Event delivery: lag from commit to webhook receipt while loops are started and stopped through
 * the API at a fixed rate (≥ 500 events/s: each loop gives created, stopping and stopped), and
 * the events/s one process publishes and delivers at saturation (a backlog drained by a fresh
 * engine). Baseline: the same receiver taking POSTs from a plain HTTP client in this process.
 *
 * SQLite, one process; load generator, Tandem and receiver share this process's event loop (and
 * the machine's 2 cores), so the lag includes their contention. Lag is measured from the API
 * response of the change (after its commit) to receipt.
 *
 *   node --import tsx bench/events.ts [--duration=10] [--rate=180]
 */
import os from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFlowDefinitionCommand, CreateHumanTaskUiCommand, CreateWorkteamCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerA2IRuntimeClient, StartHumanLoopCommand, StopHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { loadConfig } from '../src/config.js';
import { startEngine } from '../src/engine/engine.js';
import { ENGINE_TASKS } from '../src/engine/tasks.js';
import { startTandem } from '../src/main.js';
import { addWebhook } from '../src/operations/webhooks.js';
import { percentile, round } from './support/latency.js';
import { machineInfo, sourceState, writeResults } from './support/results.js';

const ROOT = new URL('../', import.meta.url).pathname;
const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const DURATION_S = arg('duration', 10);
const LOOPS_PER_S = arg('rate', 180);
const say = (line: string) => process.stdout.write(`${line}\n`);

const received = new Map<string, number>();
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const at = performance.now();
    if (body.startsWith('{"version"')) {
      const event = JSON.parse(body) as { resources: string[]; 'detail-type': string };
      received.set(`${event.resources[0]!.split('/').at(-1)} ${event['detail-type']}`, at);
    }
    res.writeHead(200).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/`;

say(`load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);

// Baseline: plain POSTs to the receiver, 50 at a time, for 3 s.
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
const tandem = await startTandem({
  ...loadConfig({}, {}, dataDir),
  dataDir,
  port: 0,
  accountId: '123412341234',
  accessKeyId: credentials.accessKeyId,
  secretAccessKey: credentials.secretAccessKey,
  logLevel: 'silent',
  seedDemo: false,
  webhookAllowPrivateTargets: true,
});
const common = { endpoint: tandem.url, region: 'us-east-1', credentials, maxAttempts: 1 };
const a2i = new SageMakerA2IRuntimeClient(common);
const sagemaker = new SageMakerClient(common);
const { WorkteamArn } = await sagemaker.send(new CreateWorkteamCommand({ WorkteamName: 'b-team', Description: 'd', MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'us-east-1_b', UserGroup: 'b', ClientId: 'c' } }] }));
const { HumanTaskUiArn } = await sagemaker.send(new CreateHumanTaskUiCommand({ HumanTaskUiName: 'b-ui', UiTemplate: { Content: '<crowd-form><crowd-input name="x"></crowd-input></crowd-form>' } }));
const { FlowDefinitionArn } = await sagemaker.send(
  new CreateFlowDefinitionCommand({
    FlowDefinitionName: 'b-flow',
    RoleArn: 'arn:aws:iam::123412341234:role/r',
    OutputConfig: { S3OutputPath: 's3://bench-events/out' },
    HumanLoopConfig: { WorkteamArn: WorkteamArn!, HumanTaskUiArn: HumanTaskUiArn!, TaskTitle: 't', TaskDescription: 'd', TaskCount: 1, TaskTimeLimitInSeconds: 300, TaskAvailabilityLifetimeInSeconds: 3600 },
  }),
);
await addWebhook(tandem.resources, { accountId: '123412341234' }, { url: receiverUrl });

// Lag: loops started and stopped at a fixed rate.
const committed = new Map<string, number>();
const inFlight: Promise<void>[] = [];
const started = performance.now();
let loops = 0;
while (performance.now() - started < DURATION_S * 1000) {
  const due = Math.floor(((performance.now() - started) / 1000) * LOOPS_PER_S);
  while (loops < due) {
    const name = `lag-${loops++}`;
    inFlight.push(
      (async () => {
        await a2i.send(new StartHumanLoopCommand({ HumanLoopName: name, FlowDefinitionArn, HumanLoopInput: { InputContent: '{"x":1}' } }));
        committed.set(`${name} Tandem HumanLoop Created`, performance.now());
        await a2i.send(new StopHumanLoopCommand({ HumanLoopName: name }));
        committed.set(`${name} SageMaker A2I HumanLoop Status Change`, performance.now());
      })(),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 5));
}
await Promise.all(inFlight);
const generatedS = (performance.now() - started) / 1000;
const deadline = performance.now() + 60_000;
while ([...committed.keys()].some((k) => !received.has(k)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
const lags = [...committed].flatMap(([key, at]) => (received.has(key) ? [received.get(key)! - at] : [])).sort((a, b) => a - b);
const eventsPerS = (loops * 3) / generatedS;
say(`lag: ${loops} loops, ${eventsPerS.toFixed(0)} events/s generated; p50 ${percentile(lags, 50).toFixed(1)} ms, p99 ${percentile(lags, 99).toFixed(1)} ms, missing ${committed.size - lags.length}`);

// Saturation: a backlog made with the engine stopped, drained by a fresh engine.
await tandem.engine.stop();
const backlogLoops = 1000;
received.clear();
for (let i = 0; i < backlogLoops; i += 50) {
  await Promise.all(
    Array.from({ length: 50 }, async (_, j) => {
      const name = `sat-${i + j}`;
      await a2i.send(new StartHumanLoopCommand({ HumanLoopName: name, FlowDefinitionArn, HumanLoopInput: { InputContent: '{"x":1}' } }));
      await a2i.send(new StopHumanLoopCommand({ HumanLoopName: name }));
    }),
  );
}
const drainStart = performance.now();
const engine = startEngine(tandem.resources, ENGINE_TASKS);
while (received.size < backlogLoops * 3 && performance.now() - drainStart < 90_000) await new Promise((r) => setTimeout(r, 20));
const drainS = (performance.now() - drainStart) / 1000;
const saturation = received.size / drainS;
say(`saturation: ${received.size} events in ${drainS.toFixed(2)} s = ${saturation.toFixed(0)} events/s (${(saturation / baselinePerS).toFixed(2)}× the baseline POST rate)`);
await engine.stop();
await tandem.close();
receiver.close();
receiver.closeAllConnections();
await rm(dataDir, { recursive: true, force: true });

const files = await writeResults('events', {
  machine: machineInfo(),
  source: await sourceState(ROOT),
  loadAverageAtEnd: os.loadavg(),
  dialect: 'sqlite',
  baselinePostsPerSecond: round(baselinePerS, 1),
  lag: { loops, eventsPerSecondGenerated: round(eventsPerS, 1), p50Ms: round(percentile(lags, 50), 1), p99Ms: round(percentile(lags, 99), 1), missing: committed.size - lags.length },
  saturation: { events: received.size, seconds: round(drainS, 2), eventsPerSecond: round(saturation, 1), ratioToBaseline: round(saturation / baselinePerS, 3) },
});
say(`wrote ${files.join(', ')}`);
