/**
 * Tandem's own S3 API through the real @aws-sdk/client-s3 (and s3-request-presigner) against a
 * listening Tandem, on both dialects: the A2I user's way of reading output.json and uploading
 * inputs, with buckets scoped to accounts and S3's XML errors.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  CopyObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { splitS3Uri } from '../../src/domain/s3-locations.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { completeOneLoop, tandemS3Client } from '../support/s3-loops.js';
import { TEST_REGION, useTestTandem, type TestTandem } from '../support/tandem.js';

const ACCOUNT_B = '444455556666';
const MAX_OBJECT_BYTES = 256 * 1024;

/** The S3 error the SDK threw: its code (exception name) and HTTP status. */
async function s3Error(promise: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof S3ServiceException, `expected an S3 error, got ${String(error)}`);
    return { name: error.name, status: error.$metadata.httpStatusCode, message: error.message };
  }
  assert.fail('the call succeeded');
}

for (const dialect of DIALECTS) {
  describe(`S3 API with @aws-sdk/client-s3 on ${dialect}`, { skip: dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    let s3: S3Client;
    let s3b: S3Client;
    // Registered before the Tandem's own hook so the clients' sockets close before it stops.
    after(() => {
      s3?.destroy();
      s3b?.destroy();
    });
    useTestTandem(
      dialect,
      async (started) => {
        tandem = started;
        s3 = tandemS3Client(tandem);
        s3b = tandemS3Client(tandem, await tandem.createAccount(ACCOUNT_B));
      },
      { s3MaxObjectBytes: MAX_OBJECT_BYTES },
    );

    test("get_object on a completed loop's OutputS3Uri returns its output.json", async () => {
      const { loopName, outputS3Uri } = await completeOneLoop(tandem, 'jsout', 'js-results', { text: 'a cat?' });
      const { bucket, key } = splitS3Uri(outputS3Uri)!;
      assert.equal(bucket, 'js-results');
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      assert.equal(got.ContentType, 'application/json');
      const output = JSON.parse(await got.Body!.transformToString()) as Record<string, unknown> & { humanAnswers: Array<{ answerContent: unknown }> };
      assert.equal(output.humanLoopName, loopName);
      assert.deepEqual(output.inputContent, { text: 'a cat?' });
      assert.deepEqual(output.humanAnswers[0]!.answerContent, { category: { label: 'Cat' }, note: 'looks like a cat' });
      // The bucket output was written to is the account's; it lists it, the other account does not.
      const listed = await s3.send(new ListBucketsCommand({}));
      assert.ok(listed.Buckets!.some((b) => b.Name === 'js-results'));
      const listedB = await s3b.send(new ListBucketsCommand({}));
      assert.ok(!listedB.Buckets!.some((b) => b.Name === 'js-results'));
      // Another account cannot read it, by SDK or by a URL it presigns itself.
      assert.deepEqual(await s3Error(s3b.send(new GetObjectCommand({ Bucket: bucket, Key: key }))), { name: 'AccessDenied', status: 403, message: 'Access Denied' });
      const stolen = await fetch(await getSignedUrl(s3b, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 60 }));
      assert.equal(stolen.status, 403);
      assert.match(await stolen.text(), /<Code>AccessDenied<\/Code>/);
    });

    test('put, head, get (range, If-None-Match), list, copy and delete', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'js-inputs' }));
      await s3.send(new HeadBucketCommand({ Bucket: 'js-inputs' }));
      const put = await s3.send(new PutObjectCommand({ Bucket: 'js-inputs', Key: 'images/cat 1.png', Body: Buffer.from('not really a png'), ContentType: 'image/png' }));
      assert.match(put.ETag!, /^"[0-9a-f]{32}"$/);
      // A streamed body of unknown length: the SDK sends aws-chunked with a CRC32 trailer.
      await s3.send(new PutObjectCommand({ Bucket: 'js-inputs', Key: 'docs/a.txt', Body: Readable.from([Buffer.from('hello '), Buffer.from('world')]), ContentLength: 11 }));
      await s3.send(new PutObjectCommand({ Bucket: 'js-inputs', Key: 'docs/b.txt', Body: 'b' }));
      await s3.send(new PutObjectCommand({ Bucket: 'js-inputs', Key: 'root.txt', Body: 'r' }));

      const head = await s3.send(new HeadObjectCommand({ Bucket: 'js-inputs', Key: 'images/cat 1.png' }));
      assert.equal(head.ContentType, 'image/png');
      assert.equal(head.ContentLength, 16);
      assert.equal(head.ETag, put.ETag);
      const whole = await s3.send(new GetObjectCommand({ Bucket: 'js-inputs', Key: 'docs/a.txt' }));
      assert.equal(await whole.Body!.transformToString(), 'hello world');
      const part = await s3.send(new GetObjectCommand({ Bucket: 'js-inputs', Key: 'docs/a.txt', Range: 'bytes=6-' }));
      assert.equal(part.ContentRange, 'bytes 6-10/11');
      assert.equal(await part.Body!.transformToString(), 'world');
      const suffix = await s3.send(new GetObjectCommand({ Bucket: 'js-inputs', Key: 'docs/a.txt', Range: 'bytes=-3' }));
      assert.equal(await suffix.Body!.transformToString(), 'rld');
      assert.equal((await s3Error(s3.send(new GetObjectCommand({ Bucket: 'js-inputs', Key: 'docs/a.txt', Range: 'bytes=50-60' })))).status, 416);
      const unchanged = await s3Error(s3.send(new GetObjectCommand({ Bucket: 'js-inputs', Key: 'images/cat 1.png', IfNoneMatch: put.ETag })));
      assert.equal(unchanged.status, 304);

      const top = await s3.send(new ListObjectsV2Command({ Bucket: 'js-inputs', Delimiter: '/' }));
      assert.deepEqual(top.Contents?.map((o) => o.Key), ['root.txt']);
      assert.deepEqual(top.CommonPrefixes?.map((p) => p.Prefix), ['docs/', 'images/']);
      const keys: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: 'js-inputs', MaxKeys: 2, ContinuationToken: token }));
        keys.push(...(page.Contents ?? []).map((o) => o.Key!));
        token = page.NextContinuationToken;
        pages += 1;
      } while (token);
      assert.deepEqual(keys, ['docs/a.txt', 'docs/b.txt', 'images/cat 1.png', 'root.txt']);
      assert.equal(pages, 2);
      const docs = await s3.send(new ListObjectsV2Command({ Bucket: 'js-inputs', Prefix: 'docs/' }));
      assert.deepEqual(docs.Contents?.map((o) => [o.Key, o.Size]), [['docs/a.txt', 11], ['docs/b.txt', 1]]);

      const copied = await s3.send(new CopyObjectCommand({ Bucket: 'js-inputs', Key: 'copies/a.txt', CopySource: 'js-inputs/docs/a.txt' }));
      assert.match(copied.CopyObjectResult!.ETag!, /^"[0-9a-f]{32}"$/);
      await s3.send(new DeleteObjectCommand({ Bucket: 'js-inputs', Key: 'docs/a.txt' }));
      await s3.send(new DeleteObjectCommand({ Bucket: 'js-inputs', Key: 'docs/a.txt' }));
      assert.equal((await s3Error(s3.send(new GetObjectCommand({ Bucket: 'js-inputs', Key: 'docs/a.txt' })))).name, 'NoSuchKey');
      const copy = await s3.send(new GetObjectCommand({ Bucket: 'js-inputs', Key: 'copies/a.txt' }));
      assert.equal(await copy.Body!.transformToString(), 'hello world');
    });

    test('a presigned GET works without credentials until it expires or is altered', async () => {
      await s3.send(new PutObjectCommand({ Bucket: 'js-presign', Key: 'x/y.json', Body: '{"ok":true}', ContentType: 'application/json' }));
      const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'js-presign', Key: 'x/y.json' }), { expiresIn: 60 });
      const ok = await fetch(url);
      assert.equal(ok.status, 200);
      assert.equal(await ok.text(), '{"ok":true}');
      assert.equal(ok.headers.get('x-content-type-options'), 'nosniff');
      const altered = await fetch(url.replace('x/y.json', 'x/z.json'));
      assert.equal(altered.status, 403);
      assert.match(await altered.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
      const expired = await fetch(await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'js-presign', Key: 'x/y.json' }), { expiresIn: 1, signingDate: new Date(Date.now() - 120_000) }));
      assert.equal(expired.status, 403);
      assert.match(await expired.text(), /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
    });

    test("another account's bucket is refused for every operation; its name is taken", async () => {
      await s3.send(new PutObjectCommand({ Bucket: 'js-private', Key: 'secret.json', Body: '{}' }));
      const calls = [
        () => s3b.send(new GetObjectCommand({ Bucket: 'js-private', Key: 'secret.json' })),
        () => s3b.send(new HeadObjectCommand({ Bucket: 'js-private', Key: 'secret.json' })),
        () => s3b.send(new PutObjectCommand({ Bucket: 'js-private', Key: 'planted.json', Body: '{}' })),
        () => s3b.send(new DeleteObjectCommand({ Bucket: 'js-private', Key: 'secret.json' })),
        () => s3b.send(new ListObjectsV2Command({ Bucket: 'js-private' })),
        () => s3b.send(new HeadBucketCommand({ Bucket: 'js-private' })),
        () => s3b.send(new CopyObjectCommand({ Bucket: 'js-b-own', Key: 'stolen.json', CopySource: 'js-private/secret.json' })),
      ];
      for (const call of calls) {
        const error = await s3Error(call());
        assert.equal(error.status, 403, error.name);
        // HEAD responses carry no body, so the SDK names those errors after the status.
        assert.ok(['AccessDenied', 'Forbidden', 'Unknown'].includes(error.name), error.name);
      }
      assert.deepEqual(await s3Error(s3b.send(new CreateBucketCommand({ Bucket: 'js-private' }))), {
        name: 'BucketAlreadyExists',
        status: 409,
        message: 'The requested bucket name is not available. The bucket namespace is shared by all accounts of this Tandem.',
      });
      // Nothing was planted or deleted.
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'js-private' }));
      assert.deepEqual(listed.Contents?.map((o) => o.Key), ['secret.json']);
    });

    test('absurd keys, bodies and signatures get S3 XML errors, never a 5xx', async () => {
      await s3.send(new CreateBucketCommand({ Bucket: 'js-absurd' }));
      const cases: Array<[string, () => Promise<unknown>, string, number]> = [
        ['1100-byte key', () => s3.send(new PutObjectCommand({ Bucket: 'js-absurd', Key: 'k'.repeat(1100), Body: 'x' })), 'KeyTooLongError', 400],
        ['.. segment', () => s3.send(new PutObjectCommand({ Bucket: 'js-absurd', Key: 'a/../../escape', Body: 'x' })), 'InvalidArgument', 400],
        ['empty segment', () => s3.send(new PutObjectCommand({ Bucket: 'js-absurd', Key: 'a//b', Body: 'x' })), 'InvalidArgument', 400],
        ['control character', () => s3.send(new PutObjectCommand({ Bucket: 'js-absurd', Key: 'a\u0001b', Body: 'x' })), 'InvalidArgument', 400],
        ['too large', () => s3.send(new PutObjectCommand({ Bucket: 'js-absurd', Key: 'big.bin', Body: Buffer.alloc(MAX_OBJECT_BYTES + 1) })), 'EntityTooLarge', 400],
        ['bad bucket name', () => s3.send(new CreateBucketCommand({ Bucket: 'Bad_Bucket' })), 'InvalidBucketName', 400],
        ['no such bucket', () => s3.send(new ListObjectsV2Command({ Bucket: 'js-nobody-has-this' })), 'NoSuchBucket', 404],
      ];
      for (const [label, call, code, status] of cases) {
        const error = await s3Error(call());
        assert.deepEqual([error.name, error.status], [code, status], label);
      }
      const streamedTooLarge = await s3Error(
        s3.send(new PutObjectCommand({ Bucket: 'js-absurd', Key: 'big2.bin', Body: Readable.from([Buffer.alloc(MAX_OBJECT_BYTES), Buffer.alloc(10)]), ContentLength: MAX_OBJECT_BYTES + 10 })),
      );
      assert.equal(streamedTooLarge.status, 400, streamedTooLarge.name);
      const wrongSecret = new S3Client({ endpoint: tandem.url, region: TEST_REGION, forcePathStyle: true, maxAttempts: 1, credentials: { ...tandem.credentials, secretAccessKey: 'wrong' } });
      assert.deepEqual((await s3Error(wrongSecret.send(new ListBucketsCommand({})))).name, 'SignatureDoesNotMatch');
      const unknownKey = new S3Client({ endpoint: tandem.url, region: TEST_REGION, forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x' } });
      assert.deepEqual((await s3Error(unknownKey.send(new ListBucketsCommand({})))).name, 'InvalidAccessKeyId');
      wrongSecret.destroy();
      unknownKey.destroy();
      const raw = await fetch(`${tandem.url}/js-absurd/x`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' } });
      assert.equal(raw.status, 400);
      assert.match(await raw.text(), /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>InvalidRequest<\/Code><Message>[^<]+<\/Message><RequestId>[^<]+<\/RequestId><\/Error>$/);
      assert.deepEqual((await s3.send(new ListObjectsV2Command({ Bucket: 'js-absurd' }))).Contents, undefined, 'nothing was stored');
    });

    test('virtual-host style (bucket.localhost) reaches the same objects', async () => {
      await s3.send(new PutObjectCommand({ Bucket: 'js-vhost', Key: 'v.txt', Body: 'virtual' }));
      const port = new URL(tandem.url).port;
      const vhost = new S3Client({ endpoint: `http://localhost:${port}`, region: TEST_REGION, credentials: tandem.credentials, maxAttempts: 1 });
      // `js-vhost.localhost` need not resolve on this machine: connect to loopback, keep the signed Host.
      vhost.middlewareStack.add(
        (next) => async (args) => {
          const request = args.request as { hostname?: string };
          request.hostname = '127.0.0.1';
          return next(args);
        },
        { step: 'finalizeRequest', name: 'connectToLoopback', priority: 'low' },
      );
      try {
        const got = await vhost.send(new GetObjectCommand({ Bucket: 'js-vhost', Key: 'v.txt' }));
        assert.equal(await got.Body!.transformToString(), 'virtual');
      } finally {
        vhost.destroy();
      }
    });
  });
}
