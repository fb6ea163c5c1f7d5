/** The console's audit log: one row per admin action, written in the action's transaction where there is one. */
import type { Kysely } from 'kysely';
import type { AuditLogRow, Database } from './schema.js';

type Db = Kysely<Database>;

export interface AuditEntry {
  accountId: string | null;
  adminId: string;
  adminEmail: string;
  action: string;
  target: string;
  detail?: string | undefined;
  sourceAddress: string;
  createdAt: number;
}

export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      account_id: entry.accountId,
      admin_id: entry.adminId,
      admin_email: entry.adminEmail,
      action: entry.action,
      target: entry.target,
      detail: entry.detail ?? null,
      source_address: entry.sourceAddress,
      created_at: entry.createdAt,
    })
    .execute();
}

/** One account's entries, newest first, before the entry id `beforeId` when given. */
export async function listAudit(db: Db, accountId: string, limit: number, beforeId?: number): Promise<AuditLogRow[]> {
  let query = db.selectFrom('audit_log').selectAll().where('account_id', '=', accountId);
  if (beforeId !== undefined) query = query.where('id', '<', beforeId);
  return query.orderBy('id', 'desc').limit(limit).execute();
}
