import type { Kysely } from 'kysely';
import type { Database, HumanTaskUiRow } from './schema.js';
import { applyKeyset, type KeysetPage } from './keyset.js';

type Db = Kysely<Database>;

export async function findHumanTaskUi(db: Db, accountId: string, name: string): Promise<HumanTaskUiRow | undefined> {
  return db
    .selectFrom('human_task_uis')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function insertHumanTaskUi(db: Db, row: HumanTaskUiRow): Promise<void> {
  await db.insertInto('human_task_uis').values(row).execute();
}

export async function deleteHumanTaskUi(db: Db, accountId: string, name: string): Promise<void> {
  await db.deleteFrom('human_task_uis').where('account_id', '=', accountId).where('name', '=', name).execute();
}

/** CreationTimeAfter/Before in milliseconds, as the SDK documents them for ListFlowDefinitions and ListHumanTaskUis. */
export interface CreationTimeFilter {
  /** Inclusive: "a creation time greater than or equal to the specified timestamp". */
  after?: number | undefined;
  /** Exclusive: "created before the specified timestamp". */
  before?: number | undefined;
}

export async function listHumanTaskUis(
  db: Db,
  accountId: string,
  filter: CreationTimeFilter,
  page: KeysetPage,
): Promise<HumanTaskUiRow[]> {
  return humanTaskUisPageQuery(db, accountId, filter, page).execute();
}

/** One page of ListHumanTaskUis as a query, apart so tests can EXPLAIN the exact statement. */
export function humanTaskUisPageQuery(db: Db, accountId: string, filter: CreationTimeFilter, page: KeysetPage) {
  let query = db.selectFrom('human_task_uis').selectAll().where('account_id', '=', accountId);
  if (filter.after !== undefined) query = query.where('created_at', '>=', filter.after);
  if (filter.before !== undefined) query = query.where('created_at', '<', filter.before);
  return applyKeyset(query, 'created_at', 'name', page);
}

export async function flowDefinitionsUsingHumanTaskUi(db: Db, accountId: string, name: string): Promise<string[]> {
  const rows = await db
    .selectFrom('flow_definitions')
    .select('name')
    .where('account_id', '=', accountId)
    .where('human_task_ui_name', '=', name)
    .execute();
  return rows.map((r) => r.name);
}
