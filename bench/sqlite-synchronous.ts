/**
 * StartHumanLoop on SQLite with `synchronous=FULL` against `synchronous=NORMAL` (issue 15),
 * in-process through the real operation (startHumanLoop + the review hook, i.e. the group
 * commit of src/store/group-commit.ts), 50 starts in flight. Rounds alternate NORMAL, FULL,
 * NORMAL, FULL… on two stores kept open, so machine noise hits both alike; the ratio is the
 * mean FULL rate over the mean NORMAL rate. In-process is the strict case: over HTTP each start
 * also pays for SigV4, parsing and the response, so the sync is a smaller share of its cost.
 *
 *   npm run bench -- sqlite-synchronous [--rounds=3] [--duration=4] [--concurrency=50]
 */
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REVIEW_HOOKS } from '../src/api/review-hooks.js';
import { startHumanLoop } from '../src/operations/human-loops.js';
import { BENCH_CALLER, createBenchFlow, openBenchResources, type BenchResources } from './support/bench-flow.js';
import { createBenchDatabase, type BenchDatabase } from './support/databases.js';
import { LatencySamples, round, type LatencySummary } from './support/latency.js';
import { machineInfo, sourceState, writeResults } from './support/results.js';
import { formatCount, formatMs, formatRatio, formatTable } from './support/table.js';

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '50' },
  },
});
const ROUNDS = Number(flags.rounds);
const DURATION_MS = Number(flags.duration) * 1000;
const CONCURRENCY = Number(flags.concurrency);
const say = (line = '') => process.stdout.write(`${line}\n`);

type Mode = 'normal' | 'full';
interface Round {
  mode: Mode;
  round: number;
  starts: number;
  startsPerSecond: number;
  latency: LatencySummary;
}

interface Subject {
  mode: Mode;
  database: BenchDatabase;
  r: BenchResources;
  flowArn: string;
  next: number;
}

async function run(subject: Subject, round: number): Promise<Round> {
  const samples = new LatencySamples();
  const started = performance.now();
  const until = started + DURATION_MS;
  let starts = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const name = `loop-${subject.next++}`;
        const t0 = performance.now();
        await startHumanLoop(
          subject.r,
          BENCH_CALLER,
          { HumanLoopName: name, FlowDefinitionArn: subject.flowArn, HumanLoopInput: { InputContent: JSON.stringify({ name }) } },
          REVIEW_HOOKS.onStarted,
        );
        samples.add(performance.now() - t0);
        starts++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { mode: subject.mode, round, starts, startsPerSecond: round2(starts / seconds), latency: samples.summary() };
}

const round2 = (value: number) => round(value, 1);

const machine = machineInfo();
say(`sqlite-synchronous: ${ROUNDS} rounds × ${DURATION_MS / 1000} s per mode, ${CONCURRENCY} in flight; load ${machine.loadAverage.join(' ')}`);
const subjects: Subject[] = [];
for (const mode of ['normal', 'full'] as const) {
  const database = await createBenchDatabase('sqlite');
  const r = await openBenchResources(database, { sqliteSynchronous: mode });
  subjects.push({ mode, database, r, flowArn: await createBenchFlow(r, 'sync'), next: 0 });
}
const rounds: Round[] = [];
// A short warm-up of each, then the alternating rounds.
for (const subject of subjects) await run({ ...subject, mode: subject.mode }, 0);
for (let i = 1; i <= ROUNDS; i++) for (const subject of subjects) rounds.push(await run(subject, i));
for (const subject of subjects) {
  await subject.r.store.close();
  await subject.database.drop();
}

const mean = (mode: Mode) => {
  const of = rounds.filter((x) => x.mode === mode);
  return of.reduce((sum, x) => sum + x.startsPerSecond, 0) / of.length;
};
const ratio = round(mean('full') / mean('normal'), 3);
say(
  formatTable(
    ['mode', 'round', 'starts', 'starts/s', 'p50', 'p99'],
    rounds.map((x) => [x.mode.toUpperCase(), String(x.round), formatCount(x.starts), formatCount(x.startsPerSecond), formatMs(x.latency.p50Ms), formatMs(x.latency.p99Ms)]),
  ),
);
say(`FULL / NORMAL starts per second: ${formatRatio(ratio)} (FULL costs ${round((1 - ratio) * 100, 1)}% of throughput)`);
const files = await writeResults('sqlite-synchronous', {
  machine: { ...machine, loadAverageAtEnd: os.loadavg() },
  source: await sourceState(join(import.meta.dirname, '..')),
  settings: { rounds: ROUNDS, durationSeconds: DURATION_MS / 1000, concurrency: CONCURRENCY },
  rounds,
  meanStartsPerSecond: { normal: round(mean('normal'), 1), full: round(mean('full'), 1) },
  fullOverNormal: ratio,
});
say(`results: ${files.join(', ')}`);
