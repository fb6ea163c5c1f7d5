/**
 * The soak (issue 15): a steady stream of StartHumanLoop and DescribeHumanLoop for minutes, on a
 * store that grows as it runs. Does latency stay flat as the store grows, and does memory?
 *
 *   npm run bench -- soak [--minutes=10] [--rate=200] [--window=30] [--dialects=sqlite,postgres]
 *
 * One real Tandem per dialect in its own child process; every call over HTTP, signed by the AWS
 * SDK client. The load is open-loop: `--rate` starts and `--rate` describes (of a random loop
 * started earlier) per second are sent on schedule whether or not earlier calls have answered, so
 * a server that slows down shows it as latency rather than as a lower request rate. Per window of
 * `--window` seconds: p50/p99/max of each operation, the rate achieved, loops in the store and
 * the server's RSS. The verdict compares the last window with the first (target: p99 ≤ 1.5×, RSS
 * flat); both windows come from the same run, so the ratio holds on a noisy machine as long as the
 * noise is steady.
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DescribeHumanLoopCommand, StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { createBenchDatabase, postgresServerUrl, postgresUnavailableReason, type BenchDialect } from './support/databases.js';
import { LatencySamples, round, type LatencySummary } from './support/latency.js';
import { machineInfo, sourceState, writeResults } from './support/results.js';
import { BENCH_CREDENTIALS, startTandemServer } from './support/servers.js';
import { benchClients, createSdkFlow } from './support/sdk-flow.js';
import type { ChildServer } from './support/child-server.js';
import { formatMs, formatRatio, formatTable } from './support/table.js';

const { values: flags } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    window: { type: 'string', default: '30' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
  },
});
const MINUTES = Number(flags.minutes);
const RATE = Number(flags.rate);
const WINDOW_SECONDS = Number(flags.window);
/** Calls still unanswered above this mean the server cannot keep up; the run says so and stops sending. */
const MAX_IN_FLIGHT = 2000;
const ROOT = join(import.meta.dirname, '..');
const say = (line = '') => process.stdout.write(`${line}\n`);

interface WindowFigures {
  endsAtSecond: number;
  starts: LatencySummary;
  describes: LatencySummary;
  startsPerSecond: number;
  describesPerSecond: number;
  errors: number;
  loops: number;
  rssMb: number;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024, 1);
}

