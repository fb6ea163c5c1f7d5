/**
 * kill -9 under load (issues 13 and 15): is every write Tandem acknowledged still there after the
 * process dies mid-flight? Not a speed figure: the count that matters is "lost", which must be 0.
 *
 *   npm run bench -- crash [--rounds=8] [--concurrency=16] [--dialects=sqlite,postgres]
 *
 * Per dialect, one real Tandem in its own child process (SQLite with the default synchronous
 * setting, or PostgreSQL), driven over HTTP by the AWS SDK client: `--concurrency` callers start
 * loops as fast as they can and stop every fifth loop whose start was acknowledged. After a random
 * 0.4–1.6 s the server gets SIGKILL, is started again on the same data, and every loop is listed:
 * each acknowledged StartHumanLoop must exist, each acknowledged StopHumanLoop must have left its
 * loop Stopping or Stopped. Calls in flight at the kill may or may not have happened (they were
 * never acknowledged); the run counts them apart.
 */
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ListHumanLoopsCommand, SageMakerA2IRuntimeClient, StartHumanLoopCommand, StopHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { createBenchDatabase, postgresServerUrl, postgresUnavailableReason, type BenchDatabase, type BenchDialect } from './support/databases.js';
import { machineInfo, sourceState, writeResults } from './support/results.js';
import { BENCH_CREDENTIALS, startTandemServer } from './support/servers.js';
import { benchClients, createSdkFlow } from './support/sdk-flow.js';
import type { ChildServer } from './support/child-server.js';
import { formatTable } from './support/table.js';

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '16' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
  },
});
const ROUNDS = Number(flags.rounds);
const CONCURRENCY = Number(flags.concurrency);
const ROOT = join(import.meta.dirname, '..');
const say = (line = '') => process.stdout.write(`${line}\n`);
/** A dead server must fail calls quickly instead of retrying them into the next round. */
const NO_RETRIES = { maxAttempts: 1 };

/** Every loop of the flow and its status, through the API. */
async function listAll(a2i: SageMakerA2IRuntimeClient, flowArn: string): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  let NextToken: string | undefined;
  do {
    const page = await a2i.send(new ListHumanLoopsCommand({ FlowDefinitionArn: flowArn, MaxResults: 100, NextToken }));
    for (const loop of page.HumanLoopSummaries ?? []) statuses.set(loop.HumanLoopName!, loop.HumanLoopStatus!);
    NextToken = page.NextToken;
  } while (NextToken);
  return statuses;
}

interface RoundFigures {
  round: number;
  killedAfterMs: number;
  startsAcknowledged: number;
  stopsAcknowledged: number;
  inFlightAtKill: number;
  startsLost: number;
  stopsLost: number;
  unacknowledgedButStored: number;
}

