import type { Kysely } from 'kysely';
import type { Resources } from '../resources.js';
import { bucketsOfAccount, claimBucket, findBucketOwner } from '../store/buckets.js';
import type { Database } from '../store/schema.js';

/**
 * Bucket ownership: every bucket belongs to exactly one account. An operator's mapping
 * (`TANDEM_BUCKETS`) wins; otherwise the account that first used the bucket (its first
 * CreateFlowDefinition naming it) owns it, as recorded in the `buckets` table.
 */
export async function ownerOfBucket(resources: Resources, bucket: string, db: Kysely<Database> = resources.store.db): Promise<string | undefined> {
  return resources.config.buckets[bucket] ?? (await findBucketOwner(db, bucket));
}

/**
 * The owner of `bucket` after `accountId` asked to use it: an unowned bucket becomes the
 * caller's (inside the caller's transaction, so a refused request claims nothing).
 */
export async function claimBucketFor(resources: Resources, db: Kysely<Database>, bucket: string, accountId: string): Promise<string> {
  const mapped = resources.config.buckets[bucket];
  if (mapped !== undefined) return mapped;
  return claimBucket(db, bucket, accountId, resources.clock.now());
}

/** Every bucket `accountId` may read, for checks that must run synchronously (template rendering). */
export async function bucketsReadableBy(resources: Resources, accountId: string): Promise<ReadonlySet<string>> {
  const owned = new Set<string>();
  for (const bucket of await bucketsOfAccount(resources.store.db, accountId)) {
    // A mapping to another account takes the bucket away from the recorded owner.
    const mapped = resources.config.buckets[bucket];
    if (mapped === undefined || mapped === accountId) owned.add(bucket);
  }
  for (const [bucket, owner] of Object.entries(resources.config.buckets)) if (owner === accountId) owned.add(bucket);
  return owned;
}
