/**
 * The runs of the start-human-loop benchmark: the echo baseline and Tandem driven with signed
 * StartHumanLoop requests, each server in its own process, each Tandem run checked against its
 * store afterwards. bench/start-human-loop.ts decides the order and reports.
 *
 * @example
 * const settings = { connections: 50, warmupSeconds: 2, durationSeconds: 10, maxPool: 400_000, credentials: BENCH_CREDENTIALS, root };
 * const echo = await runEcho('echo #1', settings);
 * const sqlite = await runTandem('sqlite', 'sqlite', 'pool', settings);
 * sqlite.requestsPerSecond / echo.requestsPerSecond;
 */
import { randomBytes } from 'node:crypto';
import { findCpuProfile, summarizeCpuProfile, TANDEM_FRAME_GROUPS, type CpuProfileSummary } from './cpu-profile.js';
import { createBenchDatabase, type BenchDatabase, type BenchDialect } from './databases.js';
import { combineLoads, RequestPool, runLoad, type CombinedLoad, type LoadResult, type RequestSpec } from './load.js';
import { createReviewSetup } from './review-setup.js';
import { startEchoServer, startTandemServer, type BenchCredentials } from './servers.js';
import { createSdkSigner, signSync, signWithSdk } from './sigv4-signing.js';

const ECHO_POOL_SIZE = 5_000;

export interface RunSettings {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** Most requests pre-signed for one run. */
  maxPool: number;
  credentials: BenchCredentials;
  /** Repository root, for profile paths. */
  root: string;
}

/** A typical A2I input: an object reference, the model's guess, the question for the reviewer. */
const INPUT_CONTENT = JSON.stringify({
  taskObject: 's3://bench-bucket/images/2026/01/cat-000123.jpg',
  question: 'Is this a cat or a dog?',
  text: 'A small animal sits on a windowsill, looking at the street below.',
  modelPrediction: { label: 'Cat', confidence: 0.61 },
});

export function startHumanLoopBody(flowDefinitionArn: string, name: string): string {
  return JSON.stringify({
    HumanLoopName: name,
    FlowDefinitionArn: flowDefinitionArn,
    HumanLoopInput: { InputContent: INPUT_CONTENT },
    DataAttributes: { ContentClassifiers: ['FreeOfPersonallyIdentifiableInformation'] },
  });
}

export interface Run extends LoadResult {
  label: string;
  server: 'echo' | BenchDialect;
  /** Tandem's server processes (1 for the echo). */
  processes: number;
  signing: 'pre-signed pool' | 'interleaved: pre-signed pool / inline in setupRequest' | 'n/a (echo)';
  warmup: { seconds: number; requestsPerSecond: number; non2xx: number };
  presign?: { requests: number; seconds: number; microsPerRequest: number; fallbacks: number };
  verification?: Verification;
  signingAB?: SigningAB;
  profile?: CpuProfileSummary;
}

export interface Verification {
  ok: boolean;
  loopsInStore: number;
  acknowledged2xx: number;
  /** Acknowledged (2xx) but not in the store: must be 0. */
  missing: number;
  /** In the store, no 2xx read: requests cut off in flight when a run ended. */
  cutOffInFlight: number;
  /** Requests written but unanswered when the warm-up and timed runs stopped. */
  unansweredAtStop: number;
  nonBenchRows: number;
  firstErrors: string[];
}

