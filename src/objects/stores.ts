import type { Readable } from 'node:stream';
import type { TandemConfig } from '../config.js';
import type { Resources } from '../resources.js';
import { LocalObjectStore } from './local-object-store.js';
import type { ByteRange, ListOptions, MultipartStore, ObjectStore, PartInfo, PutOptions } from './object-store.js';
import { S3ObjectStore } from './s3-object-store.js';

const stores = new WeakMap<object, ObjectStore>();

/** Buckets Tandem keeps for itself (documents sent to built-in reviews): always on local disk. */
const TANDEM_BUCKET = /^tandem-review-documents-\d{12}$/;

/**
 * The object store configured for this Tandem, built once per configuration object (tests give
 * each Tandem its own). The embedded store keeps objects under `outputDir`; with
 * `objectStore: 's3'` every bucket but Tandem's own review-document buckets is in the external
 * store.
 */
export function objectStoreOf(resources: Resources): ObjectStore {
  let store = stores.get(resources.config);
  if (!store) {
    store = buildObjectStore(resources.config);
    stores.set(resources.config, store);
  }
  return store;
}

export function buildObjectStore(config: TandemConfig): ObjectStore {
  const local = new LocalObjectStore(config.outputDir);
  if (config.objectStore === 'local') return local;
  return new BucketRoutedStore(new S3ObjectStore(config), local, (bucket) => TANDEM_BUCKET.test(bucket));
}

/** One store for most buckets, another for those `isOther` picks. */
class BucketRoutedStore implements ObjectStore {
  readonly multipart: MultipartStore;

  constructor(
    private readonly main: ObjectStore,
    private readonly other: ObjectStore,
    private readonly isOther: (bucket: string) => boolean,
  ) {
    const pick = (bucket: string) => this.pick(bucket).multipart;
    this.multipart = {
      create: (bucket: string, key: string, options: { contentType: string | undefined }) => pick(bucket).create(bucket, key, options),
      uploadPart: (bucket: string, key: string, id: string, n: number, body: Readable, size: number) => pick(bucket).uploadPart(bucket, key, id, n, body, size),
      listParts: (bucket: string, key: string, id: string) => pick(bucket).listParts(bucket, key, id),
      complete: (bucket: string, key: string, id: string, parts: PartInfo[], options: { contentType: string | undefined }) =>
        pick(bucket).complete(bucket, key, id, parts, options),
      abort: (bucket: string, key: string, id: string) => pick(bucket).abort(bucket, key, id),
    };
  }

  private pick(bucket: string): ObjectStore {
    return this.isOther(bucket) ? this.other : this.main;
  }

  putObject(bucket: string, key: string, body: Buffer, contentType: string) {
    return this.pick(bucket).putObject(bucket, key, body, contentType);
  }
  putObjectStream(bucket: string, key: string, body: Readable, options: PutOptions) {
    return this.pick(bucket).putObjectStream(bucket, key, body, options);
  }
  getObject(bucket: string, key: string, options?: { range?: ByteRange }) {
    return this.pick(bucket).getObject(bucket, key, options);
  }
  headObject(bucket: string, key: string) {
    return this.pick(bucket).headObject(bucket, key);
  }
  deleteObject(bucket: string, key: string) {
    return this.pick(bucket).deleteObject(bucket, key);
  }
  listObjects(bucket: string, options: ListOptions) {
    return this.pick(bucket).listObjects(bucket, options);
  }
  ensureBucket(bucket: string) {
    return this.pick(bucket).ensureBucket(bucket);
  }
  presignGet(bucket: string, key: string, ttlSeconds: number) {
    return this.pick(bucket).presignGet(bucket, key, ttlSeconds);
  }
}
