import { sql, type Kysely } from 'kysely';
import { isPostgres } from './migrations/dialect.js';
import type { Database, FlowDefinitionRow } from './schema.js';
import type { CreationTimeFilter } from './human-task-uis.js';
import { applyKeyset, type KeysetPage } from './keyset.js';

type Db = Kysely<Database>;

/** `lock: 'update'` (PostgreSQL; SQLite's single writer needs none) locks the row until commit. */
export async function findFlowDefinition(
  db: Db,
  accountId: string,
  name: string,
  lock?: 'update',
): Promise<FlowDefinitionRow | undefined> {
  const query = db.selectFrom('flow_definitions').selectAll().where('account_id', '=', accountId).where('name', '=', name);
  if (!lock || !isPostgres(db as Kysely<unknown>)) return query.executeTakeFirst();
  return query.forUpdate().executeTakeFirst();
}

/**
 * PostgreSQL (SQLite's single writer needs nothing): waits for every loop start in flight and
 * holds back new ones until this transaction ends. DeleteFlowDefinition calls it before it reads
 * the flow definition and counts its active loops, so a loop is never started on a flow
 * definition that a concurrent delete removes.
 *
 * A start (store/human-loop-start-postgres.ts) is one statement that reads the flow definition
 * without a row lock: `for share` from every start turned the flow's row into a MultiXact under
 * concurrent starts. A statement takes its table locks before its snapshot, so a start held
 * back by this `share` lock (which conflicts with the `row exclusive` lock of an insert) reads
 * the flow definition as the delete left it. A lock taken inside the start statement (an
 * advisory lock) would come after its snapshot: a start that waited for the delete would still
 * see the deleted flow and insert its loop (test/store/flow-definition-delete.test.ts fails so).
 *
 * The cost is on the rare side: while a delete holds it, every write to `human_loops` (of every
 * account) waits, for the few milliseconds the delete takes.
 */
export async function holdLoopStarts(db: Db): Promise<void> {
  if (!isPostgres(db as Kysely<unknown>)) return;
  await sql`lock table human_loops in share mode`.execute(db);
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
  return flowDefinitionsPageQuery(db, accountId, filter, page).execute();
}

/** One page of ListFlowDefinitions as a query, apart so tests can EXPLAIN the exact statement. */
export function flowDefinitionsPageQuery(db: Db, accountId: string, filter: CreationTimeFilter, page: KeysetPage) {
  let query = db.selectFrom('flow_definitions').selectAll().where('account_id', '=', accountId);
  if (filter.after !== undefined) query = query.where('created_at', '>=', filter.after);
  if (filter.before !== undefined) query = query.where('created_at', '<', filter.before);
  return applyKeyset(query, 'created_at', 'name', page);
}
