import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { REVIEW_HOOKS } from '../../src/api/review-hooks.js';
import { ENGINE_TASKS } from '../../src/engine/tasks.js';
import { describeHumanLoop, startHumanLoop, stopHumanLoop } from '../../src/operations/human-loops.js';
import * as reviews from '../../src/operations/reviews.js';
import { LocalObjectStore } from '../../src/objects/local-object-store.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { createTestFlow, openTestResources, type TestResources } from '../support/resources.js';

const TEMPLATE = '<crowd-form><crowd-input name="note"></crowd-input></crowd-form>';

const setupFlow = (r: TestResources, name: string, taskCount: number, lifetimeSeconds = 3600) =>
  createTestFlow(r, name, { taskCount, timeLimitSeconds: 60, lifetimeSeconds, template: TEMPLATE });

async function addWorkers(r: TestResources, team: string, count: number, prefix: string): Promise<reviews.WorkerIdentity[]> {
  const workers: reviews.WorkerIdentity[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${prefix}${String(i).padStart(16 - prefix.length, '0')}`;
    await r.store.db
      .insertInto('workers')
      .values({
        id,
        account_id: r.caller.accountId,
        email: `${id}@example.com`,
        display_name: null,
        password_hash: null,
        status: 'active',
        identity_provider: 'Tandem',
        oidc_issuer: null,
        oidc_subject: null,
        invite_token_hash: null,
        invite_expires_at: null,
        created_at: r.clock.now(),
      })
      .execute();
    await r.store.db.insertInto('workteam_members').values({ account_id: r.caller.accountId, workteam_name: team, worker_id: id }).execute();
    workers.push({ id, accountId: r.caller.accountId, identityProvider: 'Tandem' });
  }
  return workers;
}

async function startLoop(r: TestResources, flowArn: string, name: string, input: object = { text: name }) {
  await startHumanLoop(
    r,
    r.caller,
    { HumanLoopName: name, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: JSON.stringify(input) } },
    REVIEW_HOOKS.onStarted,
  );
}

const tick = async (r: TestResources) => {
  for (const task of ENGINE_TASKS) await task.run(r);
};

for (const dialect of DIALECTS) {
  describe(`review queue on ${dialect}`, { skip: dialectSkip(dialect) }, () => {
    let r: TestResources;
    before(async () => {
      r = await openTestResources(dialect, { poolSize: 20 });
    });
    after(async () => r?.dispose());

    test('offers the oldest slot first, one slot per loop per worker, and completes with output.json', async () => {
      const flow = await setupFlow(r, 'basic', 2);
      const [alice, bob, carol] = await addWorkers(r, 'basic-team', 3, 'a');
      await startLoop(r, flow, 'first');
      r.clock.advance(1000);
      await startLoop(r, flow, 'second');

      const a1 = await reviews.claimNextTask(r, alice!);
      assert.equal(a1?.humanLoopName, 'first');
      assert.equal(a1?.title, 'Review basic');
      assert.deepEqual(a1?.input, { text: 'first' });
      assert.equal(a1?.leaseExpiresAt, r.clock.now() + 60_000);
      const a2 = await reviews.claimNextTask(r, alice!);
      assert.equal(a2?.humanLoopName, 'second', 'alice never gets a second slot of "first"');
      assert.equal(await reviews.claimNextTask(r, alice!), undefined, 'alice holds one slot of each loop');

      const b1 = await reviews.claimNextTask(r, bob!);
      assert.equal(b1?.humanLoopName, 'first');
      assert.notEqual(b1?.taskId, a1?.taskId);

      r.clock.advance(5_000);
      assert.deepEqual(await reviews.submitAnswer(r, alice!, a1!.taskId, { note: 'from alice' }), { loopCompleted: false });
      await assert.rejects(reviews.submitAnswer(r, alice!, a1!.taskId, { note: 'again' }), /already submitted/);
      await assert.rejects(reviews.submitAnswer(r, carol!, b1!.taskId, { note: 'not mine' }), /not assigned to you/);
      r.clock.advance(1_000);
      assert.deepEqual(await reviews.submitAnswer(r, bob!, b1!.taskId, { note: 'from bob' }), { loopCompleted: true });

      const described = await describeHumanLoop(r, r.caller, 'first');
      assert.equal(described.HumanLoopStatus, 'Completed');
      const uri = described.HumanLoopOutput!.OutputS3Uri;
      assert.match(uri, /^s3:\/\/bucket\/out\/basic\/2026\/11\/25\/12\/00\/00\/first\/output\.json$/);
      const output = JSON.parse(await readFile(new LocalObjectStore(r.config.outputDir).pathOf('bucket', uri.slice('s3://bucket/'.length)), 'utf8'));
      assert.equal(output.humanLoopName, 'first');
      assert.equal(output.flowDefinitionArn, flow);
      assert.deepEqual(output.inputContent, { text: 'first' });
      assert.deepEqual(
        output.humanAnswers.map((a: { workerId: string; answerContent: unknown; timeSpentInSeconds: number }) => [a.workerId, a.answerContent, a.timeSpentInSeconds]),
        [
          [alice!.id, { note: 'from alice' }, 5],
          [bob!.id, { note: 'from bob' }, 6],
        ],
      );
      assert.match(output.humanAnswers[0].acceptanceTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(output.humanAnswers[0].workerMetadata.identityData.sub, alice!.id);
    });

    test('a skipped loop is not offered again; an expired lease goes to another worker', async () => {
      const flow = await setupFlow(r, 'lease', 1);
      const [dave, erin] = await addWorkers(r, 'lease-team', 2, 'd');
      await startLoop(r, flow, 'leased');
      const d1 = await reviews.claimNextTask(r, dave!);
      await reviews.releaseTask(r, dave!, d1!.taskId);
      assert.equal(await reviews.claimNextTask(r, dave!), undefined, 'dave skipped it');
      const e1 = await reviews.claimNextTask(r, erin!);
      assert.equal(e1?.taskId, d1?.taskId);
      r.clock.advance(61_000);
      await assert.rejects(reviews.submitAnswer(r, erin!, e1!.taskId, { note: 'late' }), /ran out/);
      await tick(r);
      const e2 = await reviews.claimNextTask(r, erin!);
      assert.equal(e2?.taskId, e1?.taskId, 'the requeued slot is offered again');
      await reviews.submitAnswer(r, erin!, e2!.taskId, { note: 'in time' });
      assert.equal((await describeHumanLoop(r, r.caller, 'leased')).HumanLoopStatus, 'Completed');
    });

    test('StopHumanLoop withdraws the slots; an expired loop fails with FailureCode Expired', async () => {
      const flow = await setupFlow(r, 'stop', 1, 120);
      const [frank] = await addWorkers(r, 'stop-team', 1, 'f');
      await startLoop(r, flow, 'to-stop');
      const f1 = await reviews.claimNextTask(r, frank!);
      await stopHumanLoop(r, r.caller, 'to-stop', REVIEW_HOOKS.onStopped);
      assert.equal((await describeHumanLoop(r, r.caller, 'to-stop')).HumanLoopStatus, 'Stopped');
      await assert.rejects(reviews.submitAnswer(r, frank!, f1!.taskId, { note: 'x' }), /withdrawn/);
      assert.equal((await r.store.db.selectFrom('answers').selectAll().where('task_id', '=', f1!.taskId).execute()).length, 0);

      await startLoop(r, flow, 'to-expire');
      r.clock.advance(121_000);
      assert.equal(await reviews.claimNextTask(r, frank!), undefined, 'past its lifetime');
      await tick(r);
      const expired = await describeHumanLoop(r, r.caller, 'to-expire');
      assert.equal(expired.HumanLoopStatus, 'Failed');
      assert.equal(expired.FailureCode, 'Expired');
      assert.match(expired.FailureReason ?? '', /TaskAvailabilityLifetimeInSeconds/);
      assert.equal(expired.HumanLoopOutput, undefined);
    });

    test('60 concurrent claimers: every slot leased at most once, each worker at most once per loop', async () => {
      const flow = await setupFlow(r, 'race', 3);
      const workers = await addWorkers(r, 'race-team', 60, 'r');
      for (let i = 0; i < 40; i++) await startLoop(r, flow, `race-${i}`);
      const claims: { worker: string; task: string; loop: string }[] = [];
      await Promise.all(
        workers.map(async (worker) => {
          for (;;) {
            const task = await reviews.claimNextTask(r, worker);
            if (!task) return;
            claims.push({ worker: worker.id, task: task.taskId, loop: task.humanLoopName });
          }
        }),
      );
      assert.equal(claims.length, 120, 'all 40 × 3 slots were claimed');
      assert.equal(new Set(claims.map((c) => c.task)).size, 120, 'no slot was leased twice');
      assert.equal(new Set(claims.map((c) => `${c.worker}/${c.loop}`)).size, 120, 'no worker got two slots of a loop');
      const leased = await r.store.db.selectFrom('tasks').select('id').where('status', '=', 'leased').execute();
      assert.equal(leased.length, 120);
    });
  });
}
