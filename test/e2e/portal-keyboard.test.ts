/**
 * The task page in Debian Chromium: keyboard (S skips, Enter submits), the next task without a
 * page reload, messages from anything but the task frame ignored, and a template that cannot be
 * rendered shown as a message the worker can skip past.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CreateFlowDefinitionCommand, CreateHumanTaskUiCommand } from '@aws-sdk/client-sagemaker';
import { StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import type { Browser } from 'playwright-core';
import { skipReason } from '../support/environment.js';
import { createReviewSetup } from '../support/fixtures.js';
import type { TestTandem } from '../support/tandem.js';
import { addPasswordWorker, signInAs, statusLine, taskFrame, usePortalRig } from './portal-browser.js';

describe('the task page in the browser', { skip: skipReason('chromium') }, () => {
  let tandem: TestTandem;
  let browser: Browser;
  usePortalRig('sqlite', (rig) => ({ tandem, browser } = rig));

  async function start(FlowDefinitionArn: string, name: string, text: string) {
    await tandem.a2i.send(
      new StartHumanLoopCommand({ HumanLoopName: name, FlowDefinitionArn, HumanLoopInput: { InputContent: JSON.stringify({ question: 'Which?', text }) } }),
    );
  }

  test('S skips, Enter submits, forged messages are ignored, and the page never reloads', { timeout: 90_000 }, async () => {
    const { FlowDefinitionArn } = await createReviewSetup(tandem, 'keys', { taskCount: 1 });
    await start(FlowDefinitionArn, 'keys-first', 'First task text.');
    await start(FlowDefinitionArn, 'keys-second', 'Second task text.');
    await addPasswordWorker(tandem, 'keys@example.com', ['keys-team']);
    const { page, problems, close } = await signInAs(browser, tandem, 'keys@example.com');
    await page.evaluate(() => Object.assign(window, { samePage: true }));

    await taskFrame(page).getByText('First task text.').waitFor();
    await taskFrame(page).getByRole('button', { name: 'Submit' }).waitFor({ state: 'visible' });
    await page.locator('body').press('s');
    await taskFrame(page).getByText('Second task text.').waitFor();
    assert.match((await statusLine(page).textContent()) ?? '', /Task skipped\./);

    // A message that does not come from the task frame is not an answer.
    await page.evaluate(() => window.postMessage({ type: 'tandem:submit', answer: { forged: true } }, '*'));
    await taskFrame(page).getByText('Dog', { exact: true }).click();
    await taskFrame(page).getByLabel('Note').fill('typed, then Enter on the page');
    await page.getByRole('heading', { name: 'Review' }).or(page.locator('#task-title')).first().click();
    await page.locator('body').press('Enter');
    await page.getByRole('heading', { name: 'No task right now' }).waitFor();
    assert.match((await statusLine(page).textContent()) ?? '', /Answer saved\./);
    assert.equal(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage), true, 'no page reload');

    const answers = await tandem.resources.store.db.selectFrom('answers').select('answer_content').execute();
    assert.deepEqual(answers.map((a) => JSON.parse(a.answer_content)), [{ category: { label: 'Dog' }, note: 'typed, then Enter on the page' }]);
    assert.deepEqual(problems, []);
    await close();
  });

  test('an invalid answer keeps the task and says which fields need attention', { timeout: 60_000 }, async () => {
    const template = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form><crowd-input name="reason" label="Reason" required></crowd-input></crowd-form>`;
    const arn = await flowWithTemplate('required', template);
    await start(arn, 'required-loop', 'unused');
    await addPasswordWorker(tandem, 'required@example.com', ['required-team']);
    const { page, close } = await signInAs(browser, tandem, 'required@example.com');
    await taskFrame(page).getByLabel('Reason').waitFor();
    await taskFrame(page).getByRole('button', { name: 'Submit' }).click();
    await statusLine(page).filter({ hasText: 'Some answers are missing or not valid: reason.' }).waitFor();
    await taskFrame(page).getByLabel('Reason').fill('because');
    await taskFrame(page).getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'No task right now' }).waitFor();
    await close();
  });

  test('a template that cannot be rendered: a clear message, Submit disabled, Skip works', { timeout: 60_000 }, async () => {
    // Stored fine (unknown filters are refused at CreateHumanTaskUi), failing only when rendered.
    const arn = await flowWithTemplate('broken', '<crowd-form>{{ (1..1000000000) | size }}</crowd-form>');
    await start(arn, 'broken-loop', 'unused');
    await addPasswordWorker(tandem, 'broken@example.com', ['broken-team']);
    const { page, close } = await signInAs(browser, tandem, 'broken@example.com');
    await statusLine(page).filter({ hasText: 'could not be shown' }).waitFor();
    assert.match((await statusLine(page).textContent()) ?? '', /TemplateRenderLimitExceeded/);
    assert.equal(await page.getByRole('button', { name: 'Submit' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Skip' }).click();
    await page.getByRole('heading', { name: 'No task right now' }).waitFor();
    await close();
  });

  /** A team `${prefix}-team` and a flow definition showing `template`; returns the flow's ARN. */
  async function flowWithTemplate(prefix: string, template: string): Promise<string> {
    const { WorkteamArn } = await createReviewSetup(tandem, prefix);
    const { HumanTaskUiArn } = await tandem.sagemaker.send(new CreateHumanTaskUiCommand({ HumanTaskUiName: `${prefix}-custom-ui`, UiTemplate: { Content: template } }));
    const { FlowDefinitionArn } = await tandem.sagemaker.send(
      new CreateFlowDefinitionCommand({
        FlowDefinitionName: `${prefix}-custom-flow`,
        RoleArn: 'arn:aws:iam::111122223333:role/tandem-test',
        OutputConfig: { S3OutputPath: 's3://test-bucket/output' },
        HumanLoopConfig: {
          WorkteamArn,
          HumanTaskUiArn: HumanTaskUiArn!,
          TaskTitle: `Custom ${prefix}`,
          TaskDescription: 'custom template',
          TaskCount: 1,
          TaskTimeLimitInSeconds: 300,
          TaskAvailabilityLifetimeInSeconds: 3600,
        },
      }),
    );
    return FlowDefinitionArn!;
  }
});
