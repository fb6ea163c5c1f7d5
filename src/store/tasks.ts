import { sql, type Kysely } from 'kysely';
import type { Dialect } from './database.js';
import { LEASED_SLOT_COLUMNS, moveLeasedSlots } from './task-events.js';
import type { Database, TaskRow } from './schema.js';

type Db = Kysely<Database>;

/**
 * The review queue's SQL. Each statement changes state in one step (never read-then-write), so
 * no slot is ever leased twice, whatever the number of workers and processes claiming at once.
 */

export async function insertTasks(db: Db, rows: TaskRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('tasks').values(rows).execute();
}

/**
 * Leases the oldest open slot of the worker's teams that the worker has not held, answered or
 * skipped for its loop. One statement per dialect:
 * - PostgreSQL: per team of the worker, a LATERAL subquery walks `tasks_open_by_team` in claim
 *   order and takes the first eligible slot `FOR UPDATE SKIP LOCKED`, so concurrent claimers pass
 *   over each other's rows instead of queueing on them; the oldest of those candidates is leased.
 * - SQLite: the same per-team correlated subquery inside `UPDATE … WHERE id = (…) RETURNING`,
 *   one statement under SQLite's single writer lock, so no other claim can interleave.
 * The team is a known value inside the subquery, so the index delivers slots already in order
 * and `limit 1` stops at the first eligible one. Joining members on the team name instead made
 * both planners read and sort every open slot of the account: 7 claims/s (SQLite) and 11
 * (PostgreSQL) over 100k open tasks, against 2,346 and 601 with this form (bench/claim-next-task).
 * The partial unique index (human_loop_id, worker_id) backs the one-slot-per-worker rule.
 */
export async function claimNextTask(
  db: Db,
  dialect: Dialect,
  worker: { id: string; accountId: string },
  now: number,
  /** When the lease goes back for idleness unless the page's heartbeat pushes it on (store/lease-activity.ts). */
  idleReleaseAt: number | null = null,
): Promise<TaskRow | undefined> {
  const eligible = sql`t.account_id = m.account_id and t.workteam_name = m.workteam_name
      and t.status = 'open' and t.available_until > ${now}
      and not exists (select 1 from tasks o where o.human_loop_id = t.human_loop_id and o.worker_id = ${worker.id})
      and not exists (select 1 from answers a where a.human_loop_id = t.human_loop_id and a.worker_id = ${worker.id})
      and not exists (select 1 from task_skips s where s.human_loop_id = t.human_loop_id and s.worker_id = ${worker.id})
      order by t.created_at, t.id limit 1`;
  const members = sql`m.account_id = ${worker.accountId} and m.worker_id = ${worker.id}`;
  // The cast keeps PostgreSQL from typing the parameter as the integer column it is added to.
  const lease = sql`status = 'leased', worker_id = ${worker.id}, leased_at = ${now},
    lease_expires_at = cast(${now} as bigint) + time_limit_seconds * 1000, idle_release_at = cast(${idleReleaseAt} as bigint)`;
  const statement =
    dialect === 'postgres'
      ? sql<TaskRow>`with candidate as (
            select c.id from workteam_members m
            cross join lateral (select t.id, t.created_at from tasks t where ${eligible} for update of t skip locked) c
            where ${members} order by c.created_at, c.id limit 1)
          update tasks set ${lease} from candidate where tasks.id = candidate.id returning tasks.*`
      : sql<TaskRow>`update tasks set ${lease} where id = (
            select c.id from workteam_members m
            join tasks c on c.id = (select t.id from tasks t where ${eligible})
            where ${members} order by c.created_at, c.id limit 1)
          returning *`;
  const result = await statement.execute(db);
  return result.rows[0];
}

/** The slot if this worker holds an unexpired lease on it. */
export async function findHeldTask(db: Db, taskId: string, workerId: string, now: number): Promise<TaskRow | undefined> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('id', '=', taskId)
    .where('worker_id', '=', workerId)
    .where('status', '=', 'leased')
    .where('lease_expires_at', '>', now)
    .executeTakeFirst();
}

export async function findTask(db: Db, taskId: string): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
}

