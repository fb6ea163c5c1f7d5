import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes output documents under a local directory standing in for S3: `s3://bucket/key` lands
 * at `{outputDir}/bucket/key`. The write is atomic and durable before it returns (temp file,
 * fsync, rename, fsync of the directory), so a loop is never Completed with a partial file.
 */
export function localPathFor(outputDir: string, s3Uri: string): string {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(s3Uri);
  if (!match) throw new Error(`not an s3:// URI: ${s3Uri}`);
  const root = resolve(outputDir);
  const file = resolve(root, match[1]!, match[2]!);
  if (!file.startsWith(root + sep)) throw new Error(`output key escapes the output directory: ${s3Uri}`);
  return file;
}

export async function writeOutputFile(outputDir: string, s3Uri: string, document: unknown): Promise<string> {
  const file = localPathFor(outputDir, s3Uri);
  const directory = dirname(file);
  await mkdir(directory, { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'w', 0o644);
  try {
    await handle.writeFile(JSON.stringify(document));
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
  return file;
}
