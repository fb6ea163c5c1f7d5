/**
 * `tandem webhooks add|list|dead-letters|replay|remove`, run as a user runs them (a child process
 * per command) on a store of each dialect: the secret is printed once and never listed, private
 * targets are refused unless allowed, and removal takes effect.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { cliArgs } from '../support/cli.js';
import { createTestDatabase, DIALECTS, dialectSkip, type TestDatabase } from '../support/databases.js';

const run = promisify(execFile);

async function tandemCli(database: TestDatabase, env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const base: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TANDEM_')) base[name] = value;
  Object.assign(base, { TANDEM_DATA_DIR: database.dataDir, TANDEM_SEED_DEMO: 'false', ...env });
  if (database.databaseUrl) base.TANDEM_DATABASE_URL = database.databaseUrl;
  try {
    const { stdout, stderr } = await run(process.execPath, await cliArgs(...args), { cwd: database.dataDir, env: base, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

for (const dialect of DIALECTS) {
  describe(`tandem webhooks (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(dialect);
    });
    after(() => database?.drop());

    test('add, list, dead-letters, replay, remove', async () => {
      const refused = await tandemCli(database, {}, 'webhooks', 'add', '--url', 'http://localhost:9/hook');
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /resolves to .*loopback, private or reserved address/);

      const allow = { TANDEM_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' };
      const added = await tandemCli(database, allow, 'webhooks', 'add', '--url', 'http://127.0.0.1:9/hook', '--account', '111122223333', '--detail-type', 'SageMaker A2I HumanLoop Status Change', '--json');
      assert.equal(added.code, 0, added.stderr);
      const webhook = JSON.parse(added.stdout) as { webhookId: string; secret: string; accountId: string; detailType: string };
      assert.match(webhook.secret, /^whsec_[A-Za-z0-9_-]{32}$/);
      assert.equal(webhook.accountId, '111122223333');

      const listed = await tandemCli(database, {}, 'webhooks', 'list', '--json');
      const rows = JSON.parse(listed.stdout) as { webhookId: string; url: string; detailType: string }[];
      assert.deepEqual(rows.map((r) => [r.webhookId, r.url, r.detailType]), [[webhook.webhookId, 'http://127.0.0.1:9/hook', 'SageMaker A2I HumanLoop Status Change']]);
      assert.ok(!listed.stdout.includes(webhook.secret), 'the secret is never listed');

      const letters = await tandemCli(database, {}, 'webhooks', 'dead-letters', webhook.webhookId, '--json');
      assert.deepEqual(JSON.parse(letters.stdout), []);
      const replayed = await tandemCli(database, {}, 'webhooks', 'replay', webhook.webhookId);
      assert.match(replayed.stdout, /Queued 0 events for delivery again/);

      const removed = await tandemCli(database, {}, 'webhooks', 'remove', webhook.webhookId);
      assert.equal(removed.code, 0);
      const again = await tandemCli(database, {}, 'webhooks', 'remove', webhook.webhookId);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /does not exist/);
    });
  });
}
