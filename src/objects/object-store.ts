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
  /**
   * Makes sure the bucket exists in the store (CreateBucket through Tandem's S3 API). The
   * embedded store has nothing to do: a bucket is a folder made on first write.
   */
  ensureBucket(bucket: string): Promise<void>;
  /**
   * A URL a browser can GET the object from without Tandem in between, valid for `ttlSeconds`;
   * undefined when the store cannot make one (the embedded store: Tandem serves the bytes).
   * Callers check ownership first.
   */
  presignGet(bucket: string, key: string, ttlSeconds: number): Promise<string | undefined>;
  /** Multipart uploads, as S3 has them; ids are the store's own, never shown to clients. */
  readonly multipart: MultipartStore;
}

/**
 * The parts of an upload in progress. Parts are streamed to where they are kept (files under
 * the data directory, or the external store's own multipart upload), never held in memory.
 */
export interface MultipartStore {
  /** Starts an upload; returns the store's id for it. */
  create(bucket: string, key: string, options: { contentType: string | undefined }): Promise<string>;
  /** Stores (or replaces) part `partNumber` (1-10000); the body's length is known. */
  uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Readable, size: number): Promise<{ etag: string }>;
  /**
   * The parts stored so far, by part number; undefined when the store cannot list them (some
   * S3-compatible servers lack ListParts), in which case it checks the parts itself on complete.
   */
  listParts(bucket: string, key: string, uploadId: string): Promise<PartInfo[] | undefined>;
  /** Joins `parts` (checked against listParts when it can list them) into the object and ends the upload. */
  complete(bucket: string, key: string, uploadId: string, parts: PartInfo[], options: { contentType: string | undefined }): Promise<{ etag: string }>;
  /** Ends the upload and frees its parts; an upload that is already gone is not an error. */
  abort(bucket: string, key: string, uploadId: string): Promise<void>;
}

export interface PartInfo {
  partNumber: number;
  /** Quoted, as S3 sends it. */
  etag: string;
  size: number;
  lastModified: number;
}

export interface PutOptions {
  contentType: string | undefined;
  /** The body's length when known in advance (lets an external store skip multipart). */
  size?: number | undefined;
  /** The ETag to record instead of the body's MD5 (a completed multipart upload has S3's `"…-N"`). */
  etag?: string | undefined;
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
