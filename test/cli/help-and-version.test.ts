/**
 * `tandem` with no command prints help and exits (it used to start a server on the same data);
 * `tandem --version` prints package.json's version.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { cliArgs } from '../support/cli.js';

const run = promisify(execFile);

test('no arguments: usage with the commands, exit 0, no server and no data directory', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tandem-help-'));
  try {
    const { stdout } = await run(process.execPath, await cliArgs(), {
      cwd: dir,
      env: { ...process.env, TANDEM_DATA_DIR: join(dir, 'data'), TANDEM_PORT: '0' },
      timeout: 30_000,
    });
    assert.match(stdout, /^Usage: tandem /);
    for (const command of ['serve', 'migrate', 'keys', 'workers']) assert.match(stdout, new RegExp(`\\n  ${command}\\b`));
    assert.deepEqual(await readdir(dir), [], 'nothing was created');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('--version prints the version in package.json', async () => {
  const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const { stdout } = await run(process.execPath, await cliArgs(flag), { timeout: 30_000 });
    assert.equal(stdout.trim(), version);
  }
});
