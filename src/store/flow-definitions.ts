import type { Kysely } from 'kysely';
import { isPostgres } from './migrations/dialect.js';
import type { Database, FlowDefinitionRow } from './schema.js';
import type { CreationTimeFilter } from './human-task-uis.js';
import { applyKeyset, type KeysetPage } from './keyset.js';

type Db = Kysely<Database>;

/**
 * `lock` (PostgreSQL; SQLite's single writer needs none): StartHumanLoop reads the flow
 * definition `for share` and DeleteFlowDefinition `for update` before counting active loops, so
 * a loop is never started on a flow definition that a concurrent delete removes.
 */
export async function findFlowDefinition(
  db: Db,
  accountId: string,
  name: string,
  lock?: 'share' | 'update',
): Promise<FlowDefinitionRow | undefined> {
  const query = db.selectFrom('flow_definitions').selectAll().where('account_id', '=', accountId).where('name', '=', name);
  if (!lock || !isPostgres(db as Kysely<unknown>)) return query.executeTakeFirst();
  return (lock === 'share' ? query.forShare() : query.forUpdate()).executeTakeFirst();
}

export async function insertFlowDefinition(db: Db, row: FlowDefinitionRow): Promise<void> {
  await db.insertInto('flow_definitions').values(row).execute();
}

export async function deleteFlowDefinition(db: Db, accountId: string, name: string): Promise<void> {
  await db.deleteFrom('flow_definitions').where('account_id', '=', accountId).where('name', '=', name).execute();
}

export async function listFlowDefinitions(
  db: Db,
  accountId: string,
  filter: CreationTimeFilter,
  page: KeysetPage,
): Promise<FlowDefinitionRow[]> {
  let query = db.selectFrom('flow_definitions').selectAll().where('account_id', '=', accountId);
  if (filter.after !== undefined) query = query.where('created_at', '>=', filter.after);
  if (filter.before !== undefined) query = query.where('created_at', '<', filter.before);
  return applyKeyset(query, 'created_at', 'name', page).execute();
}
