import type { Readable } from 'node:stream';

/**
 * Where objects live: the embedded store (files under the data directory) or an external
 * S3-compatible service. Ownership is not this interface's business: callers check the bucket's
 * account first (operations/buckets.ts); keys arrive already validated (domain/s3-locations.ts).
 */
export interface ObjectStore {
  /** Stores the whole body; durable when the promise resolves. */
  putObject(bucket: string, key: string, body: Buffer, contentType: string): Promise<void>;
  /**
   * Stores a streamed body. The object appears (or is replaced) only when `body` ends without an
   * error, so a body that a check further up the pipe refuses leaves nothing behind.
   */
  putObjectStream(bucket: string, key: string, body: Readable, options: PutOptions): Promise<{ etag: string }>;
  /** The object's bytes (or `range` of them) and metadata, or undefined when it does not exist. */
  getObject(bucket: string, key: string, options?: { range?: ByteRange }): Promise<StoredObject | undefined>;
  /** The object's metadata, or undefined when it does not exist. */
  headObject(bucket: string, key: string): Promise<ObjectInfo | undefined>;
  /** Removes the object; removing one that does not exist is not an error (as in S3). */
  deleteObject(bucket: string, key: string): Promise<void>;
  /**
   * The bucket's objects in S3's order (UTF-8 byte order of keys), those with `prefix` only, and
   * only after `startAfter`. With a delimiter, keys that contain it after the prefix are rolled up
   * into one common-prefix entry each, as ListObjectsV2 does.
   */
  listObjects(bucket: string, options: ListOptions): AsyncIterable<ListEntry>;
}

export interface PutOptions {
  contentType: string | undefined;
  /** The body's length when known in advance (lets an external store skip multipart). */
  size?: number | undefined;
}

/** Inclusive byte offsets, already checked against the object's size. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface ObjectInfo {
  /** The whole object's size in bytes. */
  size: number;
  contentType: string | undefined;
  /** Quoted, as S3 sends it: `"…"`. */
  etag: string;
  /** Milliseconds since the epoch. */
  lastModified: number;
}

export interface StoredObject extends ObjectInfo {
  /** The whole object, or the requested range of it. */
  body: Readable;
  range?: ByteRange | undefined;
}

export interface ListOptions {
  prefix: string;
  delimiter?: string | undefined;
  startAfter?: string | undefined;
}

export type ListEntry =
  | { kind: 'object'; key: string; size: number; etag: string; lastModified: number }
  | { kind: 'prefix'; prefix: string };

/**
 * A failure that retrying cannot fix (the key is unusable, access is denied): the loop fails at
 * once instead of waiting out the output deadline.
 */
export class PermanentStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentStoreError';
  }
}

/**
 * The key cannot be stored because it and an existing key would need the same name as a file
 * and as a folder (`a` and `a/b`): the embedded store keeps objects as files.
 */
export class KeyConflictError extends PermanentStoreError {
  constructor(key: string) {
    super(`the object key '${key}' conflicts with an existing key that is its folder or lies inside it`);
    this.name = 'KeyConflictError';
  }
}

/** Compares keys the way S3 orders them: by their UTF-8 bytes, not by UTF-16 code units. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
