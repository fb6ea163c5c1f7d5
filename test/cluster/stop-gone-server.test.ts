/**
 * Stopping a server process that has already exited (seen as a flaky `Error: write EPIPE` from
 * Worker.send when `TANDEM_PROCESSES=2` met a port in use): the primary must not crash.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

test('askToStop on a server process that is gone but still looks connected: no unhandled EPIPE, exit 0', () => {
  const fixture = new URL('./stop-gone-server.fixture.mjs', import.meta.url).pathname;
  const result = spawnSync(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, CLUSTER_MODULE: new URL('../../src/cluster.ts', import.meta.url).href },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.match(result.stdout, /connected before stop: true/, 'the race was reproduced');
  assert.doesNotMatch(result.stderr, /EPIPE|Unhandled/, result.stderr);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /server exited/);
});
