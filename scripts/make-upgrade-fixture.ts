/**
 * Makes test/fixtures/upgrade-<label>.db: a small SQLite store written by a released Tandem's own
 * code (its migrations, its operations), for test/store/upgrade.test.ts to open with today's code.
 * Run it against the release's sources, not the working tree's:
 *
 *   mkdir -p /tmp/release && git archive <release-commit> src | tar -x -C /tmp/release
 *   ln -s "$PWD/node_modules" /tmp/release/node_modules
 *   node --import tsx scripts/make-upgrade-fixture.ts /tmp/release test/fixtures/upgrade-<label>.db
 *
 * The store holds the demo (work team, task UI, flow definition), a second flow definition, four
 * loops (one answered and Completed, one Stopped, two InProgress), a worker with a password, and
 * the root key below, its secret sealed under MASTER_KEY (both repeated in the test).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';

const FIXTURE = {
  accountId: '123412341234',
  accessKeyId: 'TNDMUPGRADEFIXTURE01',
  secretAccessKey: 'upgrade-fixture-secret-0123456789abcdef',
  masterKey: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
  workerEmail: 'fixture-worker@example.com',
  workerPassword: 'fixture worker password',
};

const [releaseRoot, outFile] = process.argv.slice(2);
if (!releaseRoot || !outFile) throw new Error('usage: make-upgrade-fixture.ts <release source root> <out.db>');
const release = (path: string) => import(join(resolve(releaseRoot), 'src', path));

const { loadConfig } = await release('config.ts');
const { startTandem } = await release('main.ts');
const { addWorker } = await release('operations/workers.ts');
const { claimNextTask, submitAnswer } = await release('operations/reviews.ts');
const { startHumanLoop, stopHumanLoop } = await release('operations/human-loops.ts');
const { createFlowDefinition } = await release('operations/flow-definitions.ts');
const { REVIEW_HOOKS } = await release('api/review-hooks.ts');

const dataDir = mkdtempSync(join(tmpdir(), 'tandem-fixture-'));
const tandem = await startTandem({
  ...loadConfig({}, {}, dataDir),
  dataDir,
  outputDir: join(dataDir, 'output'),
  port: 0,
  logLevel: 'silent',
  accountId: FIXTURE.accountId,
  accessKeyId: FIXTURE.accessKeyId,
  secretAccessKey: FIXTURE.secretAccessKey,
  masterKey: FIXTURE.masterKey,
});
try {
  const { resources } = tandem;
  const caller = { accountId: FIXTURE.accountId, region: 'us-east-1' };
  const arn = (kind: string, name: string) => `arn:aws:sagemaker:us-east-1:${FIXTURE.accountId}:${kind}/${name}`;
  await createFlowDefinition(resources, caller, {
    FlowDefinitionName: 'second-flow',
    RoleArn: `arn:aws:iam::${FIXTURE.accountId}:role/fixture`,
    OutputConfig: { S3OutputPath: 's3://fixture-bucket/out' },
    HumanLoopConfig: {
      WorkteamArn: arn('workteam/private-crowd', 'demo'),
      HumanTaskUiArn: arn('human-task-ui', 'demo-classify'),
      TaskTitle: 'Second flow',
      TaskDescription: 'A flow made for the upgrade fixture',
      TaskCount: 2,
    },
  });
  const start = (flow: string, name: string) =>
    startHumanLoop(resources, caller, { HumanLoopName: name, FlowDefinitionArn: arn('flow-definition', flow), HumanLoopInput: { InputContent: JSON.stringify({ text: name }) } }, REVIEW_HOOKS.onStarted);
  await start('demo-flow', 'answered-loop');
  await start('demo-flow', 'stopped-loop');
  await start('demo-flow', 'waiting-loop');
  await start('second-flow', 'second-waiting-loop');
  await stopHumanLoop(resources, caller, 'stopped-loop', REVIEW_HOOKS.onStopped);

  const { worker } = await addWorker(resources, { accountId: FIXTURE.accountId, email: FIXTURE.workerEmail, teams: ['demo'], password: FIXTURE.workerPassword });
  const identity = { id: worker.workerId, accountId: FIXTURE.accountId, identityProvider: 'Tandem' as const };
  const task = await claimNextTask(resources, identity);
  if (task?.humanLoopName !== 'answered-loop') throw new Error(`expected to claim answered-loop, got ${JSON.stringify(task)}`);
  await submitAnswer(resources, identity, task.taskId, { label: 'cat' });
} finally {
  await tandem.close();
}

// One self-contained file: the WAL folded in, rollback journal mode.
const database = new SQLite(join(dataDir, 'tandem.db'));
database.pragma('wal_checkpoint(TRUNCATE)');
database.pragma('journal_mode = DELETE');
database.close();
copyFileSync(join(dataDir, 'tandem.db'), outFile);
rmSync(dataDir, { recursive: true, force: true });
process.stdout.write(`Wrote ${outFile}\n`);