async function soak(dialect: BenchDialect, serverUrl: string | undefined) {
  const database = await createBenchDatabase(dialect, serverUrl);
  let server: ChildServer | undefined;
  try {
    server = await startTandemServer({ dataDir: database.dataDir, databaseUrl: database.databaseUrl, credentials: BENCH_CREDENTIALS });
    // The default of 50 sockets would queue an open-loop load inside the client, not the server.
    const { a2i, sagemaker } = benchClients(server.url, { requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }) } });
    const flowArn = await createSdkFlow(sagemaker, 'soak');
    const pid = server.pid;

    const names: string[] = [];
    let window = { starts: new LatencySamples(), describes: new LatencySamples(), errors: 0 };
    const windows: WindowFigures[] = [];
    let inFlight = 0;
    let overloaded = false;
    const pending = new Set<Promise<void>>();

    const send = (samples: LatencySamples, call: () => Promise<unknown>, onDone?: () => void) => {
      inFlight += 1;
      const target = window;
      const started = performance.now();
      const promise = call().then(
        () => {
          samples.add(performance.now() - started);
          onDone?.();
        },
        () => {
          target.errors += 1;
        },
      ).finally(() => {
        inFlight -= 1;
        pending.delete(promise);
      });
      pending.add(promise);
    };

    say(`${dialect}: ${RATE} starts/s + ${RATE} describes/s for ${MINUTES} min, windows of ${WINDOW_SECONDS} s`);
    const t0 = performance.now();
    const endAt = t0 + MINUTES * 60_000;
    let sentStarts = 0;
    let nextWindowAt = t0 + WINDOW_SECONDS * 1000;
    while (performance.now() < endAt && !overloaded) {
      const now = performance.now();
      const due = Math.floor(((now - t0) / 1000) * RATE) - sentStarts;
      for (let i = 0; i < due; i++) {
        if (inFlight > MAX_IN_FLIGHT) {
          overloaded = true;
          break;
        }
        const name = `soak-${sentStarts}`;
        sentStarts += 1;
        const w = window;
        send(
          w.starts,
          () => a2i.send(new StartHumanLoopCommand({ HumanLoopName: name, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: JSON.stringify({ text: `soak ${name}` }) } })),
          () => names.push(name),
        );
        if (names.length > 0) {
          const describeName = names[Math.floor(Math.random() * names.length)]!;
          send(w.describes, () => a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: describeName })));
        }
      }
      if (now >= nextWindowAt) {
        const seconds = (now - (nextWindowAt - WINDOW_SECONDS * 1000)) / 1000;
        const starts = window.starts.summary();
        const describes = window.describes.summary();
        const figures: WindowFigures = {
          endsAtSecond: round((now - t0) / 1000, 0),
          starts,
          describes,
          startsPerSecond: round(starts.count / seconds, 0),
          describesPerSecond: round(describes.count / seconds, 0),
          errors: window.errors,
          loops: names.length,
          rssMb: rssMb(pid),
        };
        windows.push(figures);
        say(
          `  ${String(figures.endsAtSecond).padStart(4)} s: start p50 ${formatMs(starts.p50Ms)} p99 ${formatMs(starts.p99Ms)}, ` +
            `describe p50 ${formatMs(describes.p50Ms)} p99 ${formatMs(describes.p99Ms)}, ${figures.startsPerSecond}+${figures.describesPerSecond}/s, ` +
            `${figures.loops} loops, RSS ${figures.rssMb} MB${figures.errors ? `, ${figures.errors} errors` : ''}`,
        );
        window = { starts: new LatencySamples(), describes: new LatencySamples(), errors: 0 };
        nextWindowAt += WINDOW_SECONDS * 1000;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await Promise.allSettled([...pending]);
    if (overloaded) say(`  ${dialect}: more than ${MAX_IN_FLIGHT} calls unanswered; the server could not keep up, the run stopped early`);
    await server.stop();
    server = undefined;

    const first = windows[0];
    const last = windows[windows.length - 1];
    const verdict =
      first && last
        ? {
            startP99Ratio: round(last.starts.p99Ms / first.starts.p99Ms, 2),
            describeP99Ratio: round(last.describes.p99Ms / first.describes.p99Ms, 2),
            rssRatio: round(last.rssMb / first.rssMb, 2),
            // The first window warms the JIT and caches; the second is the fairer baseline too.
            startP99RatioToSecond: windows[1] ? round(last.starts.p99Ms / windows[1].starts.p99Ms, 2) : undefined,
          }
        : undefined;
    if (verdict && first && last) {
      say(
        formatTable(
          ['measure', 'first window', 'last window', 'last ÷ first'],
          [
            ['StartHumanLoop p99', formatMs(first.starts.p99Ms), formatMs(last.starts.p99Ms), formatRatio(verdict.startP99Ratio)],
            ['DescribeHumanLoop p99', formatMs(first.describes.p99Ms), formatMs(last.describes.p99Ms), formatRatio(verdict.describeP99Ratio)],
            ['server RSS MB', String(first.rssMb), String(last.rssMb), formatRatio(verdict.rssRatio)],
          ],
        ),
      );
    }
    return { dialect, overloaded, loops: names.length, windows, verdict };
  } finally {
    await server?.stop();
    await database.drop();
  }
}

say(`soak: ${MINUTES} min at ${RATE}+${RATE}/s, load ${os.loadavg()[0]!.toFixed(2)}`);
const results = [];
const wanted = flags.dialects.split(',') as BenchDialect[];
if (wanted.includes('sqlite')) results.push(await soak('sqlite', undefined));
if (wanted.includes('postgres')) {
  const url = postgresServerUrl();
  const reason = await postgresUnavailableReason(url);
  if (reason) say(`PostgreSQL skipped: ${reason}`);
  else results.push(await soak('postgres', url));
}
const files = await writeResults('soak', {
  machine: machineInfo(),
  source: await sourceState(ROOT),
  loadAverageAtEnd: os.loadavg(),
  minutes: MINUTES,
  ratePerSecond: RATE,
  windowSeconds: WINDOW_SECONDS,
  results,
});
say(`wrote ${files.join(', ')}`);
