import { sql, type Kysely, type Updateable } from 'kysely';
import type { Database, WorkteamRow, WorkteamsTable } from './schema.js';
import { applyKeyset, type KeysetPage } from './keyset.js';

type Db = Kysely<Database>;

/**
 * Serializes one account's control-plane writes (work teams, task UIs, flow definitions) until
 * the transaction ends, by taking its `accounts` row lock with a no-op update. Without it,
 * PostgreSQL's READ COMMITTED lets two transactions both pass a check before either inserts:
 * two creates of one name (the loser hit the primary key: a 500, not ResourceInUse), a 26th
 * work team, or a flow definition created against a work team or task UI being deleted.
 * Call it first in the transaction, so every writer locks in the same order. On SQLite the
 * write lock already serializes transactions; the statement is harmless there.
 */
export async function lockAccountControlPlane(db: Db, accountId: string): Promise<void> {
  await db
    .updateTable('accounts')
    .set((eb) => ({ created_at: eb.ref('created_at') }))
    .where('id', '=', accountId)
    .execute();
}

export async function findWorkteam(db: Db, accountId: string, name: string): Promise<WorkteamRow | undefined> {
  return db
    .selectFrom('workteams')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function countWorkteams(db: Db, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('workteams')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertWorkteam(db: Db, row: WorkteamRow): Promise<void> {
  await db.insertInto('workteams').values(row).execute();
}

export async function updateWorkteam(
  db: Db,
  accountId: string,
  name: string,
  changes: Updateable<WorkteamsTable>,
): Promise<void> {
  await db.updateTable('workteams').set(changes).where('account_id', '=', accountId).where('name', '=', name).execute();
}

export async function deleteWorkteam(db: Db, accountId: string, name: string): Promise<void> {
  await db.deleteFrom('workteams').where('account_id', '=', accountId).where('name', '=', name).execute();
}

export async function listWorkteams(
  db: Db,
  accountId: string,
  sortColumn: 'name' | 'created_at',
  nameContains: string | undefined,
  page: KeysetPage,
): Promise<WorkteamRow[]> {
  return workteamsPageQuery(db, accountId, sortColumn, nameContains, page).execute();
}

/** One page of ListWorkteams as a query, apart so tests can EXPLAIN the exact statement. */
export function workteamsPageQuery(
  db: Db,
  accountId: string,
  sortColumn: 'name' | 'created_at',
  nameContains: string | undefined,
  page: KeysetPage,
) {
  let query = db.selectFrom('workteams').selectAll().where('account_id', '=', accountId);
  if (nameContains) {
    // Case-insensitive on both dialects (SQLite's LIKE already is, PostgreSQL's is not).
    const pattern = `%${escapeLike(nameContains.toLowerCase())}%`;
    query = query.where(sql<boolean>`lower(name) like ${pattern} escape '\\'`);
  }
  return applyKeyset(query, sortColumn, 'name', page);
}

export async function flowDefinitionsUsingWorkteam(db: Db, accountId: string, name: string): Promise<string[]> {
  const rows = await db
    .selectFrom('flow_definitions')
    .select('name')
    .where('account_id', '=', accountId)
    .where('workteam_name', '=', name)
    .execute();
  return rows.map((r) => r.name);
}

/** NameContains is a plain substring; its %, _ and \ must not act as LIKE wildcards. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
