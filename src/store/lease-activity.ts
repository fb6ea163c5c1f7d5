import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { LEASED_SLOT_COLUMNS, moveLeasedSlots } from './task-events.js';

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
 * call, each with its `task.returned` event (reason `idle`); PostgreSQL passes over slots another
 * process is returning, so a slot is never returned twice. The partial index
 * `tasks_leased_by_idle_release` holds only leased rows with a moment set, so the scan touches
 * only candidates. The slot keeps no skip: the same reviewer may be offered it again.
 */
export async function releaseIdleLeases(db: Db, now: number, limit: number): Promise<number> {
  return moveLeasedSlots(
    db,
    (tx) =>
      tx
        .selectFrom('tasks')
        .select(LEASED_SLOT_COLUMNS)
        .where(sql<boolean>`status = 'leased'`)
        .where('idle_release_at', 'is not', null)
        .where('idle_release_at', '<=', now)
        .orderBy('idle_release_at')
        .limit(limit),
    { status: 'open', worker_id: null, leased_at: null, lease_expires_at: null, idle_release_at: null },
    now,
    () => ({ topic: 'task.returned', reason: 'idle' }),
  );
}
