import type { Readable } from 'node:stream';
import { bucketNameProblem, MAX_KEY_BYTES, objectKeyProblem } from '../../domain/s3-locations.js';
import { KeyConflictError, PermanentStoreError, compareKeys, type ByteRange, type ListEntry, type ObjectInfo, type StoredObject } from '../../objects/object-store.js';
import { objectStoreOf } from '../../objects/stores.js';
import { claimBucketFor, ownerOfBucket } from '../../operations/buckets.js';
import type { Resources } from '../../resources.js';
import { bucketRowsOfAccount, releaseBucket } from '../../store/buckets.js';
import { ExternalStoreRefusal } from '../../objects/s3-object-store.js';
import { S3Error, S3_ERRORS, type S3ErrorCode } from './s3-errors.js';

/**
 * The S3 operations, each scoped to the caller's account: a bucket is usable only by the account
 * that owns it (operations/buckets.ts); another account's bucket is AccessDenied, as in S3,
 * whether or not the object exists.
 */

/** Refuses a name S3 would not accept, then any bucket the caller does not own. */
export async function requireOwnBucket(resources: Resources, accountId: string, bucket: string): Promise<void> {
  checkBucketName(bucket);
  const owner = await ownerOfBucket(resources, bucket);
  if (owner === undefined) throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
  if (owner !== accountId) throw new S3Error('AccessDenied', 'Access Denied', { BucketName: bucket });
}

function checkBucketName(bucket: string): void {
  const problem = bucketNameProblem(bucket);
  if (problem) throw new S3Error('InvalidBucketName', `The specified bucket is not valid: ${problem}.`, { BucketName: bucket.slice(0, 63) });
}

/** Refuses keys the stores cannot hold (domain/s3-locations.ts), with S3's codes where it has one. */
export function checkKey(key: string): void {
  const problem = objectKeyProblem(key);
  if (!problem) return;
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new S3Error('KeyTooLongError', 'Your key is too long', { MaxSizeAllowed: String(MAX_KEY_BYTES) });
  throw new S3Error('InvalidArgument', `Tandem cannot store this key: ${problem}.`, { ArgumentName: 'key' });
}

export async function listBuckets(resources: Resources, accountId: string): Promise<Array<{ name: string; createdAt: number }>> {
  const rows = await bucketRowsOfAccount(resources.store.db, accountId);
  const mapped = resources.config.buckets;
  const buckets = rows.filter((row) => mapped[row.name] === undefined || mapped[row.name] === accountId).map((row) => ({ name: row.name, createdAt: row.created_at }));
  for (const [name, owner] of Object.entries(mapped)) {
    // A bucket the operator mapped and nobody used yet has no row: its creation is Tandem's start.
    if (owner === accountId && !buckets.some((b) => b.name === name)) buckets.push({ name, createdAt: STARTED_AT });
  }
  return buckets.sort((a, b) => compareKeys(a.name, b.name));
}

const STARTED_AT = Date.now();

/**
 * CreateBucket: an unowned bucket becomes the caller's. As in S3, a bucket another account owns
 * is BucketAlreadyExists (409), and one the caller owns is BucketAlreadyOwnedByYou, except in
 * us-east-1, where S3 answers 200 for compatibility.
 */
export async function createBucket(resources: Resources, accountId: string, bucket: string): Promise<void> {
  checkBucketName(bucket);
  const previous = await ownerOfBucket(resources, bucket);
  if (previous !== undefined && previous !== accountId) {
    throw new S3Error('BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all accounts of this Tandem.', { BucketName: bucket });
  }
  if (previous === accountId) {
    if (resources.config.region === 'us-east-1') return;
    throw new S3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: bucket });
  }
  // An external store gets the bucket first, so a bucket it refuses is not claimed for nothing.
  await objectStoreOf(resources)
    .ensureBucket(bucket)
    .catch((error: unknown) => {
      throw storeErrorToS3(error);
    });
  const owner = await claimBucketFor(resources, resources.store.db, bucket, accountId);
  if (owner !== accountId) throw new S3Error('BucketAlreadyExists', 'The requested bucket name is not available.', { BucketName: bucket });
}

/** DeleteBucket: the caller gives up an empty bucket it owns; a bucket the operator mapped stays. */
export async function deleteBucket(resources: Resources, accountId: string, bucket: string): Promise<void> {
  await requireOwnBucket(resources, accountId, bucket);
  if (resources.config.buckets[bucket] !== undefined) {
    throw new S3Error('AccessDenied', 'This bucket is assigned to the account by the operator (TANDEM_BUCKETS) and cannot be deleted.', { BucketName: bucket });
  }
  for await (const entry of objectStoreOf(resources).listObjects(bucket, { prefix: '' })) {
    void entry;
    throw new S3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: bucket });
  }
  await releaseBucket(resources.store.db, bucket, accountId);
}

