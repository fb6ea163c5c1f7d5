import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { PartInfo } from '../../objects/object-store.js';
import { objectStoreOf } from '../../objects/stores.js';
import type { Resources } from '../../resources.js';
import { deleteMultipartUpload, findMultipartUpload, findStaleMultipartUploads, insertMultipartUpload } from '../../store/multipart-uploads.js';
import type { MultipartUploadsTable } from '../../store/schema.js';
import { S3Error } from './s3-errors.js';
import { checkKey, requireOwnBucket, requireWritableBucket, storeErrorToS3 } from './s3-operations.js';

/**
 * Multipart upload through Tandem's S3 API (what lib-storage's `Upload` and boto3's
 * `upload_file` use above their thresholds): each upload id belongs to the account that started
 * it and to one bucket and key; parts stream to the object store and are joined there.
 */

/** S3's limits: parts 1-10000, every part but the last at least 5 MiB, each at most 5 GiB. */
export const MAX_PART_NUMBER = 10_000;
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PART_BYTES = 5 * 1024 ** 3;
/** A CompleteMultipartUpload body of 10,000 parts is well under this. */
export const MAX_COMPLETE_BODY_BYTES = 2 * 1024 * 1024;
/** Uploads neither completed nor aborted within this time are aborted and their parts freed. */
export const INCOMPLETE_UPLOAD_TTL_MS = 24 * 3600 * 1000;

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw storeErrorToS3(error);
  }
}

async function requireUpload(resources: Resources, accountId: string, bucket: string, key: string, uploadId: string): Promise<MultipartUploadsTable> {
  await requireOwnBucket(resources, accountId, bucket);
  checkKey(key);
  const upload = await findMultipartUpload(resources.store.db, accountId, uploadId, bucket, key);
  if (!upload) {
    throw new S3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', {
      UploadId: uploadId.slice(0, 200),
    });
  }
  return upload;
}

export async function createMultipartUpload(resources: Resources, accountId: string, bucket: string, key: string, contentType: string | undefined): Promise<string> {
  await requireWritableBucket(resources, accountId, bucket);
  checkKey(key);
  const storeUploadId = await call(() => objectStoreOf(resources).multipart.create(bucket, key, { contentType }));
  const id = randomBytes(32).toString('base64url');
  await insertMultipartUpload(resources.store.db, {
    id,
    account_id: accountId,
    bucket,
    object_key: key,
    store_upload_id: storeUploadId,
    content_type: contentType ?? null,
    created_at: resources.clock.now(),
  });
  return id;
}

export function partNumberOf(text: string | null): number {
  const number = /^\d{1,5}$/.test(text ?? '') ? Number(text) : Number.NaN;
  if (!(number >= 1 && number <= MAX_PART_NUMBER)) {
    throw new S3Error('InvalidArgument', `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`, { ArgumentName: 'partNumber' });
  }
  return number;
}

export async function uploadPart(
  resources: Resources,
  accountId: string,
  address: { bucket: string; key: string; uploadId: string; partNumber: number },
  body: () => Readable,
  size: number | undefined,
): Promise<{ etag: string }> {
  const { bucket, key, uploadId, partNumber } = address;
  const upload = await requireUpload(resources, accountId, bucket, key, uploadId);
  if (size === undefined) throw new S3Error('MissingContentLength', 'You must provide the Content-Length HTTP header.');
  return call(() => objectStoreOf(resources).multipart.uploadPart(bucket, key, upload.store_upload_id, partNumber, body(), size));
}

export interface RequestedPart {
  partNumber: number;
  etag: string;
}

/** The parts of a CompleteMultipartUpload body, in the order given. */
export function parseCompleteBody(xml: string): RequestedPart[] {
  if (!/<CompleteMultipartUpload[\s>]/.test(xml)) throw malformedXml();
  const parts: RequestedPart[] = [];
  for (const match of xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
    const number = /<PartNumber>\s*(\d{1,5})\s*<\/PartNumber>/.exec(match[1]!);
    const etag = /<ETag>([\s\S]*?)<\/ETag>/.exec(match[1]!);
    if (!number || !etag) throw malformedXml();
    parts.push({ partNumber: Number(number[1]), etag: unescapeXml(etag[1]!.trim()) });
  }
  if (parts.length === 0) throw malformedXml();
  return parts;
}

function malformedXml(): S3Error {
  return new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
}

function unescapeXml(text: string): string {
  return text.replace(/&(quot|amp|lt|gt|apos|#(\d+)|#x([0-9a-fA-F]+));/g, (_all, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return ({ quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" } as Record<string, string>)[name]!;
  });
}

const unquoted = (etag: string) => etag.replace(/^"|"$/g, '');

