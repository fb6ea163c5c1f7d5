/**
 * TANDEM_OBJECT_STORE=s3 against a real S3-compatible server started here (s3rver on loopback),
 * on both dialects, through the real A2I runtime, SageMaker and S3 clients: output.json lands in
 * the external store in A2I's key layout, inputs reach workers as presigned URLs of that store,
 * a store that goes away loses no answers, and a store that refuses ends the loop Failed with the
 * refusal named.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AbortMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, UploadPartCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { DescribeHumanLoopCommand, StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { RenderUiTemplateCommand } from '@aws-sdk/client-sagemaker';
import { splitS3Uri } from '../../src/domain/s3-locations.js';
import { completeAnsweredLoops } from '../../src/operations/completion.js';
import { claimNextTask, submitAnswer } from '../../src/operations/reviews.js';
import { addReviewer } from '../support/built-in-flows.js';
import { cliArgs } from '../support/cli.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { createReviewSetup } from '../support/fixtures.js';
import { completeOneLoop, tandemS3Client } from '../support/s3-loops.js';
import { startS3rver, S3RVER_CREDENTIALS, type RunningS3rver } from '../support/s3rver.js';
import { startTestTandem, type TestTandem } from '../support/tandem.js';

const ACCOUNT_B = '444455556666';
const run = promisify(execFile);
const ANSWER = { category: { label: 'Cat' }, note: 'looks like a cat' };

/** A loop started through the A2I runtime and claimed by a reviewer, not yet answered. */
async function claimedLoop(tandem: TestTandem, prefix: string, bucket: string) {
  const { FlowDefinitionArn } = await createReviewSetup(tandem, prefix, { bucket });
  const loopName = `${prefix}-loop`;
  await tandem.a2i.send(new StartHumanLoopCommand({ HumanLoopName: loopName, FlowDefinitionArn, HumanLoopInput: { InputContent: '{"text":"a cat?"}' } }));
  const reviewer = await addReviewer(tandem, `${prefix}-reviewer@example.com`, `${prefix}-team`);
  const task = await claimNextTask(tandem.resources, reviewer);
  assert.equal(task?.humanLoopName, loopName);
  return { loopName, reviewer, taskId: task.taskId };
}

