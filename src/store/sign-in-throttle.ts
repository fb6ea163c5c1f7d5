import { sql, type Kysely } from 'kysely';
import type { Database, SignInThrottleTable } from './schema.js';

type Db = Kysely<Database>;

export type ThrottleRow = Pick<SignInThrottleTable, 'key' | 'window_start' | 'failures' | 'last_failure_at'>;

export async function readThrottleRows(db: Db, keys: string[]): Promise<ThrottleRow[]> {
  return db.selectFrom('sign_in_throttle').select(['key', 'window_start', 'failures', 'last_failure_at']).where('key', 'in', keys).execute();
}

/**
 * Counts one failure for each key in one statement per key: a window that ended (started at or
 * before `windowStartedBefore`) restarts at `now` with 1 failure. The upsert is atomic, so
 * processes counting the same key at once lose no failure.
 */
export async function countThrottleFailure(db: Db, keys: string[], now: number, windowStartedBefore: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const key of keys) {
      await trx
        .insertInto('sign_in_throttle')
        .values({ key, window_start: now, failures: 1, last_failure_at: now })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            window_start: sql<number>`case when sign_in_throttle.window_start <= ${windowStartedBefore} then ${now} else sign_in_throttle.window_start end`,
            failures: sql<number>`case when sign_in_throttle.window_start <= ${windowStartedBefore} then 1 else sign_in_throttle.failures + 1 end`,
            last_failure_at: now,
          }),
        )
        .execute();
    }
  });
}

export async function forgetThrottleKey(db: Db, key: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('key', '=', key).execute();
}

/** Rows whose last failure is before `before` count for nothing any more. */
export async function deleteStaleThrottleRows(db: Db, before: number): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('last_failure_at', '<', before).execute();
}