function inOrder(requested: RequestedPart[]): RequestedPart[] {
  requested.forEach((part, index) => {
    if (index > 0 && part.partNumber <= requested[index - 1]!.partNumber) {
      throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.');
    }
  });
  return requested;
}

/**
 * Checks the requested parts against those stored, as S3 does (ascending numbers, matching
 * ETags, every part but the last at least 5 MiB, the whole within the size limit), and returns
 * the stored parts to join.
 */
export function partsToJoin(requested: RequestedPart[], stored: PartInfo[], maxObjectBytes: number): PartInfo[] {
  const byNumber = new Map(stored.map((part) => [part.partNumber, part]));
  const chosen: PartInfo[] = [];
  let total = 0;
  inOrder(requested).forEach((part) => {
    const found = byNumber.get(part.partNumber);
    if (!found || unquoted(found.etag) !== unquoted(part.etag)) {
      throw new S3Error('InvalidPart', "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.", {
        PartNumber: String(part.partNumber),
        ETag: part.etag.slice(0, 100),
      });
    }
    chosen.push(found);
  });
  chosen.forEach((found, index) => {
    if (index < chosen.length - 1 && found.size < MIN_PART_BYTES) {
      throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', {
        PartNumber: String(found.partNumber),
        ProposedSize: String(found.size),
        MinSizeAllowed: String(MIN_PART_BYTES),
      });
    }
    total += found.size;
  });
  if (total > maxObjectBytes) {
    throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.', { ProposedSize: String(total), MaxSizeAllowed: String(maxObjectBytes) });
  }
  return chosen;
}

export async function completeMultipartUpload(
  resources: Resources,
  accountId: string,
  address: { bucket: string; key: string; uploadId: string },
  requested: RequestedPart[],
): Promise<{ etag: string }> {
  const { bucket, key, uploadId } = address;
  const upload = await requireUpload(resources, accountId, bucket, key, uploadId);
  const store = objectStoreOf(resources).multipart;
  const stored = await call(() => store.listParts(bucket, key, upload.store_upload_id));
  const parts =
    stored !== undefined
      ? partsToJoin(requested, stored, resources.config.s3MaxObjectBytes)
      : inOrder(requested).map((part) => ({ ...part, size: 0, lastModified: 0 }));
  const done = await call(() => store.complete(bucket, key, upload.store_upload_id, parts, { contentType: upload.content_type ?? undefined }));
  // After the object exists: a Complete that failed half-way can be sent again.
  await deleteMultipartUpload(resources.store.db, upload.id);
  return done;
}

export async function abortMultipartUpload(resources: Resources, accountId: string, address: { bucket: string; key: string; uploadId: string }): Promise<void> {
  const upload = await requireUpload(resources, accountId, address.bucket, address.key, address.uploadId);
  await call(() => objectStoreOf(resources).multipart.abort(address.bucket, address.key, upload.store_upload_id));
  await deleteMultipartUpload(resources.store.db, upload.id);
}

export async function listParts(
  resources: Resources,
  accountId: string,
  address: { bucket: string; key: string; uploadId: string },
  page: { marker: number; maxParts: number },
): Promise<{ parts: PartInfo[]; truncated: boolean }> {
  const upload = await requireUpload(resources, accountId, address.bucket, address.key, address.uploadId);
  const stored = await call(() => objectStoreOf(resources).multipart.listParts(address.bucket, address.key, upload.store_upload_id));
  if (stored === undefined) throw new S3Error('NotImplemented', 'The external object store behind this Tandem cannot list the parts of an upload.');
  const after = stored.filter((part) => part.partNumber > page.marker);
  return { parts: after.slice(0, page.maxParts), truncated: after.length > page.maxParts };
}

/**
 * Aborts uploads started more than {@link INCOMPLETE_UPLOAD_TTL_MS} ago and frees their parts.
 * The store's abort comes first and tolerates an upload already gone, so two processes doing
 * this at once, or a crash between the two steps, leave nothing behind.
 */
export async function abortStaleUploads(resources: Resources, limit = 50): Promise<number> {
  const stale = await findStaleMultipartUploads(resources.store.db, resources.clock.now() - INCOMPLETE_UPLOAD_TTL_MS, limit);
  let aborted = 0;
  for (const upload of stale) {
    try {
      await objectStoreOf(resources).multipart.abort(upload.bucket, upload.object_key, upload.store_upload_id);
    } catch (error) {
      resources.logger.warn({ err: error, bucket: upload.bucket, account: upload.account_id }, 'incomplete multipart upload could not be aborted; will try again');
      continue;
    }
    if (await deleteMultipartUpload(resources.store.db, upload.id)) aborted += 1;
  }
  if (aborted > 0) resources.logger.info({ aborted }, 'incomplete multipart uploads aborted');
  return aborted;
}