/** Leased → done, only while the lease is still this worker's and unexpired. */
export async function markTaskDone(db: Db, taskId: string, workerId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('tasks')
    .set({ status: 'done', done_at: now })
    .where('id', '=', taskId)
    .where('worker_id', '=', workerId)
    .where('status', '=', 'leased')
    .where('lease_expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Returns one worker's leased slot to the queue (skip). */
export async function releaseTask(db: Db, taskId: string, workerId: string): Promise<boolean> {
  const result = await db
    .updateTable('tasks')
    .set({ status: 'open', worker_id: null, leased_at: null, lease_expires_at: null })
    .where('id', '=', taskId)
    .where('worker_id', '=', workerId)
    .where('status', '=', 'leased')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Every slot the worker holds goes back to the queue, each with its `task.returned` event (reason `released`). */
export async function releaseLeasesOfWorker(db: Db, workerId: string, now: number): Promise<number> {
  return moveLeasedSlots(
    db,
    (tx) =>
      tx
        .selectFrom('tasks')
        .select(LEASED_SLOT_COLUMNS)
        .where('worker_id', '=', workerId)
        // A literal for the partial index tasks_leased_by_worker (migration 0003).
        .where(sql<boolean>`status = 'leased'`)
        .orderBy('id'),
    RETURN_TO_QUEUE,
    now,
    () => ({ topic: 'task.returned', reason: 'released' }),
  );
}

/**
 * Expired leases go back to the queue, oldest deadline first, at most `limit` per call, each
 * with its `task.expired` event; PostgreSQL passes over slots another process is returning, so
 * a lease is never returned (or announced) twice.
 */
export async function requeueExpiredLeases(db: Db, now: number, limit: number): Promise<number> {
  return moveLeasedSlots(db, (tx) => expiredLeasesQuery(tx, now, limit), RETURN_TO_QUEUE, now, () => ({ topic: 'task.expired' }));
}

/** Apart so tests can EXPLAIN it: reads tasks_leased_by_deadline from its start to `now`. */
export function expiredLeasesQuery(db: Db, now: number, limit: number) {
  return db
    .selectFrom('tasks')
    .select(LEASED_SLOT_COLUMNS)
    .where(sql<boolean>`status = 'leased'`)
    .where('lease_expires_at', '<=', now)
    .orderBy('lease_expires_at')
    .limit(limit);
}

/** A slot back in the queue: no worker, no lease. */
const RETURN_TO_QUEUE = { status: 'open', worker_id: null, leased_at: null, lease_expires_at: null, idle_release_at: null } as const;

/** Open and leased slots of a loop stop being offered (the loop stopped or failed). */
export async function cancelOpenTasks(db: Db, humanLoopId: string): Promise<void> {
  await db
    .updateTable('tasks')
    .set({ status: 'cancelled', lease_expires_at: null })
    .where('human_loop_id', '=', humanLoopId)
    .where('status', 'in', ['open', 'leased', 'held'])
    .execute();
}

export async function countDoneTasks(db: Db, humanLoopId: string): Promise<number> {
  const row = await db
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('human_loop_id', '=', humanLoopId)
    .where('status', '=', 'done')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Loops with a slot still waiting whose availability lifetime has passed. */
export async function findExpiredLoopIds(db: Db, now: number, limit: number): Promise<string[]> {
  const rows = await expiredLoopIdsQuery(db, now, limit).execute();
  // A loop with several waiting slots appears once per slot: fewer loops per batch, and the
  // engine runs again at once while it finds work.
  return [...new Set(rows.map((r) => r.human_loop_id))];
}

/**
 * Reads tasks_waiting_by_deadline (migration 0003) from its start to `now`: the slots already
 * done, cancelled or still in time are never read. No DISTINCT: SQLite answered that by walking
 * the whole (human_loop_id, slot) index in loop order. The status list is a literal so both
 * planners can prove the partial index applies.
 */
export function expiredLoopIdsQuery(db: Db, now: number, limit: number) {
  return db
    .selectFrom('tasks')
    .select('human_loop_id')
    // Held slots (template-holds.ts) wait, but the loop still expires on time.
    .where(sql<boolean>`status in ('open', 'leased', 'held')`)
    .where('available_until', '<=', now)
    .orderBy('available_until')
    .limit(limit);
}

export async function recordSkip(db: Db, humanLoopId: string, workerId: string, now: number): Promise<void> {
  await db
    .insertInto('task_skips')
    .values({ human_loop_id: humanLoopId, worker_id: workerId, skipped_at: now })
    .onConflict((oc) => oc.columns(['human_loop_id', 'worker_id']).doNothing())
    .execute();
}

/** A deleted loop takes its slots, answers and skips with it (its output.json stays). */
export async function deleteReviewData(db: Db, humanLoopId: string): Promise<void> {
  await db.deleteFrom('answers').where('human_loop_id', '=', humanLoopId).execute();
  await db.deleteFrom('task_skips').where('human_loop_id', '=', humanLoopId).execute();
  await db.deleteFrom('tasks').where('human_loop_id', '=', humanLoopId).execute();
}
