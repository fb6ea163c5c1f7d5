/**
 * The two kinds of server a benchmark drives, each in its own child process: the bare Fastify
 * echo baseline and a Tandem started with `startTandem`.
 *
 * @example
 * const database = await createBenchDatabase('sqlite');
 * const tandem = await startTandemServer({ dataDir: database.dataDir, databaseUrl: database.databaseUrl, credentials: BENCH_CREDENTIALS });
 * // … drive tandem.url, signed with BENCH_CREDENTIALS …
 * await tandem.stop();
 * await database.drop();
 */
import { entryPath, startChildServer, type ChildServer } from './child-server.js';

/** The account and root key every benchmark Tandem is started with (and requests are signed with). */
export interface BenchCredentials {
  accountId: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export const BENCH_CREDENTIALS: BenchCredentials = {
  accountId: '444455556666',
  region: 'us-east-1',
  accessKeyId: 'TNDMBENCHROOTKEY0001',
  secretAccessKey: 'bench-secret-access-key-0123456789abcdef',
};

export interface TandemServerOptions {
  /** Holds tandem.db (SQLite), master.key and output/. */
  dataDir: string;
  /** `postgres://…` for PostgreSQL; undefined for SQLite in `dataDir`. */
  databaseUrl: string | undefined;
  credentials: BenchCredentials;
  /** Server processes (`TANDEM_PROCESSES`); above 1 the child is the cluster's primary. @defaultValue `1` */
  processes?: number;
}

export interface ProcessOptions {
  /** Extra node flags for the server's process, e.g. `--cpu-prof`. */
  execArgv?: string[];
}

/** The baseline: a bare Fastify `POST /echo` (echo-server-process.ts) in its own process. */
export function startEchoServer(options: ProcessOptions = {}): Promise<ChildServer> {
  return startChildServer(entryPath('echo-server-process.ts'), { label: 'echo server', execArgv: options.execArgv ?? [] });
}

/** Tandem (tandem-server-process.ts) in its own process, on the given store. */
export function startTandemServer(tandem: TandemServerOptions, options: ProcessOptions = {}): Promise<ChildServer> {
  return startChildServer(entryPath('tandem-server-process.ts'), {
    label: `tandem server (${tandem.databaseUrl ? 'postgres' : 'sqlite'}, ${tandem.processes ?? 1} process(es))`,
    execArgv: options.execArgv ?? [],
    env: { ...process.env, BENCH_TANDEM_OPTIONS: JSON.stringify(tandem) },
  });
}