/**
 * PutObject: the bucket is claimed for the caller on first use (as CreateFlowDefinition does), so
 * uploading inputs needs no CreateBucket first; another account's bucket is AccessDenied.
 */
export async function putObject(
  resources: Resources,
  accountId: string,
  bucket: string,
  key: string,
  body: () => Readable,
  options: { contentType: string | undefined; size: number | undefined },
): Promise<{ etag: string }> {
  await requireWritableBucket(resources, accountId, bucket);
  checkKey(key);
  try {
    return await objectStoreOf(resources).putObjectStream(bucket, key, body(), options);
  } catch (error) {
    throw storeErrorToS3(error);
  }
}

export async function requireWritableBucket(resources: Resources, accountId: string, bucket: string): Promise<void> {
  checkBucketName(bucket);
  const owner = await claimBucketFor(resources, resources.store.db, bucket, accountId);
  if (owner !== accountId) throw new S3Error('AccessDenied', 'Access Denied', { BucketName: bucket });
}

export async function headObject(resources: Resources, accountId: string, bucket: string, key: string): Promise<ObjectInfo> {
  await requireOwnBucket(resources, accountId, bucket);
  checkKey(key);
  const info = await objectStoreOf(resources).headObject(bucket, key).catch((error: unknown) => {
    throw storeErrorToS3(error);
  });
  if (!info) throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });
  return info;
}

export async function getObject(resources: Resources, accountId: string, bucket: string, key: string, range: ByteRange | undefined): Promise<StoredObject> {
  await requireOwnBucket(resources, accountId, bucket);
  checkKey(key);
  const object = await objectStoreOf(resources).getObject(bucket, key, range ? { range } : {}).catch((error: unknown) => {
    throw storeErrorToS3(error);
  });
  if (!object) throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });
  return object;
}

export async function deleteObject(resources: Resources, accountId: string, bucket: string, key: string): Promise<void> {
  await requireOwnBucket(resources, accountId, bucket);
  checkKey(key);
  await objectStoreOf(resources).deleteObject(bucket, key).catch((error: unknown) => {
    throw storeErrorToS3(error);
  });
}

export interface ListRequest {
  prefix: string;
  delimiter: string | undefined;
  maxKeys: number;
  /** Entries strictly after this key or common prefix. */
  after: string | undefined;
}

export interface ListPage {
  objects: Array<Extract<ListEntry, { kind: 'object' }>>;
  commonPrefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned, to continue after. */
  last: string | undefined;
}

/** One page of ListObjects(V2): up to `maxKeys` keys and common prefixes together, in key order. */
export async function listObjects(resources: Resources, accountId: string, bucket: string, request: ListRequest): Promise<ListPage> {
  await requireOwnBucket(resources, accountId, bucket);
  const page: ListPage = { objects: [], commonPrefixes: [], truncated: false, last: undefined };
  if (request.maxKeys === 0) return page;
  const { after } = request;
  const entries = objectStoreOf(resources).listObjects(bucket, { prefix: request.prefix, delimiter: request.delimiter, startAfter: after });
  try {
    for await (const entry of entries) {
      const name = entry.kind === 'object' ? entry.key : entry.prefix;
      // A page that ended on a common prefix continues after every key under it.
      if (after !== undefined && (compareKeys(name, after) <= 0 || (entry.kind === 'prefix' && name === after))) continue;
      if (page.objects.length + page.commonPrefixes.length === request.maxKeys) {
        page.truncated = true;
        break;
      }
      if (entry.kind === 'object') page.objects.push(entry);
      else page.commonPrefixes.push(entry.prefix);
      page.last = name;
    }
  } catch (error) {
    throw storeErrorToS3(error);
  }
  return page;
}

/** A failure of the object store, as the S3 error a client can act on. */
export function storeErrorToS3(error: unknown): Error {
  if (error instanceof S3Error) return error;
  if (error instanceof KeyConflictError) return new S3Error('KeyPathConflict', error.message);
  if (error instanceof ExternalStoreRefusal) {
    // The external store's own code when S3 clients know it; its message is the store's, not Tandem's.
    const code = error.code in S3_ERRORS ? (error.code as S3ErrorCode) : error.status === 403 ? 'AccessDenied' : 'InvalidRequest';
    return new S3Error(code, error.message);
  }
  if (error instanceof PermanentStoreError) return new S3Error('InvalidArgument', error.message);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const code = (error as { code?: unknown }).code;
  if (status === undefined && typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(code)) {
    return new S3Error('ServiceUnavailable', 'The object store is unreachable; try again.');
  }
  if (status !== undefined && status >= 500) return new S3Error('ServiceUnavailable', 'The object store is unavailable; try again.');
  return error as Error;
}
