import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, extname, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { bucketNameProblem, objectKeyProblem } from '../domain/s3-locations.js';
import { PermanentStoreError, type ObjectStore, type StoredObject } from './object-store.js';

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
 * The embedded store: `s3://bucket/key` is the file `{root}/bucket/key` — the layout Tandem has
 * always written output.json in, so output written before buckets had owners is still found.
 * Writes are atomic and durable before they return (temp file, fsync, rename, fsync of the
 * directory), so a loop is never Completed with a partial file.
 */
export class LocalObjectStore implements ObjectStore {
  constructor(private readonly root: string) {}

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

  async putObject(bucket: string, key: string, body: Buffer): Promise<void> {
    const file = this.pathOf(bucket, key);
    const directory = dirname(file);
    await mkdir(directory, { recursive: true });
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temp, 'w', 0o644);
    try {
      await handle.writeFile(body);
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
    const dir = await open(directory, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  async getObject(bucket: string, key: string): Promise<StoredObject | undefined> {
    let file: string;
    try {
      file = this.pathOf(bucket, key);
    } catch {
      return undefined;
    }
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    return { body: createReadStream(file), size: info.size, contentType: CONTENT_TYPES[extname(file).toLowerCase()] };
  }
}
