/**
 * crowd-classifier-multi-select and crowd-image-classifier-multi-select in the real task frame:
 * a reviewer ticks several categories (mouse and number keys), the exclusion category clears and
 * disables the others, nothing ticked blocks Submit with a visible message, and output.json holds
 * `{ "<name>": { "labels": [...] } }` in the order of `categories`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { skipReason } from '../support/environment.js';
import type { TestTandem } from '../support/tandem.js';
import { assertNoSidewaysScroll, openAnnotationTask, svgImage } from './annotation-task.js';
import { usePortalRig } from './portal-browser.js';

const TEXT_TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-classifier-multi-select name="topics" categories="['Sports', 'Politics', 'Weather',]" header="Which topics does the headline touch?"
    exclusion-category="{ text: 'None of these' }">
    <classification-target><p>{{ task.input.headline }}</p></classification-target>
    <short-instructions>Tick every topic that applies.</short-instructions>
  </crowd-classifier-multi-select>
</crowd-form>`;

const IMAGE_TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-image-classifier-multi-select name="tags" src="{{ task.input.image }}" categories='["Outdoor", "Animal", "Person"]'
    header="What does the picture show?" exclusion-category="{ text: 'Nothing of these' }">
    <short-instructions>Tick all that apply.</short-instructions>
    <worker-comment header="Anything unusual?" link-text="Add a comment"></worker-comment>
  </crowd-image-classifier-multi-select>
</crowd-form>`;

describe('multi-select classifiers in the task frame', { skip: skipReason('chromium') }, () => {
  let tandem: TestTandem;
  let browser: Browser;
  usePortalRig('sqlite', (rig) => ({ tandem, browser } = rig));

  test('crowd-classifier-multi-select: nothing ticked blocks, then labels in category order', { timeout: 60_000 }, async () => {
    const { page, task, storedAnswer, finish } = await openAnnotationTask(tandem, browser, 'multi', TEXT_TEMPLATE, {
      headline: 'Rain delays the cup final; minister attends',
    });
    await page.setViewportSize({ width: 390, height: 844 });
    const group = task.getByRole('group', { name: 'Which topics does the headline touch?' });
    await group.waitFor();
    await assertNoSidewaysScroll(task);

    await task.getByRole('button', { name: 'Submit' }).click();
    await task.getByText('Please choose at least one category.').waitFor();

    // The exclusion category clears and disables the others; unticking it frees them again.
    await task.getByRole('checkbox', { name: 'Sports' }).check();
    await task.getByRole('checkbox', { name: 'None of these' }).check();
    assert.equal(await task.getByRole('checkbox', { name: 'Sports' }).isChecked(), false);
    assert.equal(await task.getByRole('checkbox', { name: 'Weather' }).isDisabled(), true);
    await task.getByRole('checkbox', { name: 'None of these' }).uncheck();

    // Ticked in reverse order, with the mouse and with a number key (3 = Weather).
    await task.getByRole('checkbox', { name: 'Politics' }).check();
    await task.locator('body').press('3');
    assert.equal(await task.getByRole('checkbox', { name: 'Weather' }).isChecked(), true);
    await task.getByRole('checkbox', { name: 'Sports' }).check();
    await task.getByRole('checkbox', { name: 'Politics' }).uncheck();
    await task.getByRole('checkbox', { name: 'Politics' }).check();
    await task.getByRole('button', { name: 'Submit' }).click();
    assert.deepEqual(await storedAnswer(), { topics: { labels: ['Sports', 'Politics', 'Weather'] } });
    await finish();
  });

  test('crowd-image-classifier-multi-select: labels plus the comment; the exclusion category alone', { timeout: 60_000 }, async () => {
    const { task, storedAnswer, finish } = await openAnnotationTask(tandem, browser, 'imulti', IMAGE_TEMPLATE, { image: svgImage(160, 90) });
    await task.getByRole('img', { name: 'What does the picture show?' }).waitFor();
    await task.getByRole('checkbox', { name: 'Person' }).check();
    await task.getByRole('checkbox', { name: 'Outdoor' }).check();
    await task.getByRole('button', { name: 'Add a comment' }).click();
    await task.getByLabel('Anything unusual?').fill('Blurry at the edges');
    await task.getByRole('button', { name: 'Submit' }).click();
    assert.deepEqual(await storedAnswer(), { tags: { labels: ['Outdoor', 'Person'], workerComment: 'Blurry at the edges' } });
    await finish();

    const second = await openAnnotationTask(tandem, browser, 'imulti2', IMAGE_TEMPLATE, { image: svgImage(160, 90) });
    await second.task.getByRole('checkbox', { name: 'Animal' }).check();
    await second.task.getByRole('checkbox', { name: 'Nothing of these' }).check();
    await second.task.getByRole('button', { name: 'Submit' }).click();
    assert.deepEqual(await second.storedAnswer(), { tags: { labels: ['Nothing of these'] } });
    await second.finish();
  });
});
