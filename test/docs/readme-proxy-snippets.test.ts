/**
 * The README's proxy-mode snippets (the TypeScript block using TextractClient and the Python block
 * using boto3's rekognition client) run as a reader pastes them, against a Tandem whose upstream
 * services are the local stand-in (test/support/ai-service-upstream.ts).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { startFakeAiServices, useUpstreamCredentialsFromEnvironment, type FakeAiServices } from '../support/ai-service-upstream.js';
import { TWO_PAGE_FORM } from '../support/ai-service-fixtures.js';
import { createBuiltInFlow, REKOGNITION_SOURCE, TEXTRACT_SOURCE } from '../support/built-in-flows.js';
import { skipReason, SYSTEM_PYTHON } from '../support/environment.js';
import { startTestTandem, TEST_ACCESS_KEY_ID, TEST_ACCOUNT_ID, TEST_SECRET_ACCESS_KEY, type TestTandem } from '../support/tandem.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

async function readmeBlock(language: string, containing: string): Promise<string> {
  const text = await readFile(join(ROOT, 'README.md'), 'utf8');
  const block = [...text.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!).find((b) => b.includes(containing));
  assert.ok(block, `README has a ${language} block with ${containing}`);
  return block;
}

function fillIn(snippet: string, endpoint: string): string {
  return snippet
    .replaceAll('http://127.0.0.1:8080', endpoint)
    .replaceAll("'TNDM…'", `'${TEST_ACCESS_KEY_ID}'`)
    .replaceAll('"TNDM…"', `"${TEST_ACCESS_KEY_ID}"`)
    .replaceAll("'…'", `'${TEST_SECRET_ACCESS_KEY}'`)
    .replaceAll('"…"', `"${TEST_SECRET_ACCESS_KEY}"`);
}

useUpstreamCredentialsFromEnvironment();

describe('README proxy-mode snippets', () => {
  let upstream: FakeAiServices;
  let tandem: TestTandem;
  before(async () => {
    upstream = await startFakeAiServices();
    tandem = await startTestTandem('sqlite', { textractEndpoint: upstream.url, rekognitionEndpoint: upstream.url });
    // The snippets name the README's account, which is the test account.
    assert.equal(TEST_ACCOUNT_ID, '111122223333');
    await createBuiltInFlow(tandem, 'forms', TEXTRACT_SOURCE, undefined);
    await createBuiltInFlow(tandem, 'moderation', REKOGNITION_SOURCE, undefined);
  });
  after(async () => {
    await tandem?.stop();
    await upstream?.close();
  });

  test('the TextractClient snippet gets the blocks and a human loop', async () => {
    const snippet = await readmeBlock('ts', 'TextractClient');
    const dir = join(ROOT, '.tmp');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `readme-proxy-snippet-${process.pid}.mts`);
    await writeFile(file, fillIn(snippet, tandem.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { cwd: ROOT }).finally(() => rm(file, { force: true }));
    assert.equal(stdout.trim(), `${TWO_PAGE_FORM.Blocks.length} arn:aws:sagemaker:us-east-1:111122223333:human-loop/w2-jane-doe`);
  });

  test('the boto3 rekognition snippet gets a human loop', { skip: skipReason('boto3') }, async () => {
    const snippet = await readmeBlock('python', 'rekognition');
    const { stdout } = await run(SYSTEM_PYTHON, ['-c', fillIn(snippet, tandem.url)], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    assert.equal(stdout.trim(), 'arn:aws:sagemaker:us-east-1:111122223333:human-loop/beach-1');
  });
});
