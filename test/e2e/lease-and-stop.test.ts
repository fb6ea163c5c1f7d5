/**
 * End to end, in Debian Chromium: an expired lease hands the task to another worker, and
 * StopHumanLoop mid-review leaves the loop Stopped with no answer accepted after it; in both
 * cases the first worker's Submit shows a clear message.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DescribeHumanLoopCommand, StartHumanLoopCommand, StopHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import type { Browser } from 'playwright-core';
import { browserDialect, dialectSkip } from '../support/databases.js';
import { skipReason } from '../support/environment.js';
import { createReviewSetup } from '../support/fixtures.js';
import type { TestTandem } from '../support/tandem.js';
import { addPasswordWorker, answerSimpleTask, signInAs, statusLine, taskFrame, usePortalRig } from './portal-browser.js';

const chromiumSkip = skipReason('chromium');

// One dialect per browser file (see browserDialect); the store beneath is tested on both.
for (const dialect of [browserDialect('postgres')]) {
  describe(`leases and stops in the browser (${dialect})`, { skip: chromiumSkip || dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    let browser: Browser;
    usePortalRig(dialect, (rig) => ({ tandem, browser } = rig));

    async function startLoop(prefix: string, loopName: string, text: string) {
      const { FlowDefinitionArn } = await createReviewSetup(tandem, prefix, { taskCount: 1 });
      await tandem.a2i.send(
        new StartHumanLoopCommand({
          HumanLoopName: loopName,
          FlowDefinitionArn,
          HumanLoopInput: { InputContent: JSON.stringify({ question: 'Which animal?', text }) },
        }),
      );
      const loop = await tandem.resources.store.db.selectFrom('human_loops').select('id').where('name', '=', loopName).executeTakeFirstOrThrow();
      return loop.id;
    }

    async function storedAnswers(loopId: string) {
      return tandem.resources.store.db.selectFrom('answers').selectAll().where('human_loop_id', '=', loopId).execute();
    }

    test('an expired lease goes to another worker; the first one’s late Submit is refused with a message', { timeout: 90_000 }, async () => {
      const loopId = await startLoop('lease', 'lease-loop', 'Meows at night.');
      await addPasswordWorker(tandem, 'slow@example.com', ['lease-team']);
      const quickId = await addPasswordWorker(tandem, 'quick@example.com', ['lease-team']);

      const slow = await signInAs(browser, tandem, 'slow@example.com');
      await taskFrame(slow.page).getByText('Meows at night.').waitFor();

      // The lease runs out (backdated in the store) and the engine's timer requeues the slot.
      await tandem.resources.store.db.updateTable('tasks').set({ lease_expires_at: Date.now() - 1000 }).where('human_loop_id', '=', loopId).execute();
      await tandem.engine.tick();

      const quick = await signInAs(browser, tandem, 'quick@example.com');
      await taskFrame(quick.page).getByText('Meows at night.').waitFor();

      await answerSimpleTask(slow.page, { category: 'Cat', note: 'too late' });
      await statusLine(slow.page).filter({ hasText: 'Your answer was not saved.' }).waitFor();
      assert.match((await statusLine(slow.page).textContent()) ?? '', /not assigned to you|ran out/);
      assert.equal((await storedAnswers(loopId)).length, 0);

      await answerSimpleTask(quick.page, { category: 'Cat', note: 'in time' });
      await quick.page.getByRole('heading', { name: 'No task right now' }).waitFor();
      const answers = await storedAnswers(loopId);
      assert.deepEqual(answers.map((a) => [a.worker_id, JSON.parse(a.answer_content)]), [[quickId, { category: { label: 'Cat' }, note: 'in time' }]]);
      assert.equal((await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: 'lease-loop' }))).HumanLoopStatus, 'Completed');

      // Skip moves the first worker on: nothing is left for them.
      await slow.page.getByRole('button', { name: 'Skip' }).click();
      await slow.page.getByRole('heading', { name: 'No task right now' }).waitFor();
      await slow.close();
      await quick.close();
    });

    test('StopHumanLoop mid-review: the loop ends Stopped and the worker’s Submit says no answer is accepted', { timeout: 90_000 }, async () => {
      const loopId = await startLoop('stop', 'stop-loop', 'Quacks loudly.');
      await addPasswordWorker(tandem, 'reviewer@example.com', ['stop-team']);
      const worker = await signInAs(browser, tandem, 'reviewer@example.com');
      await taskFrame(worker.page).getByText('Quacks loudly.').waitFor();

      await tandem.a2i.send(new StopHumanLoopCommand({ HumanLoopName: 'stop-loop' }));
      await tandem.engine.tick();
      const deadline = Date.now() + 10_000;
      let status: string | undefined;
      while (Date.now() < deadline) {
        status = (await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: 'stop-loop' }))).HumanLoopStatus;
        if (status === 'Stopped') break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.equal(status, 'Stopped');

      await answerSimpleTask(worker.page, { category: 'Dog', note: 'after the stop' });
      await statusLine(worker.page).filter({ hasText: 'Your answer was not saved.' }).waitFor();
      assert.match((await statusLine(worker.page).textContent()) ?? '', /withdrawn: its human loop was stopped/);
      assert.equal((await storedAnswers(loopId)).length, 0);
      assert.equal((await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: 'stop-loop' }))).HumanLoopStatus, 'Stopped');
      await worker.close();
    });
  });
}
