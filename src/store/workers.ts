import { sql, type Kysely, type Updateable } from 'kysely';
import type { Dialect } from './database.js';
import type { Database, WorkerRow, WorkersTable } from './schema.js';

type Db = Kysely<Database>;

export async function insertWorker(db: Db, row: WorkerRow): Promise<void> {
  await db.insertInto('workers').values(row).execute();
}

export async function findWorkerById(db: Db, id: string): Promise<WorkerRow | undefined> {
  return db.selectFrom('workers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findWorkerByEmail(db: Db, accountId: string, email: string): Promise<WorkerRow | undefined> {
  return db.selectFrom('workers').selectAll().where('account_id', '=', accountId).where('email', '=', email).executeTakeFirst();
}

/**
 * Email-and-password workers with this email in any account, oldest first: the portal's sign-in
 * form has no account field, and an email is unique only within an account.
 */
export async function findPasswordWorkersByEmail(db: Db, email: string): Promise<WorkerRow[]> {
  return db
    .selectFrom('workers')
    .selectAll()
    .where('email', '=', email)
    .where('identity_provider', '=', 'Tandem')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * The single-sign-on worker of the account with this issuer and subject (the provider's stable id
 * for a person). With `lock` on PostgreSQL the row stays locked until the transaction ends, so
 * concurrent sign-ins of one person rewrite their team memberships one after the other (SQLite's
 * single writer already serializes them).
 */
export async function findOidcWorker(db: Db, accountId: string, issuer: string, subject: string, lock?: Dialect): Promise<WorkerRow | undefined> {
  const query = db
    .selectFrom('workers')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('identity_provider', '=', 'Oidc')
    .where('oidc_issuer', '=', issuer)
    .where('oidc_subject', '=', subject);
  return (lock === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
}

export async function findWorkerByInviteHash(db: Db, inviteTokenHash: string): Promise<WorkerRow | undefined> {
  return db.selectFrom('workers').selectAll().where('invite_token_hash', '=', inviteTokenHash).executeTakeFirst();
}

export async function updateWorker(db: Db, id: string, changes: Updateable<WorkersTable>): Promise<void> {
  await db.updateTable('workers').set(changes).where('id', '=', id).execute();
}

/**
 * Sets a password and consumes the invite in one conditional update: the invite must still be
 * the one presented and unexpired, so a token works once even when two requests race.
 * True when this call consumed it.
 */
export async function consumeInvite(db: Db, id: string, inviteTokenHash: string, passwordHash: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('workers')
    .set({ password_hash: passwordHash, invite_token_hash: null, invite_expires_at: null })
    .where('id', '=', id)
    .where('invite_token_hash', '=', inviteTokenHash)
    .where('invite_expires_at', '>', now)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listWorkersOfAccount(db: Db, accountId: string): Promise<WorkerRow[]> {
  return db.selectFrom('workers').selectAll().where('account_id', '=', accountId).orderBy('email').execute();
}

/** Team names by worker id, for the given workers. */
export async function teamsByWorker(db: Db, workerIds: string[]): Promise<Map<string, string[]>> {
  const teams = new Map<string, string[]>(workerIds.map((id) => [id, []]));
  if (workerIds.length === 0) return teams;
  const rows = await db
    .selectFrom('workteam_members')
    .select(['worker_id', 'workteam_name'])
    .where('worker_id', 'in', workerIds)
    .orderBy('workteam_name')
    .execute();
  for (const row of rows) teams.get(row.worker_id)?.push(row.workteam_name);
  return teams;
}

/** Replaces the worker's team memberships with `teams` (call inside a transaction). */
export async function replaceWorkerTeams(db: Db, accountId: string, workerId: string, teams: string[]): Promise<void> {
  await db.deleteFrom('workteam_members').where('worker_id', '=', workerId).execute();
  if (teams.length === 0) return;
  await db
    .insertInto('workteam_members')
    .values(teams.map((workteam_name) => ({ account_id: accountId, workteam_name, worker_id: workerId })))
    .execute();
}

/** The names among `names` that are work teams of the account. */
export async function existingWorkteams(db: Db, accountId: string, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await db.selectFrom('workteams').select('name').where('account_id', '=', accountId).where('name', 'in', names).execute();
  return new Set(rows.map((r) => r.name));
}

/** Every work team of the account with its MemberDefinitions JSON, by name. */
export async function workteamMemberDefinitions(db: Db, accountId: string): Promise<Array<{ name: string; member_definitions: string }>> {
  return db.selectFrom('workteams').select(['name', 'member_definitions']).where('account_id', '=', accountId).orderBy('name').execute();
}

/**
 * Ids of the slots the worker holds an unexpired lease on, oldest lease first. The portal offers
 * these again before claiming anything new, so reloading the task page or signing in on another
 * device never piles up leases.
 */
export async function findLeasedTaskIdsOfWorker(db: Db, workerId: string, now: number): Promise<string[]> {
  const rows = await leasedTasksOfWorkerQuery(db, workerId, now).execute();
  return rows.map((r) => r.id);
}

/**
 * Reads the worker's part of tasks_leased_by_worker (migration 0003), already in lease order;
 * before that index it read every slot of the store. The status is a literal so both planners
 * can prove the partial index applies.
 */
export function leasedTasksOfWorkerQuery(db: Db, workerId: string, now: number) {
  return db
    .selectFrom('tasks')
    .select('id')
    .where('worker_id', '=', workerId)
    .where(sql<boolean>`status = 'leased'`)
    .where('lease_expires_at', '>', now)
    .orderBy('leased_at')
    .orderBy('id');
}
