/**
 * The reviewer's Home and History views (src/store/reviewer-overview.ts) on both stores: queues
 * count only what this reviewer may claim, the day's counts and median, and History lists the
 * reviewer's own answers newest first, paged, never another reviewer's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { REVIEW_HOOKS } from '../../src/api/review-hooks.js';
import { startHumanLoop } from '../../src/operations/human-loops.js';
import * as reviews from '../../src/operations/reviews.js';
import { reviewerAnswers, reviewerDay, reviewerQueues } from '../../src/store/reviewer-overview.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { createTestFlow, openTestResources, type TestResources } from '../support/resources.js';

const TEMPLATE = '<crowd-form><crowd-input name="note"></crowd-input></crowd-form>';

async function addWorker(r: TestResources, team: string, id: string): Promise<reviews.WorkerIdentity> {
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
  return { id, accountId: r.caller.accountId, identityProvider: 'Tandem' };
}

for (const dialect of DIALECTS) {
  describe(`reviewer overview on ${dialect}`, { skip: dialectSkip(dialect) }, () => {
    let r: TestResources;
    before(async () => {
      r = await openTestResources(dialect);
    });
    after(async () => r?.dispose());

    test('queues, the day and the history are the reviewer’s own', async () => {
      const flow = await createTestFlow(r, 'home', { taskCount: 1, timeLimitSeconds: 60, lifetimeSeconds: 3600, template: TEMPLATE });
      const ana = await addWorker(r, 'home-team', 'ana0000000000000');
      const ben = await addWorker(r, 'home-team', 'ben0000000000000');
      const start = r.clock.now();
      for (let i = 0; i < 25; i++) {
        await startHumanLoop(r, r.caller, { HumanLoopName: `home-${i}`, FlowDefinitionArn: flow, HumanLoopInput: { InputContent: '{}' } }, REVIEW_HOOKS.onStarted);
        r.clock.advance(1000);
      }
      assert.deepEqual(await reviewerQueues(r.store.db, ana, r.clock.now()), [{ team: 'home-team', flow: 'home', waiting: 25, oldestWaitingAt: start }]);

      // Ana answers 22 (1 s, 2 s, …), skips 1; Ben answers 1.
      for (let i = 0; i < 22; i++) {
        const task = await reviews.claimNextTask(r, ana);
        r.clock.advance((i + 1) * 1000);
        await reviews.submitAnswer(r, ana, task!.taskId, { note: `a${i}` });
      }
      const skipped = await reviews.claimNextTask(r, ana);
      await reviews.releaseTask(r, ana, skipped!.taskId);
      const bens = await reviews.claimNextTask(r, ben);
      await reviews.submitAnswer(r, ben, bens!.taskId, { note: 'b' });

      assert.deepEqual(await reviewerQueues(r.store.db, ana, r.clock.now()), [{ team: 'home-team', flow: 'home', waiting: 2, oldestWaitingAt: start + 23_000 }]);
      assert.deepEqual(await reviewerDay(r.store.db, ana, start), { answered: 22, skipped: 1, medianSeconds: 11.5 });
      assert.deepEqual(await reviewerDay(r.store.db, ana, r.clock.now() + 1), { answered: 0, skipped: 0, medianSeconds: null });

      const first = await reviewerAnswers(r.store.db, ana, { offset: 0, limit: 20 });
      assert.equal(first.answers.length, 20);
      assert.equal(first.more, true);
      assert.equal(first.answers[0]!.humanLoopName, 'home-21', 'newest first');
      assert.match(first.answers[0]!.humanLoopConfig ?? '', /"TaskTitle":"Review home"/);
      const second = await reviewerAnswers(r.store.db, ana, { offset: 20, limit: 20 });
      assert.deepEqual(second.answers.map((a) => a.humanLoopName), ['home-1', 'home-0']);
      assert.equal(second.more, false);
      const own = await reviewerAnswers(r.store.db, ben, { offset: 0, limit: 20 });
      assert.deepEqual(own.answers.map((a) => a.humanLoopName), ['home-22']);
      const stranger = await reviewerAnswers(r.store.db, { id: ben.id, accountId: 'another-account' }, { offset: 0, limit: 20 });
      assert.deepEqual(stranger.answers, []);
    });
  });
}
