import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PermanentStoreError, type MultipartStore, type PartInfo, type PutOptions } from './object-store.js';

/**
 * Beside the buckets under a name no bucket can have: one folder per upload in progress, one file
 * per part, named `{part number}.{md5}` so a listing alone gives each part's ETag.
 */
const UPLOADS_DIR = '.tandem-uploads';
const UPLOAD_ID = /^[0-9a-f]{32}$/;
const PART_FILE = /^(\d{5})\.([0-9a-f]{32})$/;

/** Where the finished object goes: the embedded store's streamed, atomic put. */
export type PutStream = (bucket: string, key: string, body: Readable, options: PutOptions) => Promise<{ etag: string }>;

/**
 * Multipart uploads of the embedded store. Parts stream to their own files; completing streams
 * them, in order, through the store's ordinary atomic put, so the object appears whole or not at
 * all and memory use does not grow with its size.
 */
export class LocalMultipartStore implements MultipartStore {
  constructor(
    private readonly root: string,
    private readonly put: PutStream,
  ) {}

  private dirOf(uploadId: string): string {
    if (!UPLOAD_ID.test(uploadId)) throw new PermanentStoreError('not an upload id of this store');
    return join(resolve(this.root), UPLOADS_DIR, uploadId);
  }

  async create(): Promise<string> {
    const uploadId = randomBytes(16).toString('hex');
    await mkdir(this.dirOf(uploadId), { recursive: true });
    return uploadId;
  }

  async uploadPart(_bucket: string, _key: string, uploadId: string, partNumber: number, body: Readable): Promise<{ etag: string }> {
    const dir = this.dirOf(uploadId);
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw new UploadGoneError();
    const temp = join(dir, `tmp-${randomBytes(6).toString('hex')}`);
    const md5 = createHash('md5');
    try {
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          md5.update(chunk);
          done(null, chunk);
        },
      });
      await pipeline(body, hashing, createWriteStream(temp));
      const hex = md5.digest('hex');
      const number = String(partNumber).padStart(5, '0');
      await rename(temp, join(dir, `${number}.${hex}`));
      // A part uploaded again replaces the earlier bytes, as in S3.
      for (const name of await readdir(dir)) {
        if (name.startsWith(`${number}.`) && name !== `${number}.${hex}`) await rm(join(dir, name), { force: true });
      }
      return { etag: `"${hex}"` };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async listParts(_bucket: string, _key: string, uploadId: string): Promise<PartInfo[]> {
    const dir = this.dirOf(uploadId);
    const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new UploadGoneError();
      throw error;
    });
    const parts = new Map<number, PartInfo>();
    for (const name of names) {
      const match = PART_FILE.exec(name);
      if (!match) continue;
      const info = await stat(join(dir, name)).catch(() => undefined);
      if (!info) continue;
      const part = { partNumber: Number(match[1]), etag: `"${match[2]}"`, size: info.size, lastModified: Math.floor(info.mtimeMs) };
      const earlier = parts.get(part.partNumber);
      if (!earlier || earlier.lastModified <= part.lastModified) parts.set(part.partNumber, part);
    }
    return [...parts.values()].sort((a, b) => a.partNumber - b.partNumber);
  }

  async complete(bucket: string, key: string, uploadId: string, parts: PartInfo[], options: { contentType: string | undefined }): Promise<{ etag: string }> {
    const dir = this.dirOf(uploadId);
    const files = parts.map((part) => join(dir, `${String(part.partNumber).padStart(5, '0')}.${part.etag.replace(/"/g, '')}`));
    const size = parts.reduce((total, part) => total + part.size, 0);
    async function* concatenated() {
      for (const file of files) yield* createReadStream(file);
    }
    const etag = multipartEtag(parts);
    await this.put(bucket, key, Readable.from(concatenated(), { objectMode: false }), { contentType: options.contentType, size, etag });
    await rm(dir, { recursive: true, force: true });
    return { etag };
  }

  async abort(_bucket: string, _key: string, uploadId: string): Promise<void> {
    await rm(this.dirOf(uploadId), { recursive: true, force: true });
  }
}

/** S3's ETag of a multipart object: the MD5 of the parts' MD5s, then `-{part count}`. */
export function multipartEtag(parts: PartInfo[]): string {
  const md5 = createHash('md5');
  for (const part of parts) md5.update(Buffer.from(part.etag.replace(/"/g, ''), 'hex'));
  return `"${md5.digest('hex')}-${parts.length}"`;
}

/** The upload's parts are gone (aborted, completed, or cleaned up). */
export class UploadGoneError extends Error {
  constructor() {
    super('the multipart upload does not exist');
    this.name = 'UploadGoneError';
  }
}
