import { hash } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { LocalObjectStore } from '../objects/local-object-store.js';

/** Where a stored document lives, as an S3 location (what templates pass to `grant_read_access`). */
export interface StoredDocument {
  bucket: string;
  name: string;
}

/**
 * Keeps the document or image bytes a built-in review was asked about, so the reviewer sees
 * them. A small interface on purpose: today it is a directory (the same one `grant_read_access`
 * serves from); an account-scoped object store can implement it later without other changes.
 */
export interface DocumentStore {
  put(accountId: string, bytes: Buffer): Promise<StoredDocument>;
}

/**
 * The bucket an account's uploaded review documents are kept in. One per account, because a
 * bucket belongs to exactly one account (operations/buckets.ts): a shared bucket would let only
 * its first user's reviewers open the documents.
 */
export function documentBucketOf(accountId: string): string {
  return `tandem-review-documents-${accountId}`;
}

/**
 * Content-addressed files under `{outputDir}/tandem-review-documents-{account}/{sha256}.{ext}`:
 * the same bytes are stored once, a retry rewrites nothing, and the extension (from the bytes'
 * signature) gives the file its content type when served.
 */
export function localDocumentStore(outputDir: string): DocumentStore {
  return {
    async put(accountId, bytes) {
      const bucket = documentBucketOf(accountId);
      const name = `${hash('sha256', bytes, 'hex')}.${extensionOf(bytes)}`;
      const file = new LocalObjectStore(outputDir).pathOf(bucket, name);
      if (!(await stat(file).catch(() => undefined))?.isFile()) await writeAtomically(file, bytes);
      return { bucket, name };
    },
  };
}

async function writeAtomically(file: string, bytes: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'w', 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The formats Textract and Rekognition accept, told by their first bytes. */
export function extensionOf(bytes: Buffer): string {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  const tiff = bytes.subarray(0, 4).toString('latin1');
  if (tiff === 'II*\u0000' || tiff === 'MM\u0000*') return 'tiff';
  return 'bin';
}
