/**
 * End to end, in Debian Chromium: a flow definition with TaskCount 2 made through the AWS SDK, a
 * loop started through the SDK, two workers who sign in at /portal and answer through the real
 * template (a classifier and a text input), the loop Completed, and its output.json on disk.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DescribeHumanLoopCommand, StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import type { Browser } from 'playwright-core';
import { browserDialect, dialectSkip } from '../support/databases.js';
import { skipReason } from '../support/environment.js';
import { createReviewSetup } from '../support/fixtures.js';
import type { TestTandem } from '../support/tandem.js';
import { addPasswordWorker, answerSimpleTask, signInAs, statusLine, taskFrame, usePortalRig } from './portal-browser.js';

const chromiumSkip = skipReason('chromium');

// One dialect per browser file (see browserDialect); the store beneath is tested on both.
for (const dialect of [browserDialect('postgres')]) {
  describe(`two workers answer one loop in the browser (${dialect})`, { skip: chromiumSkip || dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    let browser: Browser;
    usePortalRig(dialect, (rig) => ({ tandem, browser } = rig));

    test('both answers land in output.json with A2I’s shapes, and the loop is Completed', { timeout: 90_000 }, async () => {
      const { FlowDefinitionArn } = await createReviewSetup(tandem, 'e2e', { taskCount: 2 });
      await tandem.a2i.send(
        new StartHumanLoopCommand({
          HumanLoopName: 'two-workers',
          FlowDefinitionArn,
          HumanLoopInput: { InputContent: JSON.stringify({ question: 'Which animal is it?', text: 'It barks at the mail carrier.' }) },
        }),
      );
      const workerIds = [
        await addPasswordWorker(tandem, 'ana@example.com', ['e2e-team']),
        await addPasswordWorker(tandem, 'bo@example.com', ['e2e-team']),
      ];
      const answers = [
        { category: 'Dog', note: 'Barking means dog' },
        { category: 'Cat', note: 'A cat can bark too?' },
      ];

      for (const [i, email] of ['ana@example.com', 'bo@example.com'].entries()) {
        const worker = await signInAs(browser, tandem, email);
        const { page } = worker;
        await page.getByRole('heading', { name: 'Review' }).or(page.getByRole('heading', { name: 'Classify' })).first().waitFor();
        assert.equal(await page.locator('#task-description').textContent(), 'Pick the animal');
        assert.match((await page.getByRole('timer').textContent()) ?? '', /^[45]:\d\d$/);
        // The template shows the loop's input, rendered on the server.
        await taskFrame(page).getByText('It barks at the mail carrier.').waitFor();
        await answerSimpleTask(page, answers[i]!);
        // Saved, and the next task (none left for this worker) loads without a page reload.
        await page.getByRole('heading', { name: 'No task right now' }).waitFor();
        assert.match((await statusLine(page).textContent()) ?? '', /Answer saved\./);
        assert.deepEqual(worker.problems, []);
        await worker.close();
      }

      const loop = await waitForStatus(tandem, 'two-workers', 'Completed');
      const uri = loop.HumanLoopOutput?.OutputS3Uri;
      assert.match(uri ?? '', /^s3:\/\/test-bucket\/output\/e2e-flow\/\d{4}\/\d\d\/\d\d\/\d\d\/\d\d\/\d\d\/two-workers\/output\.json$/);
      const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri!)!;
      const output = JSON.parse(await readFile(join(tandem.resources.config.outputDir, bucket!, key!), 'utf8'));
      assert.equal(output.flowDefinitionArn, FlowDefinitionArn);
      assert.equal(output.humanLoopName, 'two-workers');
      assert.deepEqual(output.inputContent, { question: 'Which animal is it?', text: 'It barks at the mail carrier.' });
      assert.equal(output.humanAnswers.length, 2);
      const byWorker = new Map(output.humanAnswers.map((a: { workerId: string }) => [a.workerId, a]));
      for (const [i, workerId] of workerIds.entries()) {
        const answer = byWorker.get(workerId) as Record<string, unknown> | undefined;
        assert.ok(answer, `an answer from ${workerId}`);
        assert.deepEqual(answer.answerContent, { category: { label: answers[i]!.category }, note: answers[i]!.note });
        assert.match(String(answer.acceptanceTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
        assert.match(String(answer.submissionTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
        assert.ok(Date.parse(String(answer.submissionTime)) >= Date.parse(String(answer.acceptanceTime)));
        assert.equal(typeof answer.timeSpentInSeconds, 'number');
        assert.ok((answer.timeSpentInSeconds as number) >= 0 && (answer.timeSpentInSeconds as number) < 90);
        assert.ok(answer.workerMetadata, 'workerMetadata present');
      }
    });
  });
}

async function waitForStatus(tandem: TestTandem, name: string, status: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const loop = await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: name }));
    if (loop.HumanLoopStatus === status || Date.now() > deadline) {
      assert.equal(loop.HumanLoopStatus, status);
      return loop;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