export async function runEcho(label: string, settings: RunSettings): Promise<Run> {
  const { connections, warmupSeconds, durationSeconds, credentials } = settings;
  const server = await startEchoServer();
  try {
    const host = new URL(server.url).host;
    const arn = `arn:aws:sagemaker:${credentials.region}:${credentials.accountId}:flow-definition/echo-flow`;
    const requests = Array.from({ length: ECHO_POOL_SIZE }, (_, i) =>
      signSync(credentials, { host, path: '/echo', body: startHumanLoopBody(arn, `echo-${i}`) }),
    );
    const pool = new RequestPool(requests, { cycle: true });
    // A response callback like the Tandem runs' one, so the load generator does the same work.
    const statuses = new Map<number, number>();
    const onResponse = (status: number) => void statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const load = { url: server.url, connections, serverPids: [server.pid], nextRequest: () => pool.next(), onResponse };
    const warm = await runLoad({ ...load, durationSeconds: warmupSeconds });
    const timed = await runLoad({ ...load, durationSeconds });
    return { label, server: 'echo', processes: 1, signing: 'n/a (echo)', warmup: brief(warm), ...timed };
  } finally {
    await server.stop();
  }
}

/**
 * One Tandem server on a fresh store: set-up, warm-up (signing inline), pre-signing, then either
 * the measured run from the pre-signed pool (`pool`), or the signing diagnostic (`signing-ab`):
 * pre-signed and inline-signed slices interleaved on the same server, A B B A A B B A, so both
 * arms see the same machine; then the store check.
 */
export async function runTandem(
  label: string,
  dialect: BenchDialect,
  mode: 'pool' | 'signing-ab',
  settings: RunSettings,
  options: { postgresUrl?: string | undefined; profileDir?: string; processes?: number } = {},
): Promise<Run> {
  const { connections, warmupSeconds, durationSeconds, maxPool, credentials } = settings;
  const database = await createBenchDatabase(dialect, options.postgresUrl);
  try {
    const execArgv = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
    const server = await startTandemServer(
      { dataDir: database.dataDir, databaseUrl: database.databaseUrl, credentials, processes: options.processes ?? 1 },
      { execArgv },
    );
    let stopped = false;
    try {
      const { FlowDefinitionArn } = await createReviewSetup(server.url, credentials, 'bench');
      const host = new URL(server.url).host;
      const tag = randomBytes(3).toString('hex');
      let counter = 0;
      const post = (phase: string) => ({ host, path: '/human-loops', body: startHumanLoopBody(FlowDefinitionArn, `${phase}-${tag}-${counter++}`) });
      const signInline = (phase: string) => () => signSync(credentials, post(phase));

      const acknowledged = new Set<string>();
      const firstErrors: string[] = [];
      const onResponse = (status: number, body: string) => {
        if (status === 200) acknowledged.add(body.slice(body.lastIndexOf('/') + 1, body.lastIndexOf('"')));
        else if (firstErrors.length < 5) firstErrors.push(`${status} ${body.slice(0, 300)}`);
      };
      // A multi-process Tandem announces its server processes; the primary itself only supervises.
      const serverPids = [server.pid, ...((server.info.serverPids as number[] | undefined) ?? [])];
      const load = { url: server.url, connections, serverPids, onResponse };
      const warm = await runLoad({ ...load, durationSeconds: warmupSeconds, nextRequest: signInline('w') });

      // Enough for the measured time at 1.5× the warm-up rate; more is signed inline (and reported).
      const size = Math.min(maxPool, Math.max(10_000, Math.ceil(warm.requestsPerSecond * durationSeconds * 1.5) + 2 * connections));
      const signer = createSdkSigner(credentials, 'node-crypto');
      const started = performance.now();
      const items: RequestSpec[] = [];
      for (let i = 0; i < size; i++) items.push(await signWithSdk(signer, post('t')));
      const seconds = (performance.now() - started) / 1000;
      const pool = new RequestPool(items, { cycle: false, fallback: signInline('t') });
      const presign = { requests: size, seconds: round2(seconds), microsPerRequest: round2((seconds * 1e6) / size), fallbacks: 0 };

      // The PostgreSQL backends serving this server (its pool is full after the warm-up).
      const databasePids = await database.backendPids();
      const measured = { ...load, ...(databasePids.length > 0 ? { databasePids } : {}) };
      const loads: LoadResult[] = [warm];
      let timed: LoadResult;
      let signingAB: SigningAB | undefined;
      const timedStart = process.hrtime.bigint();
      if (mode === 'pool') {
        timed = await runLoad({ ...measured, durationSeconds, nextRequest: () => pool.next() });
        loads.push(timed);
      } else {
        const slice = durationSeconds / 4;
        const arms: Record<'pool' | 'inline', LoadResult[]> = { pool: [], inline: [] };
        for (const arm of ['pool', 'inline', 'inline', 'pool', 'pool', 'inline', 'inline', 'pool'] as const) {
          const next = arm === 'pool' ? () => pool.next() : signInline('i');
          const result = await runLoad({ ...measured, durationSeconds: slice, nextRequest: next });
          arms[arm].push(result);
          loads.push(result);
        }
        signingAB = { sliceSeconds: slice, pool: combineLoads(arms.pool), inline: combineLoads(arms.inline) };
        timed = arms.inline[0]!;
      }
      const timedWindow = { startMicros: Number(timedStart / 1000n), endMicros: Number(process.hrtime.bigint() / 1000n) };
      presign.fallbacks = pool.fallbacks;

      await server.stop();
      stopped = true;
      const verification = await verifyStore(database, credentials.accountId, tag, acknowledged, loads, firstErrors);
      const profile = options.profileDir ? await summarizeProfile(options.profileDir, timedWindow, settings.root) : undefined;
      return {
        label,
        server: dialect,
        processes: options.processes ?? 1,
        signing: mode === 'pool' ? 'pre-signed pool' : 'interleaved: pre-signed pool / inline in setupRequest',
        warmup: brief(warm),
        presign,
        ...timed,
        verification,
        ...(signingAB ? { signingAB } : {}),
        ...(profile ? { profile } : {}),
      };
    } finally {
      if (!stopped) await server.stop();
    }
  } finally {
    await database.drop();
  }
}

