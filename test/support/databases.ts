import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { postgresUrl, requireAll, skipReason, unavailableReason } from './environment.js';

export type TestDialect = 'sqlite' | 'postgres';
export const DIALECTS: readonly TestDialect[] = ['sqlite', 'postgres'];

/** A private database for one test file: a fresh SQLite file, or a new PostgreSQL database. */
export interface TestDatabase {
  dialect: TestDialect;
  /** Holds tandem.db (SQLite), master.key and output/. */
  dataDir: string;
  databaseUrl: string | undefined;
  drop(): Promise<void>;
}

/** `{ skip: reason }` for node:test when the dialect cannot run here (throws under CI instead). */
export function dialectSkip(dialect: TestDialect): string | false {
  return dialect === 'postgres' ? skipReason('postgres') : false;
}

/**
 * The one dialect a browser test file runs on. A browser scenario runs once, not once per
 * dialect: what it adds is the page, and the store beneath it (claims, leases, heartbeats, answers,
 * stops) is tested on both dialects by test/store and the API tests in test/portal. A file that
 * prefers PostgreSQL runs on SQLite when PostgreSQL is missing outside CI, so it still runs there.
 */
export function browserDialect(preferred: TestDialect): TestDialect {
  return preferred === 'postgres' && unavailableReason('postgres') && !requireAll() ? 'sqlite' : preferred;
}

export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), `tandem-test-${dialect}-`));
  if (dialect === 'sqlite') {
    return { dialect, dataDir, databaseUrl: undefined, drop: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const server = postgresUrl();
  if (!server) throw new Error('PostgreSQL is not available (TANDEM_TEST_DATABASE_URL is unset)');
  const name = `tandem_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(server, `create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    dialect,
    dataDir,
    databaseUrl: url.toString(),
    async drop() {
      await adminQuery(server, `drop database if exists ${name} with (force)`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
