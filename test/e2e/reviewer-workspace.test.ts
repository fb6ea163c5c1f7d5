/**
 * The reviewer's workspace in Debian Chromium (issue 14), as a reviewer does it: a closed tab
 * gives its lease back within the idle time and another reviewer gets the task; a submit made
 * offline is sent once back online and stored once. Keys, drafts and undo: reviewer-keys.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import type { Browser } from 'playwright-core';
import { browserDialect, dialectSkip } from '../support/databases.js';
import { skipReason } from '../support/environment.js';
import { createReviewSetup } from '../support/fixtures.js';
import type { TestTandem } from '../support/tandem.js';
import { addPasswordWorker, signInAs, statusLine, taskFrame, usePortalRig } from './portal-browser.js';

const chromiumSkip = skipReason('chromium');

// One dialect per browser file (see browserDialect); the store beneath is tested on both.
for (const dialect of [browserDialect('postgres')]) {
  describe(`the reviewer's workspace in the browser (${dialect})`, { skip: chromiumSkip || dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    let browser: Browser;
    usePortalRig(dialect, (rig) => ({ tandem, browser } = rig));

    /** A team `{prefix}-team` with one single-review loop per text; returns the loop ids. */
    async function startLoops(prefix: string, texts: string[]): Promise<string[]> {
      const { FlowDefinitionArn } = await createReviewSetup(tandem, prefix, { taskCount: 1 });
      const ids: string[] = [];
      for (const [i, text] of texts.entries()) {
        const name = `${prefix}-loop-${i}`;
        await tandem.a2i.send(
          new StartHumanLoopCommand({
            HumanLoopName: name,
            FlowDefinitionArn,
            HumanLoopInput: { InputContent: JSON.stringify({ question: 'Which animal?', text }) },
          }),
        );
        const loop = await tandem.resources.store.db.selectFrom('human_loops').select('id').where('name', '=', name).executeTakeFirstOrThrow();
        ids.push(loop.id);
      }
      return ids;
    }

    const taskOf = (loopId: string) =>
      tandem.resources.store.db.selectFrom('tasks').selectAll().where('human_loop_id', '=', loopId).executeTakeFirstOrThrow();
    const answersOf = (loopId: string) => tandem.resources.store.db.selectFrom('answers').selectAll().where('human_loop_id', '=', loopId).execute();

    async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
      const deadline = Date.now() + 10_000;
      while (!(await condition())) {
        if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    test('a closed tab gives the lease back within the idle time and another reviewer gets the task', { timeout: 60_000 }, async () => {
      const [loopId] = await startLoops('closed', ['Purrs on the sofa.']);
      await addPasswordWorker(tandem, 'closer@example.com', ['closed-team']);
      await addPasswordWorker(tandem, 'next@example.com', ['closed-team']);
      const closer = await signInAs(browser, tandem, 'closer@example.com');
      await taskFrame(closer.page).getByText('Purrs on the sofa.').waitFor();
      const claimed = await taskOf(loopId!);
      assert.ok(claimed.idle_release_at! <= Date.now() + 300_000, 'a new lease ends with the idle time');

      const closedAt = Date.now();
      await closer.page.close();
      // The page's beacon pulls the release in to a few seconds (well within the 5-minute idle time).
      await until(async () => Number((await taskOf(loopId!)).idle_release_at) <= closedAt + 15_000, 'the beacon arrived');
      assert.equal((await taskOf(loopId!)).status, 'leased');

      // Those seconds pass (backdated in the store), and the engine's timer releases the slot.
      await tandem.resources.store.db.updateTable('tasks').set({ idle_release_at: Date.now() - 1 }).where('human_loop_id', '=', loopId!).execute();
      await tandem.engine.tick();
      const next = await signInAs(browser, tandem, 'next@example.com');
      await taskFrame(next.page).getByText('Purrs on the sofa.').waitFor();
      await next.close();
      await closer.close();
    });

    test('a submit made offline is sent once the connection is back, and stored once', { timeout: 60_000 }, async () => {
      const [loopId] = await startLoops('offline', ['Hops in the garden.']);
      const workerId = await addPasswordWorker(tandem, 'offline@example.com', ['offline-team']);
      const { page, close } = await signInAs(browser, tandem, 'offline@example.com');
      const frame = taskFrame(page);
      await frame.getByText('Hops in the garden.').waitFor();
      await frame.getByText('Cat', { exact: true }).click();
      await frame.getByLabel('Note').fill('sent while offline');
      await page.context().setOffline(true);
      await frame.getByRole('button', { name: 'Submit' }).click(); // the template's own
      await statusLine(page).filter({ hasText: 'you are offline' }).waitFor();
      assert.match((await statusLine(page).textContent()) ?? '', /kept on this device and sent again as soon as you are back online/);
      assert.equal((await answersOf(loopId!)).length, 0);

      await page.context().setOffline(false);
      await page.getByRole('heading', { name: 'No task right now' }).waitFor();
      assert.match((await statusLine(page).textContent()) ?? '', /Answer saved\./);
      const answers = await answersOf(loopId!);
      assert.deepEqual(answers.map((a) => [a.worker_id, JSON.parse(a.answer_content)]), [[workerId, { category: { label: 'Cat' }, note: 'sent while offline' }]]);
      assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tandem:')).length), 0, 'nothing left behind');
      await close();
    });
  });
}
