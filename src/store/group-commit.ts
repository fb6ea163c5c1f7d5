import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Most changes one commit carries. */
const MAX_BATCH = 128;

type SyncBody<T> = (database: SQLite.Database) => T;

interface SyncJob {
  body: SyncBody<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit for synchronous SQLite bodies (raw better-sqlite3 statements, the hot writes).
 * The batch runs without a single await: `begin immediate`, each body, one commit, under Kysely's
 * connection lock so no Kysely transaction is open meanwhile. `immediate` takes the write lock
 * before the bodies read, as every Tandem transaction on SQLite does (sqlite-dialect.ts): another
 * server process may share the file (cluster.ts). Kysely's begin/savepoint/release/commit were
 * the largest remaining cost of a StartHumanLoop on SQLite (34% of a profile of the benchmark's
 * server); these are prepared once and run back to back.
 *
 * Bodies run without a savepoint each: a savepoint makes SQLite copy every page a body touches
 * into the statement journal first (measured: 21 `pwrite`s per StartHumanLoop, and ~35% more
 * CPU per start, bench/start-human-loop). The price is the contract below: when any body throws,
 * the statements it ran before throwing may have written, so the whole batch is rolled back and
 * run again with one savepoint per body, each body's outcome its own. Bodies must therefore be
 * repeatable: effects outside the database belong after the promise settles. Expected outcomes
 * (a name already taken) are return values, not exceptions, so the slow path is for real errors.
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
      begin: sqlite.prepare('begin immediate'),
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
    const values: unknown[] = [];
    let bodyThrew = false;
    try {
      c.begin.run();
      try {
        for (const job of batch) values.push(job.body(this.#sqlite));
      } catch {
        bodyThrew = true;
      }
      if (!bodyThrew) c.commit.run();
      else if (this.#sqlite.inTransaction) c.rollback.run();
    } catch (error) {
      // `begin` or `commit` failed (the lock not granted in time, a full disk): no body is to
      // blame, and running them again would only wait for the same lock a second time.
      if (this.#sqlite.inTransaction) c.rollback.run();
      for (const job of batch) job.reject(error);
      return;
    }
    if (bodyThrew) this.#commitEachInSavepoint(batch);
    else batch.forEach((job, index) => job.resolve(values[index]));
  }

  #commitEachInSavepoint(batch: SyncJob[]): void {
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
