/**
 * StartHumanLoop over HTTP with real SigV4 signing: throughput and latency on SQLite and on
 * PostgreSQL, as a ratio to a bare Fastify JSON echo measured in the same run. Target: 0.5×.
 *
 *   npm run bench -- start-human-loop [--duration=10] [--warmup=2] [--connections=50]
 *                                     [--postgres=URL | --sqlite-only] [--profile=auto|always|never]
 *                                     [--max-pool=400000] [--no-signing-check] [--processes=2]
 *                                     [--keep-profiles=DIR]
 *
 * Every server runs in its own child process; autocannon runs here. Order: echo → SQLite →
 * SQLite with --processes server processes → PostgreSQL → PostgreSQL with --processes → echo
 * (the baseline is the mean of the two echo runs), then a diagnostic SQLite run alternating
 * pre-signed and inline-signed slices, then (when a single-process ratio is under target, or
 * --profile=always) a CPU-profiled run per store and the in-process costs of the request's
 * parts. See bench/README.md for what each figure means.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findCpuProfile, formatCpuProfileSummary } from './support/cpu-profile.js';
import { postgresServerUrl, postgresUnavailableReason, type BenchDialect } from './support/databases.js';
import { round2, runEcho, runTandem, startHumanLoopBody, type Run, type RunSettings } from './support/human-loop-runs.js';
import { timePerCall, type PerCallCost } from './support/latency.js';
import { cpuMicrosPerRequest } from './support/load.js';
import { measureParseAndValidate, measureVerifySigV4 } from './support/request-costs.js';
import { machineInfo, sourceState, writeResults } from './support/results.js';
import { BENCH_CREDENTIALS } from './support/servers.js';
import { assertSyncSignerMatchesSdk, createSdkSigner, signSync, signWithSdk } from './support/sigv4-signing.js';
import { formatCount, formatMs, formatRatio, formatTable } from './support/table.js';

const TARGET_RATIO = 0.5;
const ROOT = join(import.meta.dirname, '..');

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    postgres: { type: 'string' },
    'sqlite-only': { type: 'boolean', default: false },
    profile: { type: 'string', default: 'auto' },
    'max-pool': { type: 'string', default: '400000' },
    'no-signing-check': { type: 'boolean', default: false },
    'keep-profiles': { type: 'string' },
    processes: { type: 'string', default: '2' },
  },
});
const durationSeconds = Number(flags.duration);
const warmupSeconds = Number(flags.warmup);
const connections = Number(flags.connections);
const maxPool = Number(flags['max-pool']);
const processes = Number(flags.processes);
const credentials = BENCH_CREDENTIALS;
for (const [name, value] of Object.entries({ duration: durationSeconds, warmup: warmupSeconds, connections, 'max-pool': maxPool, processes })) {
  if (!(value > 0)) throw new Error(`--${name} must be a positive number, not ${String(value)}`);
}
if (!['auto', 'always', 'never'].includes(flags.profile)) throw new Error(`--profile must be auto, always or never, not ${flags.profile}`);

const say = (line = '') => process.stdout.write(`${line}\n`);
const settings: RunSettings = { connections, warmupSeconds, durationSeconds, maxPool, credentials, root: ROOT };

// ---- the run --------------------------------------------------------------------------------------

const machine = machineInfo();
const source = await sourceState(ROOT);
say(`start-human-loop: ${connections} connections, ${warmupSeconds} s warm-up + ${durationSeconds} s per server`);
say(`machine: ${machine.cpus} × ${machine.cpuModel}, node ${machine.node}, load average ${machine.loadAverage.join(' ')}`);
say(`source: ${source.commit?.slice(0, 12) ?? 'unknown commit'}, src/ fingerprint ${source.fingerprint} (${source.files} files, uncommitted edits included)`);

// Signing: what it costs the load generator, and proof the synchronous signer equals the SDK's.
const sampleHost = '127.0.0.1:8080';
const samplePost = { host: sampleHost, path: '/human-loops', body: startHumanLoopBody(`arn:aws:sagemaker:us-east-1:${credentials.accountId}:flow-definition/x`, 'sample') };
await assertSyncSignerMatchesSdk(credentials, samplePost);
const jsSigner = createSdkSigner(credentials, 'sha256-js');
const nodeSigner = createSdkSigner(credentials, 'node-crypto');
const signingCost = {
  sdkWithSha256Js: await timePerCall(() => signWithSdk(jsSigner, samplePost), { batchSize: 300 }),
  sdkWithNodeCrypto: await timePerCall(() => signWithSdk(nodeSigner, samplePost), { batchSize: 500 }),
  syncNodeCrypto: await timePerCall(() => signSync(credentials, samplePost), { batchSize: 2_000 }),
};
say(
  `signing one request (µs): SignatureV4+sha256-js ${signingCost.sdkWithSha256Js.microsPerCall}, ` +
    `SignatureV4+node:crypto ${signingCost.sdkWithNodeCrypto.microsPerCall}, synchronous node:crypto ${signingCost.syncNodeCrypto.microsPerCall} ` +
    `(byte-identical to SignatureV4: checked)`,
);

const postgresUrl = flags['sqlite-only'] ? undefined : (flags.postgres ?? postgresServerUrl());
const postgresSkipped = flags['sqlite-only'] ? 'skipped: --sqlite-only' : await postgresUnavailableReason(postgresUrl);
if (postgresSkipped) say(`PostgreSQL: not measured (${postgresSkipped}); SQLite only`);
else say(`PostgreSQL: ${postgresUrl}`);

const runs: Run[] = [];
const record = (run: Run) => {
  runs.push(run);
  const check = run.verification ? `, store check ${run.verification.ok ? 'ok' : 'FAILED'}` : '';
  const cpu = `CPU: load generator ${run.cpuPercent.loadGenerator}%, server ${run.cpuPercent.server ?? '?'}% of a core`;
  say(`  ${run.label}: ${formatCount(run.requestsPerSecond)} req/s, p50 ${formatMs(run.latency.p50Ms)}, p99 ${formatMs(run.latency.p99Ms)}, non-2xx ${run.non2xx}${check}; ${cpu}`);
  return run;
};
say('runs:');
const echo1 = record(await runEcho('echo #1', settings));
const sqlite = record(await runTandem('sqlite', 'sqlite', 'pool', settings));
// The same store with TANDEM_PROCESSES server processes on one port (src/cluster.ts).
const multi = processes > 1 ? ` ×${processes}` : undefined;
const sqliteMulti = multi ? record(await runTandem(`sqlite${multi}`, 'sqlite', 'pool', settings, { processes })) : undefined;
const postgres = postgresSkipped ? undefined : record(await runTandem('postgres', 'postgres', 'pool', settings, { postgresUrl }));
const postgresMulti = postgresSkipped || !multi ? undefined : record(await runTandem(`postgres${multi}`, 'postgres', 'pool', settings, { postgresUrl, processes }));
const tandemRuns = [sqlite, sqliteMulti, postgres, postgresMulti].filter((run): run is Run => run !== undefined);
const echo2 = record(await runEcho('echo #2', settings));
const signingCheck = flags['no-signing-check'] ? undefined : await runTandem('sqlite, signing A/B (diagnostic)', 'sqlite', 'signing-ab', settings);
if (signingCheck?.signingAB) {
  const { pool, inline } = signingCheck.signingAB;
  runs.push(signingCheck);
  say(
    `  signing A/B on one SQLite server (${signingCheck.signingAB.sliceSeconds} s slices, A B B A A B B A): ` +
      `pre-signed ${formatCount(pool.requestsPerSecond)} req/s (load generator ${pool.loadGeneratorCpuPercent}% CPU), ` +
      `signed in setupRequest ${formatCount(inline.requestsPerSecond)} req/s (load generator ${inline.loadGeneratorCpuPercent}% CPU)`,
  );
}

const baselineRps = (echo1.requestsPerSecond + echo2.requestsPerSecond) / 2;
const baseline = {
  requestsPerSecond: Math.round(baselineRps),
  runs: [echo1.requestsPerSecond, echo2.requestsPerSecond],
  spreadPercent: round2((Math.abs(echo1.requestsPerSecond - echo2.requestsPerSecond) / baselineRps) * 100),
};
const ratio = (run: Run) => run.requestsPerSecond / baselineRps;
const echoCpu = [cpuMicrosPerRequest(echo1), cpuMicrosPerRequest(echo2)];
const baselineCpuMicros = echoCpu.every((v) => v !== undefined) ? ((echoCpu[0]! + echoCpu[1]!) / 2) : undefined;
const cpuRatio = (run: Run) => {
  const micros = cpuMicrosPerRequest(run);
  return baselineCpuMicros === undefined || micros === undefined ? undefined : baselineCpuMicros / micros;
};

// Profiles and part costs when a store misses the target (or when asked).
// Single-process runs only: a profile of a cluster's primary would show a process that only supervises.
const belowTarget = [sqlite, postgres].filter((run): run is Run => run !== undefined && ratio(run) < TARGET_RATIO);
const profileWanted = flags.profile === 'always' ? [sqlite, postgres].filter((run): run is Run => run !== undefined) : flags.profile === 'never' ? [] : belowTarget;
const profiles: Run[] = [];
let partCosts: Record<string, PerCallCost> | undefined;
if (profileWanted.length > 0) {
  say('profiling (server child under --cpu-prof; these runs are slower and not in the table):');
  for (const run of profileWanted) {
    const dir = await mkdtemp(join(tmpdir(), 'tandem-bench-prof-'));
    try {
      const profiled = await runTandem(`${run.server}, --cpu-prof`, run.server as BenchDialect, 'pool', settings, { postgresUrl, profileDir: dir });
      profiles.push(profiled);
      say(`  ${profiled.label}: ${formatCount(profiled.requestsPerSecond)} req/s under the profiler`);
      const file = flags['keep-profiles'] ? await findCpuProfile(dir) : undefined;
      if (file) {
        await mkdir(flags['keep-profiles']!, { recursive: true });
        const kept = join(flags['keep-profiles']!, `start-human-loop-${run.server}.cpuprofile`);
        await copyFile(file, kept);
        say(`  kept ${kept} (open it in Chrome DevTools' Performance panel)`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const sample = signSync(credentials, samplePost);
  partCosts = {
    verifySigV4: await measureVerifySigV4(sample, credentials),
    parseAndValidate: await measureParseAndValidate(sample),
  };
}


// ---- report ---------------------------------------------------------------------------------------

say();
say(
  formatTable(
    ['server', 'req/s', 'p50', 'p99', 'non-2xx', 'ratio to echo', 'CPU: server', '+ postgres', 'autocannon', 'CPU µs/req', 'CPU ratio'],
    [echo1, echo2, ...tandemRuns].map((run) => {
      const perRequest = cpuMicrosPerRequest(run);
      const byCpu = cpuRatio(run);
      return [
        run.label,
        formatCount(run.requestsPerSecond),
        formatMs(run.latency.p50Ms),
        formatMs(run.latency.p99Ms),
        String(run.non2xx),
        run.server === 'echo' ? '' : formatRatio(ratio(run)),
        `${run.cpuPercent.server ?? '?'}%`,
        run.cpuPercent.database === undefined ? '' : `${run.cpuPercent.database}%`,
        `${run.cpuPercent.loadGenerator}%`,
        perRequest === undefined ? '?' : formatCount(perRequest),
        run.server === 'echo' || byCpu === undefined ? '' : formatRatio(byCpu),
      ];
    }),
  ),
);
say(`baseline: ${formatCount(baseline.requestsPerSecond)} req/s (mean of ${baseline.runs.map(formatCount).join(' and ')}; spread ${baseline.spreadPercent}%)`);
say(`target: ${TARGET_RATIO}× the echo rate = ${formatCount(baselineRps * TARGET_RATIO)} req/s`);
say('CPU columns: % of one core during the measured run; CPU µs/req counts the server process(es) and, for PostgreSQL, its backends; CPU ratio = echo CPU µs/req ÷ this row\'s');
if (multi) say(`rows marked ${multi.trim()}: Tandem with ${processes} server processes on one port (TANDEM_PROCESSES=${processes}); the CPU columns add them up`);
const meeting = tandemRuns.filter((run) => ratio(run) >= TARGET_RATIO);
say(`meets the ${TARGET_RATIO}× target: ${meeting.length ? meeting.map((run) => `${run.label} (${formatRatio(ratio(run))})`).join(', ') : 'none'}`);
if (postgresSkipped) say(`PostgreSQL was not measured: ${postgresSkipped}`);
for (const run of [...tandemRuns, signingCheck]) {
  const v = run?.verification;
  if (!run || !v) continue;
  say(
    `store check (${run.label}): ${formatCount(v.loopsInStore)} loops stored; ${formatCount(v.acknowledged2xx)} 2xx responses (warm-up + timed), ` +
      `all stored (missing ${v.missing}); ${v.cutOffInFlight} more stored from the ${v.unansweredAtStop} requests cut off in flight when autocannon stopped; ` +
      `non-2xx ${run.non2xx + run.warmup.non2xx} → ${v.ok ? 'ok' : 'FAILED'}`,
  );
  for (const error of v.firstErrors) say(`    ${error}`);
  if (run.presign?.fallbacks) say(`  note: the pre-signed pool ran out; ${run.presign.fallbacks} requests were signed inline`);
}
if (signingCheck?.signingAB) {
  const { pool, inline } = signingCheck.signingAB;
  say(
    `signing inside the load generator: ${formatRatio(inline.requestsPerSecond / pool.requestsPerSecond)} the pre-signed rate ` +
      `(${formatCount(inline.requestsPerSecond)} vs ${formatCount(pool.requestsPerSecond)} req/s, interleaved on one server); ` +
      `SignatureV4 itself costs ${signingCost.sdkWithNodeCrypto.microsPerCall} µs per request here`,
  );
}
for (const profiled of profiles) {
  const p = profiled.profile;
  if (!p) continue;
  say();
  say(`CPU profile of the ${profiled.server} server (measured run only):`);
  say(formatCpuProfileSummary(p));
}
if (partCosts) {
  say();
  if (baselineCpuMicros !== undefined) {
    const used = tandemRuns.map((run) => `${run.label} ${formatCount(cpuMicrosPerRequest(run) ?? 0)}`);
    say(
      `the target in CPU terms: at most ${formatCount(baselineCpuMicros / TARGET_RATIO)} µs of server (+ database) CPU per request ` +
        `(echo: ${formatCount(baselineCpuMicros)}); used: ${used.join(', ')}`,
    );
  }
  say(formatTable(['in-process cost', 'µs/call', 'calls/s'], Object.entries(partCosts).map(([name, c]) => [name, String(c.microsPerCall), formatCount(c.callsPerSecond)])));
}
const files = await writeResults('start-human-loop', {
  benchmark: 'start-human-loop',
  machine: { ...machine, loadAverageAtEnd: machineInfo().loadAverage },
  source,
  settings: { connections, warmupSeconds, durationSeconds, processes, targetRatio: TARGET_RATIO, echoServer: 'bare Fastify POST /echo, own child process', tandemServer: 'startTandem, own child process', loadGenerator: 'autocannon in the parent process' },
  signingCost,
  postgres: postgresSkipped ? { measured: false, reason: postgresSkipped } : { measured: true },
  baseline: { ...baseline, cpuMicrosPerRequest: baselineCpuMicros === undefined ? undefined : Math.round(baselineCpuMicros) },
  signingCheck: signingCheck?.signingAB,
  results: tandemRuns.map((run) => ({
    label: run.label,
    server: run.server,
    processes: run.processes,
    requestsPerSecond: run.requestsPerSecond,
    p50Ms: run.latency.p50Ms,
    p99Ms: run.latency.p99Ms,
    ratioToEcho: round2(ratio(run)),
    cpuMicrosPerRequest: cpuMicrosPerRequest(run),
    cpuRatioToEcho: cpuRatio(run) === undefined ? undefined : round2(cpuRatio(run)!),
    meetsTarget: ratio(run) >= TARGET_RATIO,
    non2xx: run.non2xx,
    storeCheck: run.verification?.ok ?? false,
  })),
  runs,
  profiles,
  partCosts,
});
say();
say(`results: ${files.join(', ')}`);
const failed = [...runs, ...profiles].some((run) => (run.verification && !run.verification.ok) || run.non2xx > 0);
if (failed) {
  say('FAILED: a store check failed or a response was not 2xx');
  process.exitCode = 1;
}
