/** Console admins and their sessions. */
import type { Kysely, Updateable } from 'kysely';
import type { AdminRow, AdminsTable, Database } from './schema.js';

type Db = Kysely<Database>;

export async function insertAdmin(db: Db, row: AdminRow): Promise<void> {
  await db.insertInto('admins').values(row).execute();
}

export async function findAdminByEmail(db: Db, email: string): Promise<AdminRow | undefined> {
  return db.selectFrom('admins').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findAdminByInviteHash(db: Db, inviteTokenHash: string): Promise<AdminRow | undefined> {
  return db.selectFrom('admins').selectAll().where('invite_token_hash', '=', inviteTokenHash).executeTakeFirst();
}

export async function updateAdmin(db: Db, id: string, changes: Updateable<AdminsTable>): Promise<void> {
  await db.updateTable('admins').set(changes).where('id', '=', id).execute();
}

/** The admins who can act in an account: its own admins and every Tandem-wide operator. */
export async function listAdminsOfAccount(db: Db, accountId: string): Promise<AdminRow[]> {
  return db
    .selectFrom('admins')
    .selectAll()
    .where((eb) => eb.or([eb('account_id', '=', accountId), eb('account_id', 'is', null)]))
    .orderBy('email')
    .execute();
}

export interface NewAdminSession {
  idHash: string;
  adminId: string;
  csrfToken: string;
  accountId: string;
  createdAt: number;
  expiresAt: number;
}

export interface AdminSessionWithAdmin {
  idHash: string;
  csrfToken: string;
  accountId: string;
  expiresAt: number;
  admin: AdminRow;
}

export async function insertAdminSession(db: Db, session: NewAdminSession): Promise<void> {
  await db
    .insertInto('admin_sessions')
    .values({
      id_hash: session.idHash,
      admin_id: session.adminId,
      csrf_token: session.csrfToken,
      account_id: session.accountId,
      created_at: session.createdAt,
      expires_at: session.expiresAt,
    })
    .execute();
}

export async function findLiveAdminSession(db: Db, idHash: string, now: number): Promise<AdminSessionWithAdmin | undefined> {
  const row = await db
    .selectFrom('admin_sessions')
    .innerJoin('admins', 'admins.id', 'admin_sessions.admin_id')
    .selectAll('admins')
    .select(['admin_sessions.id_hash', 'admin_sessions.csrf_token', 'admin_sessions.expires_at', 'admin_sessions.account_id as session_account_id'])
    .where('admin_sessions.id_hash', '=', idHash)
    .where('admin_sessions.expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return undefined;
  const { id_hash, csrf_token, expires_at, session_account_id, ...admin } = row;
  return { idHash: id_hash, csrfToken: csrf_token, expiresAt: expires_at, accountId: session_account_id, admin };
}

export async function setAdminSessionAccount(db: Db, idHash: string, accountId: string): Promise<void> {
  await db.updateTable('admin_sessions').set({ account_id: accountId }).where('id_hash', '=', idHash).execute();
}

export async function deleteAdminSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('admin_sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteExpiredAdminSessions(db: Db, now: number): Promise<void> {
  await db.deleteFrom('admin_sessions').where('expires_at', '<=', now).execute();
}
