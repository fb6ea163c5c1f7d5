/**
 * Fresh stores for benchmark runs: a new SQLite data directory, or a new PostgreSQL database
 * (`create database …`) on the server benchmarks were given, dropped afterwards.
 *
 * The PostgreSQL server comes from `TANDEM_BENCH_DATABASE_URL`, else `TANDEM_TEST_DATABASE_URL`
 * (`npm run bench` sets the first, starting scripts/postgres.sh when needed).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/database.js';

export type BenchDialect = 'sqlite' | 'postgres';

export interface BenchDatabase {
  dialect: BenchDialect;
  /** Holds tandem.db (SQLite), master.key and output/; fresh for every database. */
  dataDir: string;
  /** The new database's URL (PostgreSQL); undefined for SQLite. */
  databaseUrl: string | undefined;
  /** Opens the store (read it once the server is stopped, for SQLite). */
  open(): Promise<Store>;
  /** Process ids of the PostgreSQL backends connected to this database now; [] for SQLite. */
  backendPids(): Promise<number[]>;
  drop(): Promise<void>;
}

/** The PostgreSQL server URL from the environment, or undefined. */
export function postgresServerUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.TANDEM_BENCH_DATABASE_URL || env.TANDEM_TEST_DATABASE_URL || undefined;
}

/** Why PostgreSQL cannot be used (no URL, or the server does not answer), or undefined when it can. */
export async function postgresUnavailableReason(serverUrl: string | undefined): Promise<string | undefined> {
  if (!serverUrl) return 'no PostgreSQL server given (TANDEM_BENCH_DATABASE_URL / TANDEM_TEST_DATABASE_URL unset)';
  try {
    await adminQuery(serverUrl, 'select 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${serverUrl} does not answer: ${(error as Error).message}`;
  }
}

export async function createBenchDatabase(dialect: BenchDialect, serverUrl?: string): Promise<BenchDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), `tandem-bench-${dialect}-`));
  if (dialect === 'sqlite') {
    return {
      dialect,
      dataDir,
      databaseUrl: undefined,
      open: () => openStore({ sqliteFile: join(dataDir, 'tandem.db') }),
      backendPids: async () => [],
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  if (!serverUrl) throw new Error('createBenchDatabase: PostgreSQL needs a server URL');
  const name = `tandem_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    dialect,
    dataDir,
    databaseUrl,
    open: () => openStore({ databaseUrl, poolSize: 2 }),
    async backendPids() {
      const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
      await client.connect();
      try {
        const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [name]);
        return rows.map((row) => row.pid);
      } finally {
        await client.end();
      }
    },
    async drop() {
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
