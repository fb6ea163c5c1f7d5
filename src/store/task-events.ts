/**
 * Slot changes together with their task events (domain/task-events.ts): every function here
 * changes slots and writes one outbox row per changed slot in the same transaction, so an event
 * is announced only for a change that committed, and every committed change is announced.
 */
import type { Kysely, SelectQueryBuilder, Updateable } from 'kysely';
import { taskEvent, type LeasedSlot, type TaskEventFacts } from '../domain/task-events.js';
import { isPostgres } from './migrations/dialect.js';
import { appendEvents } from './outbox.js';
import type { Database, TasksTable } from './schema.js';

type Db = Kysely<Database>;

/** The columns a task event needs of a slot, read before a change clears the worker and lease. */
export const LEASED_SLOT_COLUMNS = ['id', 'account_id', 'human_loop_id', 'workteam_name', 'slot', 'worker_id', 'leased_at', 'lease_expires_at'] as const;

/** Call inside the transaction that changed `slots`: one outbox row per slot, in the given order. */
export async function appendTaskEvents(tx: Db, slots: LeasedSlot[], at: number, facts: (slot: LeasedSlot) => TaskEventFacts): Promise<void> {
  if (slots.length === 0) return;
  const loopIds = [...new Set(slots.map((slot) => slot.human_loop_id))];
  const loops = new Map(
    (await tx.selectFrom('human_loops').select(['id', 'name', 'arn', 'flow_definition_arn']).where('id', 'in', loopIds).execute()).map((loop) => [loop.id, loop]),
  );
  await appendEvents(
    tx,
    slots.flatMap((slot) => {
      const loop = loops.get(slot.human_loop_id);
      return loop ? [taskEvent(slot, loop, at, facts(slot))] : [];
    }),
  );
}

/**
 * Moves leased slots out of their lease in one transaction: reads the slots `candidates`
 * selects (on PostgreSQL locked, passing over those another process is moving), applies `set`
 * to those still leased, and records `facts` for each. The read comes first because the change
 * clears the worker and lease times the event reports; the lock (PostgreSQL) or the write lock
 * every SQLite transaction takes first (sqlite-dialect.ts) keeps the two steps one change.
 * Returns how many slots moved.
 */
export async function moveLeasedSlots(
  db: Db,
  candidates: (tx: Db) => SelectQueryBuilder<Database, 'tasks', LeasedSlot>,
  set: Updateable<TasksTable>,
  at: number,
  facts: (slot: LeasedSlot) => TaskEventFacts,
): Promise<number> {
  const move = async (tx: Db): Promise<number> => {
    let query = candidates(tx);
    if (isPostgres(tx as unknown as Kysely<unknown>)) query = query.forUpdate().skipLocked();
    const slots = await query.execute();
    if (slots.length === 0) return 0;
    const moved = new Set(
      (
        await tx
          .updateTable('tasks')
          .set(set)
          .where('id', 'in', slots.map((slot) => slot.id))
          .where('status', '=', 'leased')
          .returning('id')
          .execute()
      ).map((row) => row.id),
    );
    await appendTaskEvents(tx, slots.filter((slot) => moved.has(slot.id)), at, facts);
    return moved.size;
  };
  // Inside a caller's transaction the change joins it; otherwise it is a transaction of its own.
  return db.isTransaction ? move(db) : db.transaction().execute(move);
}
