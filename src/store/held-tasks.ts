import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { LEASED_SLOT_COLUMNS, moveLeasedSlots } from './task-events.js';

type Db = Kysely<Database>;

/**
 * Slots in status `held` belong to loops whose task template cannot be shown without losing
 * answers (an unknown crowd element or Liquid filter in a template stored before Tandem checked
 * them). They are never claimed (the claim takes only `open` slots), still expire with their
 * loop and are cancelled by StopHumanLoop; `tandem templates check` reopens them once the
 * template is usable (after an upgrade that defines the element).
 */

/**
 * Every waiting or leased slot of the loop becomes `held`, with no worker; each leased one gets
 * its `task.returned` event (reason `held`), in the same transaction.
 */
export async function holdLoopTasks(db: Db, humanLoopId: string, now: number): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const leased = await moveLeasedSlots(
      tx,
      (inner) => inner.selectFrom('tasks').select(LEASED_SLOT_COLUMNS).where('human_loop_id', '=', humanLoopId).where('status', '=', 'leased').orderBy('slot'),
      { status: 'held', worker_id: null, leased_at: null, lease_expires_at: null, idle_release_at: null },
      now,
      () => ({ topic: 'task.returned', reason: 'held' }),
    );
    const result = await tx
      .updateTable('tasks')
      .set({ status: 'held', worker_id: null, leased_at: null, lease_expires_at: null })
      .where('human_loop_id', '=', humanLoopId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return leased + Number(result.numUpdatedRows);
  });
}

/** Loops with held slots whose flow definition uses the task UI, per UI of the account. */
export async function countHeldLoopsByTaskUi(db: Db): Promise<Map<string, number>> {
  const rows = await sql<{ account_id: string; human_task_ui_name: string; loops: number | string }>`
    select f.account_id, f.human_task_ui_name, count(distinct t.human_loop_id) as loops
    from tasks t
    join human_loops l on l.id = t.human_loop_id
    join flow_definitions f on f.account_id = l.account_id and f.name = l.flow_definition_name
    where t.status = 'held'
    group by f.account_id, f.human_task_ui_name`.execute(db);
  return new Map(rows.rows.map((r) => [heldKey(r.account_id, r.human_task_ui_name), Number(r.loops)]));
}

/** Held slots of loops whose flow definition uses the task UI go back to the queue. */
export async function reopenHeldTasksOfTaskUi(db: Db, accountId: string, humanTaskUiName: string): Promise<number> {
  const result = await sql`
    update tasks set status = 'open'
    where status = 'held' and human_loop_id in (
      select l.id from human_loops l
      join flow_definitions f on f.account_id = l.account_id and f.name = l.flow_definition_name
      where f.account_id = ${accountId} and f.human_task_ui_name = ${humanTaskUiName})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export function heldKey(accountId: string, humanTaskUiName: string): string {
  return `${accountId}/${humanTaskUiName}`;
}
