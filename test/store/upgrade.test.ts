/**
 * Upgrading (issue 13, item 12): a store written by a released Tandem (test/fixtures/upgrade-*.db,
 * made by scripts/make-upgrade-fixture.ts from that release's own sources) is opened by today's
 * code: the newer migrations run at start, and its loops, answers, flow definitions, access key
 * and worker are served as before.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DescribeFlowDefinitionCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { DescribeHumanLoopCommand, ListHumanLoopsCommand, SageMakerA2IRuntimeClient } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { loadConfig } from '../../src/config.js';
import { startTandem, type RunningTandem } from '../../src/main.js';
import { claimNextTask } from '../../src/operations/reviews.js';
import { migrationProvider } from '../../src/store/migrations/index.js';

/** The values scripts/make-upgrade-fixture.ts wrote the fixture with. */
const FIXTURE = {
  file: new URL('../fixtures/upgrade-3ac1901.db', import.meta.url).pathname,
  accountId: '123412341234',
  accessKeyId: 'TNDMUPGRADEFIXTURE01',
  secretAccessKey: 'upgrade-fixture-secret-0123456789abcdef',
  masterKey: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
  workerEmail: 'fixture-worker@example.com',
  workerPassword: 'fixture worker password',
};
const REGION = 'us-east-1';

describe('upgrade from the store of release 3ac1901 (SQLite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tandem-upgrade-'));
  let tandem: RunningTandem;
  const credentials = { accessKeyId: FIXTURE.accessKeyId, secretAccessKey: FIXTURE.secretAccessKey };
  before(async () => {
    mkdirSync(dataDir, { recursive: true });
    copyFileSync(FIXTURE.file, join(dataDir, 'tandem.db'));
    // The secret of the configured key is re-sealed only if it differs; here it matches the store's.
    tandem = await startTandem({ ...loadConfig({}, {}, dataDir), dataDir, outputDir: join(dataDir, 'output'), port: 0, logLevel: 'silent', masterKey: FIXTURE.masterKey, accountId: FIXTURE.accountId });
  });
  after(async () => {
    await tandem?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('every migration of today has run', async () => {
    const ran = (await tandem.resources.store.db.selectFrom('kysely_migration' as never).select('name' as never).execute()) as { name: string }[];
    assert.deepEqual(ran.map((r) => r.name).sort(), Object.keys(await migrationProvider.getMigrations()).sort());
  });

  test("the release's loops, answers and flow definitions are served through the AWS APIs with its access key", async () => {
    const a2i = new SageMakerA2IRuntimeClient({ endpoint: tandem.url, region: REGION, credentials, maxAttempts: 1 });
    const sagemaker = new SageMakerClient({ endpoint: tandem.url, region: REGION, credentials, maxAttempts: 1 });
    try {
      const flowArn = (name: string) => `arn:aws:sagemaker:${REGION}:${FIXTURE.accountId}:flow-definition/${name}`;
      const listed = await a2i.send(new ListHumanLoopsCommand({ FlowDefinitionArn: flowArn('demo-flow'), SortOrder: 'Ascending' }));
      assert.deepEqual(
        (listed.HumanLoopSummaries ?? []).map((s) => [s.HumanLoopName, s.HumanLoopStatus]).sort(),
        [
          ['answered-loop', 'Completed'],
          ['stopped-loop', 'Stopped'],
          ['waiting-loop', 'InProgress'],
        ],
      );
      const answered = await a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: 'answered-loop' }));
      assert.equal(answered.HumanLoopStatus, 'Completed');
      assert.match(answered.HumanLoopOutput?.OutputS3Uri ?? '', /answered-loop\/output\.json$/);
      const second = await sagemaker.send(new DescribeFlowDefinitionCommand({ FlowDefinitionName: 'second-flow' }));
      assert.equal(second.HumanLoopConfig?.TaskCount, 2);
      const answers = await tandem.resources.store.db.selectFrom('answers').selectAll().execute();
      assert.equal(answers.length, 1);
    } finally {
      a2i.destroy();
      sagemaker.destroy();
    }
  });

  test("the release's worker signs in with their password and is given a waiting task", async () => {
    const signIn = await fetch(`${tandem.url}/portal/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: FIXTURE.workerEmail, password: FIXTURE.workerPassword }).toString(),
    });
    assert.equal(signIn.status, 303);
    const worker = await tandem.resources.store.db.selectFrom('workers').select('id').where('email', '=', FIXTURE.workerEmail).executeTakeFirstOrThrow();
    const task = await claimNextTask(tandem.resources, { id: worker.id, accountId: FIXTURE.accountId, identityProvider: 'Tandem' });
    assert.ok(task && ['waiting-loop', 'second-waiting-loop'].includes(task.humanLoopName), JSON.stringify(task));
  });
});
