import type { Kysely, Selectable } from 'kysely';
import type { AccessKeysTable, Database } from './schema.js';

type Db = Kysely<Database>;
export type AccessKeyRow = Selectable<AccessKeysTable>;

export async function insertAccessKey(db: Db, row: AccessKeyRow): Promise<void> {
  await db.insertInto('access_keys').values(row).execute();
}

export async function findAccessKey(db: Db, accessKeyId: string): Promise<AccessKeyRow | undefined> {
  return db.selectFrom('access_keys').selectAll().where('access_key_id', '=', accessKeyId).executeTakeFirst();
}

export async function listAccessKeys(db: Db): Promise<AccessKeyRow[]> {
  return db.selectFrom('access_keys').selectAll().orderBy('created_at').orderBy('access_key_id').execute();
}

/** Returns false when no active key has that id. */
export async function revokeAccessKey(db: Db, accessKeyId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('access_keys')
    .set({ revoked_at: now })
    .where('access_key_id', '=', accessKeyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
