import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** The account that owns `bucket` in the store, or undefined when nobody has claimed it. */
export async function findBucketOwner(db: Db, bucket: string): Promise<string | undefined> {
  const row = await db.selectFrom('buckets').select('account_id').where('name', '=', bucket).executeTakeFirst();
  return row?.account_id;
}

/**
 * Gives `bucket` to `accountId` unless some account already owns it, and returns the owner
 * afterwards. One conditional insert, so two accounts racing for a new bucket get one owner.
 */
export async function claimBucket(db: Db, bucket: string, accountId: string, now: number): Promise<string> {
  await db
    .insertInto('buckets')
    .values({ name: bucket, account_id: accountId, created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return (await findBucketOwner(db, bucket)) ?? accountId;
}

/** Names of the buckets `accountId` owns in the store, in name order. */
export async function bucketsOfAccount(db: Db, accountId: string): Promise<string[]> {
  const rows = await db.selectFrom('buckets').select('name').where('account_id', '=', accountId).orderBy('name').execute();
  return rows.map((row) => row.name);
}

/** The buckets `accountId` owns in the store, with when each was claimed (ListBuckets' CreationDate). */
export async function bucketRowsOfAccount(db: Db, accountId: string): Promise<Array<{ name: string; created_at: number }>> {
  return db.selectFrom('buckets').select(['name', 'created_at']).where('account_id', '=', accountId).orderBy('name').execute();
}

/** Gives up `accountId`'s ownership of `bucket` (DeleteBucket); true when a row went. */
export async function releaseBucket(db: Db, bucket: string, accountId: string): Promise<boolean> {
  const result = await db.deleteFrom('buckets').where('name', '=', bucket).where('account_id', '=', accountId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
