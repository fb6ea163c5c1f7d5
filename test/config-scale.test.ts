import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';

const empty = mkdtempSync(join(tmpdir(), 'tandem-config-scale-'));

describe('retention and durability settings', () => {
  test('TANDEM_RETENTION_DAYS: unset keeps every loop; a whole number of days from 1 to 36500', () => {
    assert.equal(loadConfig({}, {}, empty).retentionDays, undefined);
    assert.equal(loadConfig({}, { TANDEM_RETENTION_DAYS: '90' }, empty).retentionDays, 90);
    assert.equal(loadConfig({ retentionDays: 7 }, {}, empty).retentionDays, 7);
    for (const bad of ['0', '1.5', '-3', 'ninety', '36501', '1e3']) {
      assert.throws(
        () => loadConfig({}, { TANDEM_RETENTION_DAYS: bad }, empty),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.message === 'Invalid configuration: TANDEM_RETENTION_DAYS must be a whole number of days from 1 to 36500',
        bad,
      );
    }
  });

  test('TANDEM_SQLITE_SYNCHRONOUS: full by default, or normal', () => {
    assert.equal(loadConfig({}, {}, empty).sqliteSynchronous, 'full');
    assert.equal(loadConfig({}, { TANDEM_SQLITE_SYNCHRONOUS: 'normal' }, empty).sqliteSynchronous, 'normal');
    assert.equal(loadConfig({}, { TANDEM_SQLITE_SYNCHRONOUS: 'FULL' }, empty).sqliteSynchronous, 'full');
    assert.throws(
      () => loadConfig({}, { TANDEM_SQLITE_SYNCHRONOUS: 'off' }, empty),
      (error: unknown) => error instanceof ConfigError && error.message === 'Invalid configuration: TANDEM_SQLITE_SYNCHRONOUS must be full or normal',
    );
  });
});
