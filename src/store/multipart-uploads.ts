import type { Kysely } from 'kysely';
import type { Database, MultipartUploadsTable } from './schema.js';

type Db = Kysely<Database>;

export async function insertMultipartUpload(db: Db, row: MultipartUploadsTable): Promise<void> {
  await db.insertInto('multipart_uploads').values(row).execute();
}

/** The upload `id` of `accountId` for exactly this bucket and key; another account's id is not found. */
export async function findMultipartUpload(db: Db, accountId: string, id: string, bucket: string, key: string): Promise<MultipartUploadsTable | undefined> {
  return db
    .selectFrom('multipart_uploads')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .where('bucket', '=', bucket)
    .where('object_key', '=', key)
    .executeTakeFirst();
}

/** Ends the upload's record; true when this call removed it (so one caller finishes it). */
export async function deleteMultipartUpload(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('multipart_uploads').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Uploads started before `before`, oldest first (reads multipart_uploads_by_created_at). */
export async function findStaleMultipartUploads(db: Db, before: number, limit: number): Promise<MultipartUploadsTable[]> {
  return db.selectFrom('multipart_uploads').selectAll().where('created_at', '<', before).orderBy('created_at').limit(limit).execute();
}
