import { hash } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { localPathFor } from './local-output.js';

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

/** The bucket name under which uploaded review documents are kept. */
export const DOCUMENT_BUCKET = 'tandem-review-documents';

/**
 * Content-addressed files under `{outputDir}/tandem-review-documents/{account}/{sha256}.{ext}`:
 * the same bytes are stored once, a retry rewrites nothing, and the extension (from the bytes'
 * signature) gives the file its content type when served.
 */
export function localDocumentStore(outputDir: string): DocumentStore {
  return {
    async put(accountId, bytes) {
      const name = `${accountId}/${hash('sha256', bytes, 'hex')}.${extensionOf(bytes)}`;
      const file = localPathFor(outputDir, `s3://${DOCUMENT_BUCKET}/${name}`);
      if (!(await stat(file).catch(() => undefined))?.isFile()) await writeAtomically(file, bytes);
      return { bucket: DOCUMENT_BUCKET, name };
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
