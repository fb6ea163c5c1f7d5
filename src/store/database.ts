import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import { SyncGroupCommit } from './group-commit.js';
import { ImmediateSqliteDialect } from './sqlite-dialect.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/** An open store: the query builder plus what differs between dialects. */
export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /**
   * SQLite only: runs a synchronous body of raw statements on the better-sqlite3 connection
   * under `db` (Kysely runs on the same handle) as one all-or-nothing unit; concurrent calls
   * share one commit (SyncGroupCommit). For the hottest writes (store/human-loop-start.ts).
   */
  writeSync?<T>(body: (database: SQLite.Database) => T): Promise<T>;
  /**
   * PostgreSQL only: runs one statement as a named prepared statement on a pooled connection;
   * each connection parses and plans it on first use only. For the hottest writes
   * (store/human-loop-start.ts). `name` must always come with the same `text`.
   */
  runPrepared?<Row>(statement: PreparedStatement): Promise<Row[]>;
  close(): Promise<void>;
}

export interface PreparedStatement {
  name: string;
  /** SQL with `$1`… placeholders. */
  text: string;
  values: unknown[];
}

export interface StoreLocation {
  /** `postgres://…`; when absent, SQLite at `sqliteFile`. */
  databaseUrl?: string | undefined;
  sqliteFile?: string;
  /** PostgreSQL pool size. @defaultValue `10` */
  poolSize?: number;
  /** SQLite's `synchronous` (see TandemConfig.sqliteSynchronous). @defaultValue `normal` */
  sqliteSynchronous?: 'full' | 'normal';
}

// int8 (bigint) columns hold millisecond timestamps and counts, all far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));

/**
 * Opens the store and brings its schema up to date.
 * @example
 * const store = await openStore({ sqliteFile: './data/tandem.db' });
 */
export async function openStore(location: StoreLocation): Promise<Store> {
  const store = location.databaseUrl ? openPostgres(location.databaseUrl, location.poolSize ?? 10) : openSqlite(location);
  try {
    await migrateToLatest(store.db);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function openPostgres(url: string, poolSize: number): Store {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client's error (the server restarted) must not crash the process; the pool
  // replaces the client on the next checkout.
  pool.on('error', () => {});
  // A checked-out client between two statements (inside a transaction, across an await) has no
  // pool listener: when its backend is terminated (restart, failover, pg_terminate_backend) pg
  // emits the socket error on the client, and with no listener that crashes the process. The
  // statement in progress, or the next one, still fails with the error, and the pool discards
  // the broken client on release.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    async runPrepared<Row>(statement: PreparedStatement) {
      const client = await pool.connect();
      try {
        return (await client.query(statement)).rows as Row[];
      } finally {
        // Never `release(error)` (what pool.query does): it closes the connection, and a failed
        // statement leaves it usable. Measured: unique violations through pool.query cost a new
        // backend each, 206 starts/s instead of 2,737.
        client.release();
      }
    },
    close: () => db.destroy(),
  };
}

function openSqlite(location: StoreLocation): Store {
  const file = location.sqliteFile ?? ':memory:';
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  // WAL lets readers proceed during a write. NORMAL (the default) syncs only at checkpoints: an
  // acknowledged write survives a process crash, an OS crash or power loss may lose the last
  // transactions. FULL syncs the WAL at every commit and survives those too; under the group
  // commit (one sync per batch) it still cost 32% of StartHumanLoop throughput in-process
  // (bench/README.md, sqlite-synchronous), so it is a setting (TANDEM_SQLITE_SYNCHRONOUS).
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${location.sqliteSynchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  // Checkpoint every ~40 MB of WAL instead of SQLite's 4 MB: the hot pages (index leaves, the
  // tables' last pages) are then copied back once per checkpoint rather than ten times. 40,000
  // StartHumanLoops in-process, 50 concurrent: 4,869 → 6,680 starts/s, 165 → 131 CPU µs each.
  // journal_size_limit truncates the WAL file after a checkpoint so it does not stay large.
  database.pragma('wal_autocheckpoint = 10000');
  database.pragma('journal_size_limit = 67108864');
  database.pragma('busy_timeout = 5000');
  // Statement journals and temporary indexes in memory, not temp files: a statement that may
  // abort half-way (a foreign-key check) journals each page it touches first, and in a file
  // that is two `pwrite`s per page.
  database.pragma('temp_store = MEMORY');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }) });
  const syncGroup = new SyncGroupCommit(db, database);
  return {
    db,
    dialect: 'sqlite',
    writeSync: (body) => syncGroup.run(body),
    close: () => db.destroy(),
  };
}

/** Prepared statements kept per SQL text. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every statement anew, which was the largest single cost of a
 * StartHumanLoop (a profile of 2,000 starts: `prepare` 40% of the time spent in the driver).
 * Tandem's queries repeat the same SQL with new parameters, so statements are prepared once and
 * reused. Safe because Kysely runs one statement at a time on the single connection and Tandem
 * never streams results (a statement being iterated cannot be run again).
 */
function withStatementCache(database: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => void database.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        // Refresh its place in the least-recently-used order.
        cache.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  // Numbers are handed out to parallel branches, so a release may ship 0008 before 0005 lands: a
  // store that ran 0008 must still run 0005 later instead of being called corrupted. Each
  // migration touches only its own tables and indexes, so their order does not matter.
  const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`);
  }
}
