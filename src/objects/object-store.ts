import type { Readable } from 'node:stream';

/**
 * Where objects live: the embedded store (files under the data directory) or an external
 * S3-compatible service. Ownership is not this interface's business: callers check the bucket's
 * account first (operations/buckets.ts); keys arrive already validated (domain/s3-locations.ts).
 */
export interface ObjectStore {
  /** Stores the whole body; durable when the promise resolves. */
  putObject(bucket: string, key: string, body: Buffer, contentType: string): Promise<void>;
  /** The object's bytes and size, or undefined when it does not exist. */
  getObject(bucket: string, key: string): Promise<StoredObject | undefined>;
}

export interface StoredObject {
  body: Readable;
  size: number;
  contentType: string | undefined;
}

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
