/**
 * The task frame fits its template: on a 390 px wide phone screen and at 1280 px the frame grows
 * to its content (no inner scroll bar, the last field visible by scrolling the page), the page
 * shows one Submit button (the template's), and only the button itself submits: a click on the
 * blank space to its right does nothing.
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

const FIELDS = 24;
const TALL_TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <p>{{ task.input.text }}</p>
  {% for i in (1..${FIELDS}) %}<crowd-input name="field{{ i }}" label="Field {{ i }}"></crowd-input>
  {% endfor %}
</crowd-form>`;

describe('the task frame fits its content', { skip: skipReason('chromium') }, () => {
  let tandem: TestTandem;
  let browser: Browser;
  usePortalRig('sqlite', (rig) => ({ tandem, browser } = rig));

  test('grows with the template at 390 px, one Submit, and the Submit click area is the button', { timeout: 90_000 }, async () => {
    const { WorkteamArn } = await createReviewSetup(tandem, 'fit');
    const { HumanTaskUiArn } = await tandem.sagemaker.send(
      new CreateHumanTaskUiCommand({ HumanTaskUiName: 'fit-tall-ui', UiTemplate: { Content: TALL_TEMPLATE } }),
    );
    const { FlowDefinitionArn } = await tandem.sagemaker.send(
      new CreateFlowDefinitionCommand({
        FlowDefinitionName: 'fit-tall-flow',
        RoleArn: 'arn:aws:iam::111122223333:role/tandem-test',
        OutputConfig: { S3OutputPath: 's3://test-bucket/output' },
        HumanLoopConfig: {
          WorkteamArn,
          HumanTaskUiArn: HumanTaskUiArn!,
          TaskTitle: 'Tall form',
          TaskDescription: 'many fields',
          TaskCount: 1,
          TaskTimeLimitInSeconds: 300,
          TaskAvailabilityLifetimeInSeconds: 3600,
        },
      }),
    );
    await tandem.a2i.send(
      new StartHumanLoopCommand({ HumanLoopName: 'fit-1', FlowDefinitionArn, HumanLoopInput: { InputContent: JSON.stringify({ text: 'Fill them all.' }) } }),
    );
    await addPasswordWorker(tandem, 'fit@example.com', ['fit-team']);
    const { page, problems, close } = await signInAs(browser, tandem, 'fit@example.com');
    await page.setViewportSize({ width: 390, height: 844 });
    const task = taskFrame(page);
    await task.getByLabel(`Field ${FIELDS}`).waitFor();
    await page.locator('#submit-task[hidden]').waitFor({ state: 'attached' });

    // The frame is as tall as its content: its document does not scroll.
    const frameElement = page.locator('iframe[title^="Task"]');
    await page.waitForFunction(() => {
      const frame = document.querySelector<HTMLIFrameElement>('iframe[title^="Task"]');
      return frame !== null && frame.getBoundingClientRect().height > 1200;
    });
    const inner = await task.locator('html').evaluate((html) => ({ scroll: html.scrollHeight, client: html.clientHeight, width: html.scrollWidth, clientWidth: html.clientWidth }));
    assert.ok(inner.scroll <= inner.client, `no inner vertical scroll bar (${inner.scroll} > ${inner.client})`);
    assert.ok(inner.width <= inner.clientWidth, `nothing cut off sideways at 390 px (${inner.width} > ${inner.clientWidth})`);

    // The last field and the Submit button are reachable by scrolling the page.
    const last = task.getByLabel(`Field ${FIELDS}`);
    await last.scrollIntoViewIfNeeded();
    await last.fill('last one');

    // One Submit button on screen: the template's.
    assert.equal(await page.getByRole('button', { name: 'Submit' }).count(), 0, 'the portal shows no Submit of its own');
    const submit = task.getByRole('button', { name: 'Submit' });
    assert.equal(await submit.count(), 1);

    // Blank space to the right of the button is not the button.
    const box = (await submit.boundingBox())!;
    const frameBox = (await frameElement.boundingBox())!;
    assert.ok(box.width < 200, `the button is as wide as its label (${box.width} px)`);
    await page.mouse.click(Math.min(box.x + box.width + 60, frameBox.x + frameBox.width - 5), box.y + box.height / 2);
    await page.waitForTimeout(300);
    assert.equal(await tandem.resources.store.db.selectFrom('answers').select('id').execute().then((r) => r.length), 0, 'no submission');

    await submit.click();
    await page.getByRole('heading', { name: 'No task right now' }).waitFor();
    assert.match((await statusLine(page).textContent()) ?? '', /Answer saved\./);
    const answers = await tandem.resources.store.db.selectFrom('answers').select('answer_content').execute();
    assert.deepEqual(answers.map((a) => JSON.parse(a.answer_content)), [{ [`field${FIELDS}`]: 'last one' }]);
    assert.deepEqual(problems, []);
    await close();
  });
});