export interface SigningAB {
  sliceSeconds: number;
  pool: CombinedLoad;
  inline: CombinedLoad;
}

/** Every loop a 2xx acknowledged is stored; every other stored loop was cut off in flight. */
async function verifyStore(
  database: BenchDatabase,
  accountId: string,
  tag: string,
  acknowledged: Set<string>,
  loads: LoadResult[],
  firstErrors: string[],
): Promise<Verification> {
  const store = await database.open();
  try {
    const rows = await store.db.selectFrom('human_loops').select('name').where('account_id', '=', accountId).execute();
    const stored = new Set(rows.map((row) => row.name));
    let missing = 0;
    for (const name of acknowledged) if (!stored.has(name)) missing++;
    let cutOffInFlight = 0;
    let nonBenchRows = 0;
    for (const name of stored) {
      if (acknowledged.has(name)) continue;
      if (name.includes(`-${tag}-`)) cutOffInFlight++;
      else nonBenchRows++;
    }
    const unansweredAtStop = loads.reduce((sum, load) => sum + (load.sent - load.responses), 0);
    const non2xx = loads.reduce((sum, load) => sum + load.non2xx + load.errors + load.timeouts, 0);
    return {
      ok: missing === 0 && nonBenchRows === 0 && cutOffInFlight <= unansweredAtStop && non2xx === 0,
      loopsInStore: stored.size,
      acknowledged2xx: acknowledged.size,
      missing,
      cutOffInFlight,
      unansweredAtStop,
      nonBenchRows,
      firstErrors,
    };
  } finally {
    await store.close();
  }
}

/** The server's profile during the timed run only (not start-up, set-up, warm-up or pre-signing). */
async function summarizeProfile(dir: string, window: { startMicros: number; endMicros: number }, root: string): Promise<CpuProfileSummary | undefined> {
  const file = await findCpuProfile(dir);
  return file ? summarizeCpuProfile(file, { root, window, groups: TANDEM_FRAME_GROUPS }) : undefined;
}

function brief(load: LoadResult): Run['warmup'] {
  return { seconds: load.durationSeconds, requestsPerSecond: load.requestsPerSecond, non2xx: load.non2xx };
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
