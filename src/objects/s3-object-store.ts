import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  type BucketLocationConstraint,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import type { TandemConfig } from '../config.js';
import {
  compareKeys,
  PermanentStoreError,
  type ByteRange,
  type ListEntry,
  type ListOptions,
  type MultipartStore,
  type ObjectInfo,
  type ObjectStore,
  type PartInfo,
  type PutOptions,
  type StoredObject,
} from './object-store.js';

export type ExternalStoreSettings = Pick<TandemConfig, 's3Endpoint' | 's3Region' | 's3ForcePathStyle' | 's3AccessKeyId' | 's3SecretAccessKey'>;

/**
 * Answers of the external store that no retry can change: the loop fails at once with the code
 * in its FailureReason, and Tandem's S3 API passes the code on.
 */
const PERMANENT_CODES = new Set([
  'NoSuchBucket',
  'AccessDenied',
  'AllAccessDisabled',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidBucketName',
  'AccountProblem',
  'InvalidObjectState',
  'KeyTooLongError',
  'EntityTooLarge',
  'NoSuchUpload',
  'InvalidPart',
  'InvalidPartOrder',
  'EntityTooSmall',
]);

/** A refusal of the external store (see PERMANENT_CODES), with S3's code and status. */
export class ExternalStoreRefusal extends PermanentStoreError {
  constructor(
    readonly code: string,
    readonly status: number | undefined,
    detail: string,
  ) {
    super(`the external object store refused the request: ${code}${status ? ` (HTTP ${status})` : ''}${detail ? `: ${detail}` : ''}`);
    this.name = 'ExternalStoreRefusal';
  }
}

/**
 * An external S3-compatible store (AWS S3, MinIO, Ceph RGW, R2…) through @aws-sdk/client-s3.
 * Tandem's bucket names are the store's bucket names; ownership is Tandem's business and is
 * checked before any call here. Bodies stream through; nothing is buffered whole except bodies
 * of unknown length, which lib-storage sends in 5 MiB parts.
 */
export class S3ObjectStore implements ObjectStore {
  readonly client: S3Client;
  readonly multipart: MultipartStore;

  constructor(private readonly settings: ExternalStoreSettings) {
    this.client = new S3Client({
      region: settings.s3Region,
      ...(settings.s3Endpoint ? { endpoint: settings.s3Endpoint } : {}),
      forcePathStyle: settings.s3ForcePathStyle,
      credentials:
        settings.s3AccessKeyId && settings.s3SecretAccessKey
          ? { accessKeyId: settings.s3AccessKeyId, secretAccessKey: settings.s3SecretAccessKey }
          : defaultProvider(),
      // Checksums only where S3 requires them: many S3-compatible stores do not understand the
      // aws-chunked trailers the SDK sends by default since 2025, and Tandem checks bodies itself.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // A store that does not answer must not hold the output engine forever; the SDK's own
      // retries cover brief hiccups, Tandem's backoff covers longer outages.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
      maxAttempts: 2,
    });
    this.multipart = new S3Multipart(this.client, (call) => this.call(call));
  }

