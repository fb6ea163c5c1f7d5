import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { skipReason, SYSTEM_PYTHON } from '../support/environment.js';
import { startTestTandem, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type TestTandem } from '../support/tandem.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;

/** The README's fenced code blocks of one language, in order. */
async function readmeBlocks(language: string): Promise<string[]> {
  const text = await readFile(join(ROOT, 'README.md'), 'utf8');
  return [...text.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

/** The snippets as a reader pastes them, with the placeholders a reader fills in filled in. */
function fillIn(snippet: string, endpoint: string): string {
  return snippet
    .replaceAll('http://127.0.0.1:8080', endpoint)
    .replaceAll("'TNDM…'", `'${TEST_ACCESS_KEY_ID}'`)
    .replaceAll('"TNDM…"', `"${TEST_ACCESS_KEY_ID}"`)
    .replaceAll("'…'", `'${TEST_SECRET_ACCESS_KEY}'`)
    .replaceAll('"…"', `"${TEST_SECRET_ACCESS_KEY}"`);
}

describe('README quick starts run against a seeded Tandem', () => {
  let tandem: TestTandem;
  before(async () => {
    tandem = await startTestTandem('sqlite', { seedDemo: true });
  });
  after(async () => tandem?.stop());

  test('the AWS SDK for JavaScript v3 snippet starts and describes a loop', async () => {
    const [snippet] = await readmeBlocks('ts');
    assert.ok(snippet, 'README has a ts block');
    // Inside the checkout, so the snippet's imports resolve as they do for a reader.
    const dir = join(ROOT, '.tmp');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `readme-snippet-${process.pid}.mts`);
    await writeFile(file, fillIn(snippet, tandem.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { cwd: ROOT }).finally(() => rm(file, { force: true }));
    assert.match(stdout, /HumanLoopStatus: 'InProgress'/);
    assert.match(stdout, /human-loop\/review-1/);
  });

  test('the boto3 snippet starts a loop', { skip: skipReason('boto3') }, async () => {
    const [snippet] = await readmeBlocks('python');
    assert.ok(snippet, 'README has a python block');
    const { stdout } = await run(SYSTEM_PYTHON, ['-c', fillIn(snippet, tandem.url)]);
    assert.equal(stdout.trim(), 'InProgress');
  });
});
