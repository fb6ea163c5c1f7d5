import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

type Body<T> = (tx: Kysely<Database>) => Promise<T>;

interface Job {
  body: Body<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Most changes one commit carries. */
const MAX_BATCH = 128;

/**
 * Group commit for SQLite. Each state change still runs as its own unit (a savepoint inside a
 * shared transaction: a body that throws is rolled back alone), but changes that arrive while a
 * commit is in flight share the next commit. On SQLite the commit (WAL append, checkpoints) is
 * most of a write's cost: 376 µs of a StartHumanLoop's ~480 µs CPU in a profile of 6,000
 * starts, so concurrent writers gain almost linearly. A change is reported only after its batch
 * committed; if the commit fails, every change in the batch fails.
 */
export class GroupCommit {
  readonly #db: Kysely<Database>;
  #queue: Job[] = [];
  #draining = false;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  run<T>(body: Body<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ body, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) await this.#commit(this.#queue.splice(0, MAX_BATCH));
    } finally {
      this.#draining = false;
    }
  }

  async #commit(batch: Job[]): Promise<void> {
    let trx;
    try {
      trx = await this.#db.startTransaction().execute();
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    const outcomes: { job: Job; ok: boolean; value: unknown }[] = [];
    try {
      for (const job of batch) {
        const unit = await trx.savepoint('unit').execute();
        try {
          const value = await job.body(unit);
          await unit.releaseSavepoint('unit').execute();
          outcomes.push({ job, ok: true, value });
        } catch (error) {
          await unit.rollbackToSavepoint('unit').execute();
          await unit.releaseSavepoint('unit').execute();
          outcomes.push({ job, ok: false, value: error });
        }
      }
      await trx.commit().execute();
    } catch (error) {
      await trx.rollback().execute().catch(() => {});
      for (const job of batch) job.reject(error);
      return;
    }
    for (const { job, ok, value } of outcomes) (ok ? job.resolve : job.reject)(value);
  }
}

type SyncBody<T> = (database: SQLite.Database) => T;

interface SyncJob {
  body: SyncBody<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit for synchronous SQLite bodies (raw better-sqlite3 statements, the hot writes).
 * The batch runs without a single await: begin, then each body inside its own savepoint, then
 * one commit, under Kysely's connection lock so no Kysely transaction is open meanwhile. Kysely's
 * begin/savepoint/release/commit were the largest remaining cost of a StartHumanLoop on SQLite
 * (34% of a profile of the benchmark's server); these are prepared once and run back to back.
 */
export class SyncGroupCommit {
  readonly #db: Kysely<Database>;
  readonly #sqlite: SQLite.Database;
  readonly #control: Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo', SQLite.Statement>;
  #queue: SyncJob[] = [];
  #scheduled = false;

  constructor(db: Kysely<Database>, sqlite: SQLite.Database) {
    this.#db = db;
    this.#sqlite = sqlite;
    this.#control = {
      begin: sqlite.prepare('begin'),
      commit: sqlite.prepare('commit'),
      rollback: sqlite.prepare('rollback'),
      savepoint: sqlite.prepare('savepoint unit'),
      release: sqlite.prepare('release unit'),
      rollbackTo: sqlite.prepare('rollback to unit'),
    };
  }

  run<T>(body: SyncBody<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ body, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // Let the requests of this turn of the event loop join the batch.
    setImmediate(() => void this.#drain());
  }

  async #drain(): Promise<void> {
    try {
      await this.#db.connection().execute(async () => {
        while (this.#queue.length > 0) this.#commit(this.#queue.splice(0, MAX_BATCH));
      });
    } catch (error) {
      for (const job of this.#queue.splice(0)) job.reject(error);
    } finally {
      this.#scheduled = false;
      if (this.#queue.length > 0) this.#schedule();
    }
  }

  #commit(batch: SyncJob[]): void {
    const c = this.#control;
    const outcomes: { job: SyncJob; ok: boolean; value: unknown }[] = [];
    try {
      c.begin.run();
      for (const job of batch) {
        c.savepoint.run();
        try {
          const value = job.body(this.#sqlite);
          c.release.run();
          outcomes.push({ job, ok: true, value });
        } catch (error) {
          c.rollbackTo.run();
          c.release.run();
          outcomes.push({ job, ok: false, value: error });
        }
      }
      c.commit.run();
    } catch (error) {
      if (this.#sqlite.inTransaction) c.rollback.run();
      for (const job of batch) job.reject(error);
      return;
    }
    for (const { job, ok, value } of outcomes) (ok ? job.resolve : job.reject)(value);
  }
}
