/**
 * Multipart upload and presigned PUT through Tandem's own S3 API, on both dialects, with the real
 * @aws-sdk/lib-storage `Upload`, the S3 client's multipart commands, s3-request-presigner and
 * boto3's `upload_file`: 20 MiB files read back byte-identical, parts kept on disk while the
 * upload is open, upload ids scoped to their account, abort and the day-old clean-up free parts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { abortStaleUploads } from '../../src/api/s3/s3-multipart.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { SYSTEM_PYTHON, skipReason } from '../support/environment.js';
import { tandemS3Client } from '../support/s3-loops.js';
import { useTestTandem, type TestTandem } from '../support/tandem.js';

const MIB = 1024 * 1024;
const BOTO3_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'boto3_multipart.py');

/** Random bytes: every part differs, so a part joined out of place or twice would show. */
function patterned(size: number): Buffer {
  return randomBytes(size);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function bodyOf(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

function runPython(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(SYSTEM_PYTHON, [BOTO3_SCRIPT], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

for (const dialect of DIALECTS) {
  describe(`S3 multipart upload and presigned PUT on ${dialect}`, { skip: dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    let s3: S3Client;
    let s3b: S3Client;
    let scratch: string;
    const big = patterned(20 * MIB);
    before(async () => {
      scratch = await mkdtemp(join(tmpdir(), 'tandem-multipart-'));
    });
    after(async () => {
      s3?.destroy();
      s3b?.destroy();
      await rm(scratch, { recursive: true, force: true });
    });
    useTestTandem(dialect, async (started) => {
      tandem = started;
      s3 = tandemS3Client(tandem);
      s3b = tandemS3Client(tandem, await tandem.createAccount('444455556666'));
    });
    const uploadsDir = () => join(tandem.resources.config.outputDir, '.tandem-uploads');

    test('lib-storage Upload of 20 MiB (4 parts) reads back byte-identical, with a multipart ETag', async () => {
      const upload = new Upload({
        client: s3,
        params: { Bucket: 'mp-inputs', Key: 'videos/big.bin', Body: Readable.from([big]), ContentType: 'application/octet-stream' },
        partSize: 5 * MIB,
        queueSize: 2,
      });
      const done = await upload.done();
      assert.match(done.ETag ?? '', /^"[0-9a-f]{32}-4"$/);
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'mp-inputs', Key: 'videos/big.bin' }));
      assert.equal(head.ContentLength, big.length);
      assert.equal(head.ETag, done.ETag);
      assert.equal(head.ContentType, 'application/octet-stream');
      assert.equal(sha256(await bodyOf(s3, 'mp-inputs', 'videos/big.bin')), sha256(big));
      // Nothing of the upload is left behind.
      assert.deepEqual(await readdir(uploadsDir()), []);
    });

    test("boto3 upload_file of a 20 MiB file (8 MiB parts) downloads byte-identical", { skip: skipReason('boto3') }, async () => {
      const source = join(scratch, 'upload.bin');
      const target = join(scratch, 'download.bin');
      const bytes = patterned(20 * MIB);
      await writeFile(source, bytes);
      const run = await runPython({
        TANDEM_ENDPOINT: tandem.url,
        AWS_ACCESS_KEY_ID: tandem.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: tandem.credentials.secretAccessKey,
        UPLOAD_FILE: source,
        DOWNLOAD_FILE: target,
      });
      assert.equal(run.code, 0, run.stderr);
      const summary = JSON.parse(run.stdout.trim().split('\n').pop()!) as { size: number; etag: string };
      assert.equal(summary.size, bytes.length);
      assert.match(summary.etag, /-3"$/);
      assert.equal(sha256(await readFile(target)), sha256(bytes));
    });

    test('parts stream to disk while the upload is open; ListParts shows them; the id is useless to another account', async () => {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mp-parts', Key: 'a/b.bin', ContentType: 'text/plain' }));
      assert.ok(UploadId && UploadId.length >= 40);
      const part1 = patterned(5 * MIB);
      const part2 = Buffer.from('the last part may be small');
      const p1 = await s3.send(new UploadPartCommand({ Bucket: 'mp-parts', Key: 'a/b.bin', UploadId, PartNumber: 1, Body: part1 }));
      const p2 = await s3.send(new UploadPartCommand({ Bucket: 'mp-parts', Key: 'a/b.bin', UploadId, PartNumber: 2, Body: part2 }));
      assert.equal(p1.ETag, `"${createHash('md5').update(part1).digest('hex')}"`);
      const listed = await s3.send(new ListPartsCommand({ Bucket: 'mp-parts', Key: 'a/b.bin', UploadId }));
      assert.deepEqual(listed.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size]), [[1, p1.ETag, part1.length], [2, p2.ETag, part2.length]]);
      // Kept as files, one per part, under the data directory: nothing waits in memory.
      const [dir] = await readdir(uploadsDir());
      const files = await readdir(join(uploadsDir(), dir!));
      assert.equal(files.length, 2);
      assert.deepEqual((await Promise.all(files.sort().map((f) => stat(join(uploadsDir(), dir!, f))))).map((s) => s.size), [part1.length, part2.length]);
      // Another account: its own bucket does not know the id; A's bucket is refused outright.
      await assert.rejects(s3b.send(new UploadPartCommand({ Bucket: 'mp-b-own', Key: 'a/b.bin', UploadId, PartNumber: 3, Body: 'x' })), { name: 'NoSuchBucket' });
      await s3b.send(new PutObjectCommand({ Bucket: 'mp-b-own', Key: 'x', Body: 'x' }));
      await assert.rejects(s3b.send(new UploadPartCommand({ Bucket: 'mp-b-own', Key: 'a/b.bin', UploadId, PartNumber: 3, Body: 'x' })), { name: 'NoSuchUpload' });
      await assert.rejects(s3b.send(new AbortMultipartUploadCommand({ Bucket: 'mp-parts', Key: 'a/b.bin', UploadId })), { name: 'AccessDenied' });
      // The same id under another key of the owner's is not the upload either.
      await assert.rejects(s3.send(new ListPartsCommand({ Bucket: 'mp-parts', Key: 'a/other.bin', UploadId })), { name: 'NoSuchUpload' });
      // Completing checks the parts as S3 does.
      const complete = (Parts: Array<{ PartNumber: number; ETag: string }>) =>
        s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mp-parts', Key: 'a/b.bin', UploadId, MultipartUpload: { Parts } }));
      await assert.rejects(complete([{ PartNumber: 2, ETag: p2.ETag! }, { PartNumber: 1, ETag: p1.ETag! }]), { name: 'InvalidPartOrder' });
      await assert.rejects(complete([{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }]), { name: 'InvalidPart' });
      await assert.rejects(complete([{ PartNumber: 2, ETag: p2.ETag! }, { PartNumber: 3, ETag: p2.ETag! }]), { name: 'InvalidPart' });
      const done = await complete([{ PartNumber: 1, ETag: p1.ETag! }, { PartNumber: 2, ETag: p2.ETag! }]);
      assert.match(done.ETag!, /-2"$/);
      assert.equal(sha256(await bodyOf(s3, 'mp-parts', 'a/b.bin')), sha256(Buffer.concat([part1, part2])));
      // A completed upload id is spent.
      await assert.rejects(complete([{ PartNumber: 1, ETag: p1.ETag! }]), { name: 'NoSuchUpload' });
    });

    test('a part below 5 MiB that is not the last is EntityTooSmall; abort frees the parts and ends the id', async () => {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mp-parts', Key: 'small.bin' }));
      const p1 = await s3.send(new UploadPartCommand({ Bucket: 'mp-parts', Key: 'small.bin', UploadId, PartNumber: 1, Body: 'tiny' }));
      const p2 = await s3.send(new UploadPartCommand({ Bucket: 'mp-parts', Key: 'small.bin', UploadId, PartNumber: 2, Body: 'tiny too' }));
      await assert.rejects(
        s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mp-parts', Key: 'small.bin', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag! }, { PartNumber: 2, ETag: p2.ETag! }] } })),
        { name: 'EntityTooSmall' },
      );
      await assert.rejects(s3.send(new UploadPartCommand({ Bucket: 'mp-parts', Key: 'small.bin', UploadId, PartNumber: 10_001, Body: 'x' })), { name: 'InvalidArgument' });
      assert.equal((await readdir(uploadsDir())).length, 1);
      await s3.send(new AbortMultipartUploadCommand({ Bucket: 'mp-parts', Key: 'small.bin', UploadId }));
      assert.deepEqual(await readdir(uploadsDir()), []);
      await assert.rejects(s3.send(new UploadPartCommand({ Bucket: 'mp-parts', Key: 'small.bin', UploadId, PartNumber: 3, Body: 'x' })), { name: 'NoSuchUpload' });
      await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: 'mp-parts', Key: 'small.bin' })), { name: 'NotFound' });
    });

    test('an upload left incomplete for a day is aborted by the engine task and its parts freed', async () => {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mp-parts', Key: 'forgotten.bin' }));
      await s3.send(new UploadPartCommand({ Bucket: 'mp-parts', Key: 'forgotten.bin', UploadId, PartNumber: 1, Body: 'forgotten' }));
      // A fresh upload is left alone.
      assert.equal(await abortStaleUploads(tandem.resources), 0);
      assert.equal((await readdir(uploadsDir())).length, 1);
      await tandem.resources.store.db.updateTable('multipart_uploads').set({ created_at: Date.now() - 25 * 3600 * 1000 }).where('id', '=', UploadId!).execute();
      assert.equal(await abortStaleUploads(tandem.resources), 1);
      assert.deepEqual(await readdir(uploadsDir()), []);
      await assert.rejects(s3.send(new ListPartsCommand({ Bucket: 'mp-parts', Key: 'forgotten.bin', UploadId })), { name: 'NoSuchUpload' });
    });

    test('presigned PUT (getSignedUrl + PutObjectCommand) uploads with a plain fetch; a URL for another key or account is refused', async () => {
      const bytes = Buffer.from('\x89PNG presigned upload');
      const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'mp-presigned', Key: 'in/cat.png', ContentType: 'image/png' }), { expiresIn: 60 });
      const put = await fetch(url, { method: 'PUT', body: bytes, headers: { 'content-type': 'image/png' } });
      assert.equal(put.status, 200, await put.clone().text());
      assert.match(put.headers.get('etag') ?? '', /^"[0-9a-f]{32}"$/);
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'mp-presigned', Key: 'in/cat.png' }));
      assert.equal(head.ContentType, 'image/png');
      assert.deepEqual(await bodyOf(s3, 'mp-presigned', 'in/cat.png'), bytes);
      // The signature covers the path: the same URL aimed at another key does not verify.
      const moved = await fetch(url.replace('/in/cat.png', '/in/dog.png'), { method: 'PUT', body: bytes, headers: { 'content-type': 'image/png' } });
      assert.equal(moved.status, 403);
      assert.match(await moved.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
      // Another account's own presigned URL into this bucket is refused.
      const foreign = await getSignedUrl(s3b, new PutObjectCommand({ Bucket: 'mp-presigned', Key: 'in/evil.png' }), { expiresIn: 60 });
      const refused = await fetch(foreign, { method: 'PUT', body: 'evil' });
      assert.equal(refused.status, 403);
      assert.match(await refused.text(), /<Code>AccessDenied<\/Code>/);
      assert.equal(existsSync(join(tandem.resources.config.outputDir, 'mp-presigned', 'in', 'evil.png')), false);
    });
  });
}
