import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { bucketNameProblem, objectKeyProblem } from '../domain/s3-locations.js';
import { listDirectoryTree } from './local-listing.js';
import { LocalMultipartStore } from './local-multipart.js';
import {
  KeyConflictError,
  PermanentStoreError,
  type ByteRange,
  type ListEntry,
  type ListOptions,
  type MultipartStore,
  type ObjectInfo,
  type ObjectStore,
  type PutOptions,
  type StoredObject,
} from './object-store.js';

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Beside the buckets, under names no bucket can have (bucket names start with a letter or
 * digit): the metadata tree mirrors the buckets' (`.tandem-meta/{bucket}/{key}` holds the
 * object's content type and ETag), and temporary files are written in `.tandem-tmp` so a
 * half-written upload never shows up in a listing.
 */
const META_DIR = '.tandem-meta';
const TEMP_DIR = '.tandem-tmp';

interface Metadata {
  contentType: string | undefined;
  etag: string;
  /** The data file's size and mtime when the metadata was written: a mismatch means it is stale. */
  size: number;
  mtimeMs: number;
}

/**
 * The embedded store: `s3://bucket/key` is the file `{root}/bucket/key` — the layout Tandem has
 * always written output.json in, so output written before buckets had owners is still found.
 * Writes are atomic and durable before they return (temp file, fsync, rename, fsync of the
 * directory), so a loop is never Completed with a partial file.
 */
export class LocalObjectStore implements ObjectStore {
  readonly multipart: MultipartStore;

  constructor(private readonly root: string) {
    this.multipart = new LocalMultipartStore(root, (bucket, key, body, options) => this.putObjectStream(bucket, key, body, options));
  }

  async ensureBucket(): Promise<void> {}

  async presignGet(): Promise<string | undefined> {
    return undefined;
  }

  /** The file for an object; refuses names that are not a plain relative path under the root. */
  pathOf(bucket: string, key: string): string {
    const problem = bucketNameProblem(bucket) ?? objectKeyProblem(key);
    if (problem) throw new PermanentStoreError(problem);
    const root = resolve(this.root);
    const file = resolve(root, bucket, key);
    // objectKeyProblem already refuses '..' segments; this is the second lock on the same door.
    if (!file.startsWith(root + sep)) throw new PermanentStoreError('the object key escapes the store');
    return file;
  }

  private metaPathOf(bucket: string, key: string): string {
    return join(resolve(this.root), META_DIR, bucket, key);
  }

  async putObject(bucket: string, key: string, body: Buffer, contentType?: string): Promise<void> {
    await this.putObjectStream(bucket, key, Readable.from([body]), { contentType, size: body.length });
  }

  async putObjectStream(bucket: string, key: string, body: Readable, options: PutOptions): Promise<{ etag: string }> {
    const file = this.pathOf(bucket, key);
    const tempDir = join(resolve(this.root), TEMP_DIR);
    await mkdir(tempDir, { recursive: true });
    const temp = join(tempDir, randomBytes(9).toString('hex'));
    const md5 = createHash('md5');
    try {
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          md5.update(chunk);
          done(null, chunk);
        },
      });
      const out = createWriteStream(temp, { mode: 0o644 });
      await pipeline(body, hashing, out);
      const handle = await open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.makeParentDirectory(file, key);
      await rename(temp, file).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'EISDIR' || error.code === 'ENOTDIR' || error.code === 'ENOTEMPTY' ? new KeyConflictError(key) : error;
      });
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await syncDirectory(dirname(file));
    const etag = options.etag ?? `"${md5.digest('hex')}"`;
    const info = await stat(file);
    await this.writeMetadata(bucket, key, { contentType: options.contentType, etag, size: info.size, mtimeMs: info.mtimeMs });
    return { etag };
  }

  private async makeParentDirectory(file: string, key: string): Promise<void> {
    try {
      await mkdir(dirname(file), { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A file stands where a folder of the key should be (`a` exists, `a/b` is written).
      if (code === 'EEXIST' || code === 'ENOTDIR') throw new KeyConflictError(key);
      throw error;
    }
  }

  private async writeMetadata(bucket: string, key: string, metadata: Metadata): Promise<void> {
    // Not fsynced: metadata that did not survive a crash is detected as stale and rebuilt.
    const file = this.metaPathOf(bucket, key);
    const temp = join(resolve(this.root), TEMP_DIR, randomBytes(9).toString('hex'));
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(temp, JSON.stringify(metadata));
      await rename(temp, file);
    } catch {
      // Missing metadata only costs the content type and the MD5 ETag, never the object.
      await rm(temp, { force: true });
    }
  }

  async headObject(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    let file: string;
    try {
      file = this.pathOf(bucket, key);
    } catch {
      return undefined;
    }
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const meta = await this.readMetadata(bucket, key);
    const fresh = meta && meta.size === info.size && meta.mtimeMs === info.mtimeMs ? meta : undefined;
    return {
      size: info.size,
      contentType: fresh?.contentType ?? CONTENT_TYPES[extname(file).toLowerCase()],
      // Written before metadata existed, or overwritten by hand: an ETag that still changes with the bytes' size and time.
      etag: fresh?.etag ?? `"${createHash('md5').update(`${info.size}:${info.mtimeMs}`).digest('hex')}"`,
      lastModified: Math.floor(info.mtimeMs),
    };
  }

  private async readMetadata(bucket: string, key: string): Promise<Metadata | undefined> {
    try {
      return JSON.parse(await readFile(this.metaPathOf(bucket, key), 'utf8')) as Metadata;
    } catch {
      return undefined;
    }
  }

  async getObject(bucket: string, key: string, options: { range?: ByteRange } = {}): Promise<StoredObject | undefined> {
    const info = await this.headObject(bucket, key);
    if (!info) return undefined;
    const { range } = options;
    const body = createReadStream(this.pathOf(bucket, key), range ? { start: range.start, end: range.end } : {});
    return { ...info, body, range };
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    let file: string;
    try {
      file = this.pathOf(bucket, key);
    } catch {
      return;
    }
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return;
    await rm(file, { force: true });
    await rm(this.metaPathOf(bucket, key), { force: true });
    // Empty folders go too, so `a` can be a key again once `a/b` is gone, and listings stay short.
    await removeEmptyParents(dirname(file), join(resolve(this.root), bucket));
    await removeEmptyParents(dirname(this.metaPathOf(bucket, key)), join(resolve(this.root), META_DIR, bucket));
  }

  async *listObjects(bucket: string, options: ListOptions): AsyncIterable<ListEntry> {
    if (bucketNameProblem(bucket)) return;
    const bucketDir = join(resolve(this.root), bucket);
    for await (const entry of listDirectoryTree(bucketDir, options)) {
      if (entry.kind === 'prefix') {
        yield entry;
        continue;
      }
      const info = await this.headObject(bucket, entry.key);
      if (info) yield { kind: 'object', key: entry.key, size: info.size, etag: info.etag, lastModified: info.lastModified };
    }
  }
}

async function syncDirectory(directory: string): Promise<void> {
  const dir = await open(directory, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

async function removeEmptyParents(directory: string, stopAt: string): Promise<void> {
  let current = directory;
  while (current.startsWith(stopAt + sep)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    current = dirname(current);
  }
}