for (const dialect of DIALECTS) {
  describe(`external S3 store (s3rver) on ${dialect}`, { skip: dialectSkip(dialect) }, () => {
    let s3rver: RunningS3rver;
    let tandem: TestTandem;
    let direct: S3Client;
    let viaTandem: S3Client;
    before(async () => {
      s3rver = await startS3rver(['ext-results']);
      direct = s3rver.client();
      tandem = await startTestTandem(dialect, {
        objectStore: 's3',
        s3Endpoint: s3rver.endpoint,
        s3Region: 'us-east-1',
        s3ForcePathStyle: true,
        s3AccessKeyId: S3RVER_CREDENTIALS.accessKeyId,
        s3SecretAccessKey: S3RVER_CREDENTIALS.secretAccessKey,
      });
      viaTandem = tandemS3Client(tandem);
    });
    after(async () => {
      viaTandem?.destroy();
      await tandem?.stop();
      await s3rver?.dispose();
    });

    test("output.json lands in the external store at A2I's key, and reads back through Tandem's S3 API", async () => {
      const { loopName, outputS3Uri } = await completeOneLoop(tandem, 'extout', 'ext-results', { text: 'a cat?' });
      const { bucket, key } = splitS3Uri(outputS3Uri)!;
      assert.equal(bucket, 'ext-results');
      assert.match(key, new RegExp(`^output/extout-flow/\\d{4}/\\d{2}/\\d{2}/\\d{2}/\\d{2}/\\d{2}/${loopName}/output\\.json$`));
      const stored = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const text = await stored.Body!.transformToString();
      const output = JSON.parse(text) as { humanLoopName: string; inputContent: unknown; humanAnswers: Array<{ answerContent: unknown }> };
      assert.equal(output.humanLoopName, loopName);
      assert.deepEqual(output.inputContent, { text: 'a cat?' });
      assert.deepEqual(output.humanAnswers[0]!.answerContent, ANSWER);
      // Nothing went to the local output directory.
      assert.equal(existsSync(join(tandem.resources.config.outputDir, 'ext-results')), false);
      // Tandem's S3 API serves the external store's object (same bytes), still scoped to the account.
      const proxied = await viaTandem.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      assert.equal(await proxied.Body!.transformToString(), text);
      const other = tandemS3Client(tandem, await tandem.createAccount(ACCOUNT_B));
      await assert.rejects(other.send(new GetObjectCommand({ Bucket: bucket, Key: key })), { name: 'AccessDenied' });
      other.destroy();
    });

    test('grant_read_access: the worker is sent to a presigned GET URL of the external store, for its own account only', async () => {
      const image = Buffer.from('\x89PNG\r\n\x1a\n-external-cat');
      // Uploaded through Tandem's S3 API, which claims the bucket for the account and writes to s3rver.
      await viaTandem.send(new PutObjectCommand({ Bucket: 'ext-results', Key: 'inputs/cat 1.png', Body: image, ContentType: 'image/png' }));
      const inStore = await direct.send(new GetObjectCommand({ Bucket: 'ext-results', Key: 'inputs/cat 1.png' }));
      assert.deepEqual(Buffer.from(await inStore.Body!.transformToByteArray()), image);
      const template = '<img src="{{ task.input.taskObject | grant_read_access }}"><crowd-form></crowd-form>';
      const input = JSON.stringify({ taskObject: 's3://ext-results/inputs/cat 1.png' });
      const rendered = await tandem.sagemaker.send(new RenderUiTemplateCommand({ UiTemplate: { Content: template }, Task: { Input: input }, RoleArn: 'arn:aws:iam::111122223333:role/r' }));
      assert.deepEqual(rendered.Errors, []);
      const link = /<img src="([^"]+)"/.exec(rendered.RenderedContent!)![1]!.replaceAll('&amp;', '&');
      const first = await fetch(link, { redirect: 'manual' });
      assert.equal(first.status, 302);
      const presigned = new URL(first.headers.get('location')!);
      assert.equal(presigned.origin, s3rver.endpoint);
      assert.equal(presigned.pathname, '/ext-results/inputs/cat%201.png');
      assert.ok(presigned.searchParams.get('X-Amz-Signature'));
      assert.ok(Number(presigned.searchParams.get('X-Amz-Expires')) <= 300);
      const fetched = await fetch(presigned);
      assert.equal(fetched.status, 200);
      assert.deepEqual(Buffer.from(await fetched.arrayBuffer()), image);
      // Another account's render is refused before anything is presigned.
      const b = tandem.clientsFor(await tandem.createAccount('777788889999'));
      const refused = await b.sagemaker.send(new RenderUiTemplateCommand({ UiTemplate: { Content: template }, Task: { Input: input }, RoleArn: 'arn:aws:iam::777788889999:role/r' }));
      assert.equal(refused.Errors?.[0]?.Code, 'TemplateReadAccessDenied');
      b.sagemaker.destroy();
      b.a2i.destroy();
    });

    test("multipart through Tandem's S3 API streams into the external store's own multipart upload", async () => {
      const big = randomBytes(11 * 1024 * 1024);
      const done = await new Upload({ client: viaTandem, params: { Bucket: 'ext-results', Key: 'inputs/big.bin', Body: Readable.from([big]) }, partSize: 5 * 1024 * 1024, queueSize: 1 }).done();
      assert.ok(done.ETag);
      const stored = await direct.send(new GetObjectCommand({ Bucket: 'ext-results', Key: 'inputs/big.bin' }));
      const bytes = Buffer.from(await stored.Body!.transformToByteArray());
      assert.equal(createHash('sha256').update(bytes).digest('hex'), createHash('sha256').update(big).digest('hex'));
      // Aborted: the object never appears in the external store and the id is spent (s3rver has no
      // AbortMultipartUpload; a store that has it frees the parts at once).
      const { UploadId } = await viaTandem.send(new CreateMultipartUploadCommand({ Bucket: 'ext-results', Key: 'inputs/dropped.bin' }));
      await viaTandem.send(new UploadPartCommand({ Bucket: 'ext-results', Key: 'inputs/dropped.bin', UploadId, PartNumber: 1, Body: 'dropped' }));
      await viaTandem.send(new AbortMultipartUploadCommand({ Bucket: 'ext-results', Key: 'inputs/dropped.bin', UploadId }));
      await assert.rejects(viaTandem.send(new UploadPartCommand({ Bucket: 'ext-results', Key: 'inputs/dropped.bin', UploadId, PartNumber: 2, Body: 'x' })), { name: 'NoSuchUpload' });
      await assert.rejects(direct.send(new HeadObjectCommand({ Bucket: 'ext-results', Key: 'inputs/dropped.bin' })), { name: 'NotFound' });
    });

    test('the store stops mid-loop: the answer is kept, the loop waits InProgress, and completes once the store is back', async () => {
      const { loopName, reviewer, taskId } = await claimedLoop(tandem, 'extdown', 'ext-results');
      await s3rver.stop();
      try {
        await submitAnswer(tandem.resources, reviewer, taskId, ANSWER);
        const waiting = await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: loopName }));
        assert.equal(waiting.HumanLoopStatus, 'InProgress');
        assert.equal(waiting.FailureReason, undefined);
        const retry = await tandem.resources.store.db.selectFrom('output_retries').selectAll().executeTakeFirstOrThrow();
        assert.match(retry.error, /ECONNREFUSED/);
        const answers = await tandem.resources.store.db.selectFrom('answers').select('answer_content').where('human_loop_id', '=', retry.human_loop_id).execute();
        assert.deepEqual(answers.map((a) => JSON.parse(a.answer_content) as unknown), [ANSWER]);
      } finally {
        await s3rver.start();
      }
      // The next attempt is due now (instead of after the 5 s backoff), as the engine would find it.
      await tandem.resources.store.db.updateTable('output_retries').set({ retry_at: 0 }).execute();
      await completeAnsweredLoops(tandem.resources);
      const done = await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: loopName }));
      assert.equal(done.HumanLoopStatus, 'Completed', done.FailureReason);
      const { bucket, key } = splitS3Uri(done.HumanLoopOutput!.OutputS3Uri!)!;
      const stored = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const output = JSON.parse(await stored.Body!.transformToString()) as { humanAnswers: Array<{ answerContent: unknown }> };
      assert.deepEqual(output.humanAnswers[0]!.answerContent, ANSWER);
    });

    test('a store that refuses the write (bucket missing) ends the loop Failed with a reason naming the refusal; `tandem loops retry-output` completes it once fixed', async () => {
      const { loopName, reviewer, taskId } = await claimedLoop(tandem, 'extgone', 'ext-missing-bucket');
      await submitAnswer(tandem.resources, reviewer, taskId, ANSWER);
      const failed = await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: loopName }));
      assert.equal(failed.HumanLoopStatus, 'Failed');
      assert.match(failed.FailureReason!, /^All answers were received, but output\.json could not be written to s3:\/\/ext-missing-bucket\/output\/extgone-flow\/.+: the external object store refused the request: NoSuchBucket \(HTTP 404\)/);

      // The operator fixes the cause (creates the bucket) and retries from the CLI, with the server's settings.
      const env: NodeJS.ProcessEnv = {};
      for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TANDEM_')) env[name] = value;
      Object.assign(env, {
        TANDEM_DATA_DIR: tandem.database.dataDir,
        ...(tandem.database.databaseUrl ? { TANDEM_DATABASE_URL: tandem.database.databaseUrl } : {}),
        TANDEM_SEED_DEMO: 'false',
        TANDEM_OBJECT_STORE: 's3',
        TANDEM_S3_ENDPOINT: s3rver.endpoint,
        TANDEM_S3_REGION: 'us-east-1',
        TANDEM_S3_FORCE_PATH_STYLE: 'true',
        TANDEM_S3_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        TANDEM_S3_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      });
      const cliArgsFor = await cliArgs();
      const retry = (...names: string[]) =>
        run(process.execPath, [...cliArgsFor, 'loops', 'retry-output', ...names, '--account', tandem.accountId], { cwd: tandem.database.dataDir, env, timeout: 60_000 }).then(
          (done) => ({ code: 0, ...done }),
          (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
        );
      const stillMissing = await retry(loopName);
      assert.equal(stillMissing.code, 1);
      assert.match(stillMissing.stderr, new RegExp(`${loopName}: not retried: .*NoSuchBucket`));
      assert.equal((await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: loopName }))).HumanLoopStatus, 'Failed');

      await direct.send(new CreateBucketCommand({ Bucket: 'ext-missing-bucket' }));
      const fixed = await retry(loopName);
      assert.equal(fixed.code, 0, fixed.stderr);
      assert.match(fixed.stdout, new RegExp(`${loopName}: Completed, output at s3://ext-missing-bucket/output/extgone-flow/`));
      const done = await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: loopName }));
      assert.equal(done.HumanLoopStatus, 'Completed');
      assert.equal(done.FailureReason, undefined);
      const { bucket, key } = splitS3Uri(done.HumanLoopOutput!.OutputS3Uri!)!;
      const stored = JSON.parse(await (await direct.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString()) as { humanAnswers: Array<{ answerContent: unknown }> };
      assert.deepEqual(stored.humanAnswers[0]!.answerContent, ANSWER);

      const again = await retry(loopName, 'no-such-loop');
      assert.equal(again.code, 1);
      assert.match(again.stderr, new RegExp(`${loopName}: not retried: human loop '${loopName}' is Completed, not Failed for its output`));
    });
  });
}
