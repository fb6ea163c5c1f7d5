import { sql, type Kysely } from 'kysely';
import type { Database, HumanLoopRow, HumanLoopStatus, HumanLoopUpdate, NewHumanLoop } from './schema.js';
import type { CreationTimeFilter } from './human-task-uis.js';
import { applyKeyset, type KeysetPage } from './keyset.js';

type Db = Kysely<Database>;

export async function findHumanLoop(db: Db, accountId: string, name: string): Promise<HumanLoopRow | undefined> {
  return db
    .selectFrom('human_loops')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function insertHumanLoop(db: Db, row: NewHumanLoop): Promise<void> {
  await db.insertInto('human_loops').values(row).execute();
}

/**
 * Moves a loop from one of `from` to a new status; false when it was no longer in one of them
 * (another request or process moved it first), so transitions never race.
 */
export async function transitionHumanLoop(
  db: Db,
  id: string,
  from: HumanLoopStatus[],
  changes: HumanLoopUpdate & { status: HumanLoopStatus },
): Promise<boolean> {
  const result = await db
    .updateTable('human_loops')
    .set(changes)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Deletes the loop; false when it was already gone (a concurrent delete won), so only the
 * request that actually deleted it announces the deletion.
 */
export async function deleteHumanLoop(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('human_loops').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listHumanLoops(
  db: Db,
  accountId: string,
  flowDefinitionName: string,
  filter: CreationTimeFilter,
  page: KeysetPage,
): Promise<HumanLoopRow[]> {
  return humanLoopsPageQuery(db, accountId, flowDefinitionName, filter, page).execute();
}

/** One page of ListHumanLoops as a query, apart so tests can EXPLAIN the exact statement. */
export function humanLoopsPageQuery(db: Db, accountId: string, flowDefinitionName: string, filter: CreationTimeFilter, page: KeysetPage) {
  let query = db
    .selectFrom('human_loops')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('flow_definition_name', '=', flowDefinitionName);
  if (filter.after !== undefined) query = query.where('created_at', '>', filter.after);
  if (filter.before !== undefined) query = query.where('created_at', '<', filter.before);
  return applyKeyset(query, 'created_at', 'id', page);
}

export async function countActiveLoopsOfFlow(db: Db, accountId: string, flowDefinitionName: string): Promise<number> {
  const row = await db
    .selectFrom('human_loops')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('flow_definition_name', '=', flowDefinitionName)
    // Literals, not parameters: the partial index human_loops_active_by_flow (migration 0003).
    .where(sql<boolean>`status in ('InProgress', 'Stopping')`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Loops whose stop was requested but not finished (a crash between the two steps). */
export async function findStoppingLoops(db: Db, limit: number): Promise<HumanLoopRow[]> {
  return stoppingLoopsQuery(db, limit).execute();
}

/**
 * The engine's periodic queries, as queries so tests can EXPLAIN them. Each reads a partial
 * index of migration 0003 that holds only the rows in the state it looks for, so a run costs
 * the work found, not the size of the history; the status is a literal so that both planners
 * can prove the partial index applies.
 */
export function stoppingLoopsQuery(db: Db, limit: number) {
  return db.selectFrom('human_loops').selectAll().where(sql<boolean>`status = 'Stopping'`).limit(limit);
}

