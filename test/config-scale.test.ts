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

  test('TANDEM_SQLITE_SYNCHRONOUS: normal by default, or full', () => {
    assert.equal(loadConfig({}, {}, empty).sqliteSynchronous, 'normal');
    assert.equal(loadConfig({}, { TANDEM_SQLITE_SYNCHRONOUS: 'normal' }, empty).sqliteSynchronous, 'normal');
    assert.equal(loadConfig({}, { TANDEM_SQLITE_SYNCHRONOUS: 'FULL' }, empty).sqliteSynchronous, 'full');
    assert.throws(
      () => loadConfig({}, { TANDEM_SQLITE_SYNCHRONOUS: 'off' }, empty),
      (error: unknown) => error instanceof ConfigError && error.message === 'Invalid configuration: TANDEM_SQLITE_SYNCHRONOUS must be full or normal',
    );
  });
});

describe('the SQLite store applies TANDEM_SQLITE_SYNCHRONOUS', () => {
  test('normal by default, full when asked', async () => {
    const { openStore } = await import('../src/store/database.js');
    const { sql } = await import('kysely');
    for (const [setting, expected] of [[undefined, 1], ['normal', 1], ['full', 2]] as const) {
      const store = await openStore({ sqliteFile: join(mkdtempSync(join(tmpdir(), 'tandem-sync-')), 'tandem.db'), sqliteSynchronous: setting });
      try {
        const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
        assert.equal(rows[0]?.synchronous, expected, String(setting));
      } finally {
        await store.close();
      }
    }
  });
});
