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