  /** Runs one SDK call, turning the store's permanent refusals into {@link ExternalStoreRefusal}. */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw refusalOf(error) ?? error;
    }
  }

  async putObject(bucket: string, key: string, body: Buffer, contentType: string): Promise<void> {
    await this.call(() => this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.length })));
  }

  async putObjectStream(bucket: string, key: string, body: Readable, options: PutOptions): Promise<{ etag: string }> {
    if (options.size !== undefined) {
      const put = await this.call(() =>
        this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: options.size, ContentType: options.contentType })),
      );
      return { etag: put.ETag ?? '""' };
    }
    const upload = new Upload({ client: this.client, params: { Bucket: bucket, Key: key, Body: body, ContentType: options.contentType }, queueSize: 1 });
    const done = await this.call(() => upload.done());
    return { etag: done.ETag ?? '""' };
  }

  async getObject(bucket: string, key: string, options: { range?: ByteRange } = {}): Promise<StoredObject | undefined> {
    const { range } = options;
    try {
      const got = await this.client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
      );
      const total = /\/(\d+)$/.exec(got.ContentRange ?? '')?.[1];
      return {
        size: total !== undefined ? Number(total) : (got.ContentLength ?? 0),
        contentType: got.ContentType,
        etag: got.ETag ?? '""',
        lastModified: got.LastModified?.getTime() ?? 0,
        body: got.Body as Readable,
        range,
      };
    } catch (error) {
      if (isNotFound(error, 'NoSuchKey')) return undefined;
      throw refusalOf(error) ?? error;
    }
  }

  async headObject(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { size: head.ContentLength ?? 0, contentType: head.ContentType, etag: head.ETag ?? '""', lastModified: head.LastModified?.getTime() ?? 0 };
    } catch (error) {
      // HEAD answers carry no body, so a missing key and a missing bucket are both a bare 404.
      if (isNotFound(error, 'NotFound')) return undefined;
      throw refusalOf(error) ?? error;
    }
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.call(() => this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
  }

  async *listObjects(bucket: string, options: ListOptions): AsyncIterable<ListEntry> {
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await this.call(() =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            ...(options.prefix ? { Prefix: options.prefix } : {}),
            ...(options.delimiter ? { Delimiter: options.delimiter } : {}),
            ...(token ? { ContinuationToken: token } : options.startAfter ? { StartAfter: options.startAfter } : {}),
          }),
        ),
      );
      // Each page lists keys and common prefixes apart, each in order: merged, they are in S3's order.
      const entries: ListEntry[] = [
        ...(page.Contents ?? []).map(
          (o): ListEntry => ({ kind: 'object', key: o.Key ?? '', size: o.Size ?? 0, etag: o.ETag ?? '""', lastModified: o.LastModified?.getTime() ?? 0 }),
        ),
        ...(page.CommonPrefixes ?? []).map((p): ListEntry => ({ kind: 'prefix', prefix: p.Prefix ?? '' })),
      ];
      entries.sort((a, b) => compareKeys(a.kind === 'object' ? a.key : a.prefix, b.kind === 'object' ? b.key : b.prefix));
      yield* entries;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async ensureBucket(bucket: string): Promise<void> {
    const region = this.settings.s3Region;
    try {
      await this.client.send(
        new CreateBucketCommand({
          Bucket: bucket,
          ...(region !== 'us-east-1' ? { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } } : {}),
        }),
      );
    } catch (error) {
      if (error instanceof S3ServiceException && error.name === 'BucketAlreadyOwnedByYou') return;
      throw refusalOf(error) ?? error;
    }
  }

  async presignGet(bucket: string, key: string, ttlSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: ttlSeconds });
  }
}

/** The external store's own multipart uploads: parts stream through to it. */
class S3Multipart implements MultipartStore {
  constructor(
    private readonly client: S3Client,
    private readonly call: <T>(run: () => Promise<T>) => Promise<T>,
  ) {}

  async create(bucket: string, key: string, options: { contentType: string | undefined }): Promise<string> {
    const created = await this.call(() => this.client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: options.contentType })));
    if (!created.UploadId) throw new Error('the external object store returned no UploadId');
    return created.UploadId;
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Readable, size: number): Promise<{ etag: string }> {
    const part = await this.call(() =>
      this.client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: size })),
    );
    return { etag: part.ETag ?? '""' };
  }

  async listParts(bucket: string, key: string, uploadId: string): Promise<PartInfo[] | undefined> {
    const parts: PartInfo[] = [];
    let marker: string | undefined;
    for (;;) {
      let page;
      try {
        page = await this.client.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, ...(marker ? { PartNumberMarker: marker } : {}) }));
      } catch (error) {
        if (error instanceof S3ServiceException && (error.name === 'MethodNotAllowed' || error.name === 'NotImplemented')) return undefined;
        throw refusalOf(error) ?? error;
      }
      for (const p of page.Parts ?? []) {
        parts.push({ partNumber: p.PartNumber ?? 0, etag: p.ETag ?? '""', size: p.Size ?? 0, lastModified: p.LastModified?.getTime() ?? 0 });
      }
      if (!page.IsTruncated || !page.NextPartNumberMarker) return parts;
      marker = page.NextPartNumberMarker;
    }
  }

  async complete(bucket: string, key: string, uploadId: string, parts: PartInfo[]): Promise<{ etag: string }> {
    const done = await this.call(() =>
      this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
        }),
      ),
    );
    return { etag: done.ETag ?? '""' };
  }

  async abort(bucket: string, key: string, uploadId: string): Promise<void> {
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    } catch (error) {
      if (error instanceof S3ServiceException && error.name === 'NoSuchUpload') return;
      // A store without AbortMultipartUpload (s3rver) keeps the parts until its own lifecycle
      // rules remove them; Tandem's record of the upload ends all the same.
      if (error instanceof S3ServiceException && (error.name === 'MethodNotAllowed' || error.name === 'NotImplemented')) return;
      throw refusalOf(error) ?? error;
    }
  }
}

function isNotFound(error: unknown, code: string): boolean {
  return error instanceof S3ServiceException && (error.name === code || (error.name !== 'NoSuchBucket' && error.$metadata.httpStatusCode === 404));
}

function refusalOf(error: unknown): ExternalStoreRefusal | undefined {
  if (!(error instanceof S3ServiceException) || !PERMANENT_CODES.has(error.name)) return undefined;
  const message = error.message && error.message !== error.name && error.message !== 'UnknownError' ? error.message : '';
  return new ExternalStoreRefusal(error.name, error.$metadata.httpStatusCode, message.slice(0, 200));
}
