import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/**
 * Leases that follow the person (issue 14). A claim from the portal sets `idle_release_at`
 * (tasks.ts `claimNextTask`); each heartbeat of the open task page moves it on; a page that is
 * closed pulls it in to a short grace period; the engine returns slots whose moment has passed.
 * Every statement is one conditional UPDATE, so it acts only on a lease the worker still holds.
 */

/** Moves the idle release of a slot this worker holds (unexpired); returns the lease's time limit, or undefined when not held. */
export async function setIdleRelease(
  db: Db,
  taskId: string,
  workerId: string,
  now: number,
  idleReleaseAt: number,
): Promise<{ leaseExpiresAt: number } | undefined> {
  const row = await db
    .updateTable('tasks')
    .set({ idle_release_at: idleReleaseAt })
    .where('id', '=', taskId)
    .where('worker_id', '=', workerId)
    .where('status', '=', 'leased')
    .where('lease_expires_at', '>', now)
    .returning('lease_expires_at')
    .executeTakeFirst();
  return row ? { leaseExpiresAt: Number(row.lease_expires_at) } : undefined;
}

/**
 * Leases whose page went quiet return to the queue, oldest moment first, at most `limit` per
 * call; one statement, so a slot is never returned twice. The partial index
 * `tasks_leased_by_idle_release` holds only leased rows with a moment set, so the scan touches
 * only candidates. The slot keeps no skip: the same reviewer may be offered it again.
 */
export async function releaseIdleLeases(db: Db, now: number, limit: number): Promise<number> {
  const result = await sql`
    update tasks set status = 'open', worker_id = null, leased_at = null, lease_expires_at = null, idle_release_at = null
    where id in (select id from tasks where status = 'leased' and idle_release_at is not null and idle_release_at <= ${now} limit ${limit})
      and status = 'leased' and idle_release_at <= ${now}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
