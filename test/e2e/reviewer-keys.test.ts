/**
 * The reviewer's workspace in Debian Chromium (issue 14), continued: a reload restores a
 * half-filled answer; number keys choose options; `?` lists the shortcuts; skip offers Undo.
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
for (const dialect of [browserDialect('sqlite')]) {
  describe(`reviewer drafts and keys in the browser (${dialect})`, { skip: chromiumSkip || dialectSkip(dialect) }, () => {
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

    async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
      const deadline = Date.now() + 10_000;
      while (!(await condition())) {
        if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    test('a reload restores a half-filled answer; number keys choose options; ? lists the shortcuts', { timeout: 60_000 }, async () => {
      await startLoops('draft', ['Barks at the mailman.']);
      await addPasswordWorker(tandem, 'drafter@example.com', ['draft-team']);
      const { page, close } = await signInAs(browser, tandem, 'drafter@example.com');
      const frame = taskFrame(page);
      await frame.getByText('Barks at the mailman.').waitFor();
      // Ready: the template's own Submit shows in the frame, and the portal hid its own.
      await frame.getByRole('button', { name: 'Submit' }).waitFor({ state: 'visible' });
      await page.locator('#submit-task').waitFor({ state: 'hidden' });
      await page.locator('#task-title').click();
      await page.keyboard.press('2');
      await frame.getByRole('radio', { name: 'Dog' }).and(frame.locator(':checked')).waitFor();
      await frame.getByLabel('Note').fill('half done');
      await until(async () => (await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tandem:draft:')).map((k) => localStorage.getItem(k)).join())).includes('half done'), 'the draft is kept');

      await page.reload();
      await statusLine(page).filter({ hasText: 'Your unsaved answer was restored.' }).waitFor();
      assert.equal(await frame.getByLabel('Note').inputValue(), 'half done');
      assert.equal(await frame.getByRole('radio', { name: 'Dog' }).isChecked(), true);
      assert.equal(await frame.getByRole('radio', { name: 'Cat' }).isChecked(), false);

      await page.locator('#task-title').click();
      await page.keyboard.press('?');
      const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await dialog.waitFor();
      assert.match((await dialog.textContent()) ?? '', /choose that option[\s\S]*submit the answer[\s\S]*skip the task/);
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await close();
    });

    test('skip offers Undo, which gives the same task back; without Undo the next task comes', { timeout: 60_000 }, async () => {
      const [firstLoop] = await startLoops('undo', ['Sleeps all day.', 'Swims upstream.']);
      await addPasswordWorker(tandem, 'undoer@example.com', ['undo-team']);
      const { page, close } = await signInAs(browser, tandem, 'undoer@example.com');
      const frame = taskFrame(page);
      await frame.getByText('Sleeps all day.').waitFor();
      // Ready: the template's own Submit shows in the frame, and the portal hid its own.
      await frame.getByRole('button', { name: 'Submit' }).waitFor({ state: 'visible' });
      await page.locator('#submit-task').waitFor({ state: 'hidden' });
      await page.locator('body').press('s');
      const undo = page.getByRole('button', { name: 'Undo' });
      await undo.waitFor();
      assert.equal(await page.locator('#task').isHidden(), true);
      await undo.click();
      await statusLine(page).filter({ hasText: 'Skip undone' }).waitFor();
      assert.equal(await frame.getByText('Sleeps all day.').isVisible(), true);
      assert.equal((await taskOf(firstLoop!)).status, 'leased');

      await page.getByRole('button', { name: 'Skip' }).click();
      await frame.getByText('Swims upstream.').waitFor();
      assert.match((await statusLine(page).textContent()) ?? '', /Task skipped\./);
      assert.equal((await taskOf(firstLoop!)).status, 'open');
      await close();
    });
  });
}
