/**
 * boto3's S3 client against Tandem's own S3 API, on both dialects: test/s3/boto3_s3_client.py
 * reads a completed loop's output.json by its OutputS3Uri, uploads, lists, presigns and deletes,
 * and provokes the other account's refusals; this file asserts on what it printed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { SYSTEM_PYTHON, skipReason } from '../support/environment.js';
import { completeOneLoop } from '../support/s3-loops.js';
import { useTestTandem, type TestTandem } from '../support/tandem.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'boto3_s3_client.py');

function runScript(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(SYSTEM_PYTHON, [SCRIPT], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('S3 API with boto3', { skip: skipReason('boto3') }, () => {
  for (const dialect of DIALECTS) {
    describe(dialect, { skip: dialectSkip(dialect) }, () => {
      let tandem: TestTandem;
      useTestTandem(dialect, (started) => (tandem = started));

      test('get_object on OutputS3Uri, put/list/presign/delete, another account refused, absurd keys refused', async () => {
        const { loopName, outputS3Uri } = await completeOneLoop(tandem, 'pyout', 'py-results', { text: 'from boto3' });
        const other = await tandem.createAccount('444455556666');
        const run = await runScript({
          TANDEM_ENDPOINT: tandem.url,
          AWS_ACCESS_KEY_ID: tandem.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: tandem.credentials.secretAccessKey,
          OTHER_KEY_ID: other.accessKeyId,
          OTHER_SECRET: other.secretAccessKey,
          OUTPUT_S3_URI: outputS3Uri,
        });
        assert.equal(run.code, 0, run.stderr);
        const summary = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, unknown> & { output: { humanLoopName: string; inputContent: unknown } };
        assert.equal(summary.output.humanLoopName, loopName);
        assert.deepEqual(summary.output.inputContent, { text: 'from boto3' });
        assert.equal(summary.range, 'PNG');
        assert.equal(summary.contentType, 'image/png');
        assert.deepEqual(summary.commonPrefixes, ['docs/', 'images/']);
        assert.deepEqual(summary.allKeys, ['docs/upload.bin', 'images/dog.png']);
        assert.deepEqual(summary.buckets, ['py-inputs', 'py-results']);
        assert.equal(summary.presigned, '\x89PNG fake');
        assert.deepEqual(summary.afterDelete, ['images/dog.png']);
        assert.deepEqual(summary.missing, { code: 'NoSuchKey', status: 404 });
        assert.deepEqual(summary.otherGet, { code: 'AccessDenied', status: 403 });
        assert.deepEqual(summary.otherPut, { code: 'AccessDenied', status: 403 });
        assert.deepEqual(summary.otherList, { code: 'AccessDenied', status: 403 });
        assert.deepEqual(summary.otherCreate, { code: 'BucketAlreadyExists', status: 409 });
        assert.deepEqual(summary.longKey, { code: 'KeyTooLongError', status: 400 });
        assert.deepEqual(summary.dotKey, { code: 'InvalidArgument', status: 400 });
      });
    });
  }
});
