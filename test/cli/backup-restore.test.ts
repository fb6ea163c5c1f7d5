/**
 * `tandem backup` while loops are being started through the API, then `tandem restore` into a
 * fresh data directory and a server on it: every loop acknowledged before the backup started is
 * served (issue 13, item 11). PostgreSQL is pointed at pg_dump.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DescribeHumanLoopCommand, SageMakerA2IRuntimeClient, StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { loadConfig, type TandemConfig } from '../../src/config.js';
import { startTandem, type RunningTandem } from '../../src/main.js';
import { runTandem } from '../support/cli.js';

const ACCOUNT_ID = '333344445555';
const CREDENTIALS = { accessKeyId: 'TNDMBACKUPTESTKEY001', secretAccessKey: 'backup-test-secret-0123456789abcdef' };
const FLOW_ARN = `arn:aws:sagemaker:us-east-1:${ACCOUNT_ID}:flow-definition/demo-flow`;

function serverConfig(dataDir: string): TandemConfig {
  return { ...loadConfig({}, {}, dataDir), dataDir, outputDir: join(dataDir, 'output'), port: 0, accountId: ACCOUNT_ID, ...CREDENTIALS, logLevel: 'silent' };
}

describe('tandem backup and restore (SQLite)', () => {
  const root = mkdtempSync(join(tmpdir(), 'tandem-backup-'));
  const live = join(root, 'live');
  const fresh = join(root, 'fresh');
  const backupFile = join(root, 'tandem-backup.db');
  let server: RunningTandem;
  before(async () => {
    server = await startTandem(serverConfig(live));
  });
  after(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('a backup under write load restores every acknowledged loop into a fresh data directory', async () => {
    const a2i = new SageMakerA2IRuntimeClient({ endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    /** Loop name → when its StartHumanLoop was acknowledged. */
    const acknowledged = new Map<string, number>();
    let stop = false;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const name = `loop-${w}-${i}`;
        await a2i.send(new StartHumanLoopCommand({ HumanLoopName: name, FlowDefinitionArn: FLOW_ARN, HumanLoopInput: { InputContent: `{"n":${i}}` } }));
        acknowledged.set(name, Date.now());
      }
    });
    try {
      while (acknowledged.size < 40) await new Promise((r) => setTimeout(r, 20));
      const backupStarted = Date.now();
      const backup = await runTandem({ dataDir: live }, ['backup', backupFile]);
      const duringBackup = [...acknowledged.values()].filter((t) => t > backupStarted).length;
      stop = true;
      await Promise.all(writers);
      assert.equal(backup.code, 0, backup.stderr);
      assert.match(backup.stdout, /^Backed up \d+ pages to .*tandem-backup\.db\.$/m);
      assert.ok(existsSync(`${backupFile}.key`), 'the master key is copied beside the backup');
      assert.ok(duringBackup > 0, 'loops kept being started while the backup ran');

      const restored = await runTandem({ dataDir: fresh }, ['restore', backupFile], { cwd: root });
      assert.equal(restored.code, 0, restored.stderr);
      assert.match(restored.stdout, /^Restored .* Start the server on it with tandem serve\.$/m);
      // A store is never overwritten.
      const again = await runTandem({ dataDir: fresh }, ['restore', backupFile], { cwd: root });
      assert.equal(again.code, 1);
      assert.match(again.stderr, /already holds a store/);

      const before = [...acknowledged].filter(([, at]) => at < backupStarted).map(([name]) => name);
      assert.ok(before.length >= 40);
      const restoredServer = await startTandem(serverConfig(fresh));
      const client = new SageMakerA2IRuntimeClient({ endpoint: restoredServer.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
      try {
        const missing: string[] = [];
        for (const name of before) {
          try {
            const loop = await client.send(new DescribeHumanLoopCommand({ HumanLoopName: name }));
            assert.equal(loop.HumanLoopStatus, 'InProgress');
          } catch (error) {
            missing.push(`${name}: ${(error as Error).name}`);
          }
        }
        assert.deepEqual(missing, [], `${missing.length} of ${before.length} acknowledged loops missing`);
      } finally {
        client.destroy();
        await restoredServer.close();
      }
    } finally {
      stop = true;
      await Promise.allSettled(writers);
      a2i.destroy();
    }
  });

  test('PostgreSQL: backup and restore point to pg_dump / pg_restore and exit 1', async () => {
    const env = { TANDEM_DATABASE_URL: 'postgres://tandem@127.0.0.1:1/tandem' };
    const [backup, restore] = await Promise.all([
      runTandem({ dataDir: root }, ['backup', join(root, 'x.db')], { env }),
      runTandem({ dataDir: root }, ['restore', backupFile], { env }),
    ]);
    assert.equal(backup.code, 1);
    assert.match(backup.stderr, /^For PostgreSQL, back up with pg_dump/);
    assert.equal(restore.code, 1);
    assert.match(restore.stderr, /^For PostgreSQL, restore with pg_restore/);
  });
});