async function crashRounds(dialect: BenchDialect, database: BenchDatabase): Promise<RoundFigures[]> {
  const start = () => startTandemServer({ dataDir: database.dataDir, databaseUrl: database.databaseUrl, credentials: BENCH_CREDENTIALS });
  let server: ChildServer = await start();
  const flowArn = await createSdkFlow(benchClients(server.url, NO_RETRIES).sagemaker, 'crash');
  const acknowledgedStarts = new Set<string>();
  const acknowledgedStops = new Set<string>();
  const attempted = new Set<string>();
  const figures: RoundFigures[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const { a2i } = benchClients(server.url, NO_RETRIES);
      const before = { starts: acknowledgedStarts.size, stops: acknowledgedStops.size };
      let inFlight = 0;
      let killed = false;
      const caller = async (worker: number) => {
        for (let i = 0; !killed; i++) {
          const name = `r${round}-w${worker}-${i}`;
          attempted.add(name);
          inFlight += 1;
          try {
            await a2i.send(new StartHumanLoopCommand({ HumanLoopName: name, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: JSON.stringify({ text: name }) } }));
            // An answer read after the kill was sent is an acknowledgement all the same.
            acknowledgedStarts.add(name);
            if (i % 5 === 0) {
              await a2i.send(new StopHumanLoopCommand({ HumanLoopName: name }));
              acknowledgedStops.add(name);
            }
          } catch {
            // Refused or cut off by the kill: not acknowledged.
          } finally {
            inFlight -= 1;
          }
        }
      };
      const callers = Array.from({ length: CONCURRENCY }, (_, worker) => caller(worker));
      const killedAfterMs = 400 + Math.floor(Math.random() * 1200);
      await new Promise((resolve) => setTimeout(resolve, killedAfterMs));
      const inFlightAtKill = inFlight;
      process.kill(server.pid, 'SIGKILL');
      killed = true;
      await server.stop();
      await Promise.all(callers);

      server = await start();
      const stored = await listAll(benchClients(server.url, NO_RETRIES).a2i, flowArn);
      const startsLost = [...acknowledgedStarts].filter((name) => !stored.has(name)).length;
      const stopsLost = [...acknowledgedStops].filter((name) => !['Stopping', 'Stopped'].includes(stored.get(name) ?? '')).length;
      const unacknowledgedButStored = [...stored.keys()].filter((name) => !acknowledgedStarts.has(name) && attempted.has(name)).length;
      const row: RoundFigures = {
        round,
        killedAfterMs,
        startsAcknowledged: acknowledgedStarts.size - before.starts,
        stopsAcknowledged: acknowledgedStops.size - before.stops,
        inFlightAtKill,
        startsLost,
        stopsLost,
        unacknowledgedButStored,
      };
      figures.push(row);
      say(
        `  ${dialect} round ${round}: killed after ${killedAfterMs} ms with ${inFlightAtKill} calls in flight; ` +
          `${row.startsAcknowledged} starts and ${row.stopsAcknowledged} stops acknowledged; lost ${startsLost} starts, ${stopsLost} stops (all rounds so far)`,
      );
    }
  } finally {
    await server.stop();
  }
  return figures;
}

say(`crash: ${ROUNDS} kill -9 rounds per dialect, ${CONCURRENCY} callers, load ${os.loadavg()[0]!.toFixed(2)}`);
const results = [];
const wanted = flags.dialects.split(',') as BenchDialect[];
for (const dialect of wanted) {
  let url: string | undefined;
  if (dialect === 'postgres') {
    url = postgresServerUrl();
    const reason = await postgresUnavailableReason(url);
    if (reason) {
      say(`PostgreSQL skipped: ${reason}`);
      continue;
    }
  }
  const database = await createBenchDatabase(dialect, url);
  try {
    const rounds = await crashRounds(dialect, database);
    const last = rounds[rounds.length - 1];
    results.push({
      dialect,
      rounds,
      startsAcknowledged: rounds.reduce((sum, r) => sum + r.startsAcknowledged, 0),
      stopsAcknowledged: rounds.reduce((sum, r) => sum + r.stopsAcknowledged, 0),
      startsLost: last?.startsLost ?? 0,
      stopsLost: last?.stopsLost ?? 0,
    });
  } finally {
    await database.drop();
  }
}
say(
  formatTable(
    ['dialect', 'rounds', 'starts acknowledged', 'stops acknowledged', 'starts lost', 'stops lost'],
    results.map((r) => [r.dialect, String(r.rounds.length), String(r.startsAcknowledged), String(r.stopsAcknowledged), String(r.startsLost), String(r.stopsLost)]),
  ),
);
const files = await writeResults('crash', { machine: machineInfo(), source: await sourceState(ROOT), loadAverageAtEnd: os.loadavg(), rounds: ROUNDS, concurrency: CONCURRENCY, results });
say(`wrote ${files.join(', ')}`);
if (results.some((r) => r.startsLost > 0 || r.stopsLost > 0)) process.exitCode = 1;
