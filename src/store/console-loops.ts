/**
 * The console's loop list: one account's loops across all flow definitions, newest first,
 * filtered (flow, status, creation time, name prefix), keyset-paginated with a row-value comparison `(created_at, id) < (?, ?)` so that a
 * deep page is one index range seek (human_loops_by_account, …_by_account_status, …_by_flow)
 * rather than an OR the planners cannot turn into a seek.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, HumanLoopStatus } from './schema.js';
import { isPostgres } from './migrations/dialect.js';

type Db = Kysely<Database>;

export interface LoopFilter {
  flowDefinitionName?: string | undefined;
  status?: HumanLoopStatus | undefined;
  /** Inclusive, milliseconds. */
  createdFrom?: number | undefined;
  /** Exclusive, milliseconds. */
  createdBefore?: number | undefined;
  /** The start of the loop name (names are lower-case, so this is lower-cased). */
  namePrefix?: string | undefined;
}

export interface LoopCursor {
  createdAt: number;
  id: string;
}

/** A loop as the list shows it: no input (it may be megabytes). */
export interface LoopListRow {
  id: string;
  name: string;
  flow_definition_name: string;
  status: HumanLoopStatus;
  created_at: number;
  failure_reason: string | null;
}

function filtered(db: Db, accountId: string, filter: LoopFilter) {
  let query = db.selectFrom('human_loops').where('account_id', '=', accountId);
  if (filter.flowDefinitionName !== undefined) query = query.where('flow_definition_name', '=', filter.flowDefinitionName);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.createdFrom !== undefined) query = query.where('created_at', '>=', filter.createdFrom);
  if (filter.createdBefore !== undefined) query = query.where('created_at', '<', filter.createdBefore);
  if (filter.namePrefix) {
    // A range over the name in byte order, so the (account_id, name) index serves it: SQLite's
    // BINARY collation is byte order already; PostgreSQL compares under "C" (index human_loops_by_name_c).
    const prefix = filter.namePrefix.toLowerCase();
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    const name = isPostgres(db as unknown as Kysely<unknown>) ? sql`name collate "C"` : sql`name`;
    query = query.where(sql<boolean>`${name} >= ${prefix}`).where(sql<boolean>`${name} < ${end}`);
  }
  return query;
}

/** Up to `limit + 1` rows after `after` (the extra row says another page follows). */
export async function listLoopsOfAccount(db: Db, accountId: string, filter: LoopFilter, limit: number, after?: LoopCursor): Promise<LoopListRow[]> {
  let query = filtered(db, accountId, filter).select(['id', 'name', 'flow_definition_name', 'status', 'created_at', 'failure_reason']);
  if (after) query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
}

/** The names of up to `limit` loops matching the filter, newest first (bulk actions). */
export async function loopNamesMatching(db: Db, accountId: string, filter: LoopFilter, limit: number): Promise<string[]> {
  const rows = await filtered(db, accountId, filter).select('name').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => r.name);
}

/** Loops per status of each flow definition of the account. */
export async function loopCountsByFlow(db: Db, accountId: string): Promise<Map<string, Partial<Record<HumanLoopStatus, number>>>> {
  const rows = await db
    .selectFrom('human_loops')
    .select(['flow_definition_name', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('account_id', '=', accountId)
    .groupBy(['flow_definition_name', 'status'])
    .execute();
  const counts = new Map<string, Partial<Record<HumanLoopStatus, number>>>();
  for (const row of rows) {
    const entry = counts.get(row.flow_definition_name) ?? {};
    entry[row.status] = Number(row.n);
    counts.set(row.flow_definition_name, entry);
  }
  return counts;
}

/** The account's flow definition names, for the console's pickers. */
export async function flowNamesOfAccount(db: Db, accountId: string): Promise<string[]> {
  const rows = await db.selectFrom('flow_definitions').select('name').where('account_id', '=', accountId).orderBy('name').limit(1000).execute();
  return rows.map((r) => r.name);
}
