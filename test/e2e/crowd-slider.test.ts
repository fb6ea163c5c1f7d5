/**
 * crowd-slider in the real task frame: a required slider the reviewer never moved blocks Submit
 * with a visible message; keys, a click on the track and the number box move it; output.json holds
 * each slider's value as a JSON number, an untouched optional one its preset.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { skipReason } from '../support/environment.js';
import type { TestTandem } from '../support/tandem.js';
import { assertNoSidewaysScroll, openAnnotationTask } from './annotation-task.js';
import { usePortalRig } from './portal-browser.js';

const TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <p>{{ task.input.text }}</p>
  <crowd-slider name="relevance" aria-label="Relevance" min="0" max="10" step="1" pin required>
    <crowd-slider-label position="0">Off topic</crowd-slider-label>
    <crowd-slider-label position="10">Spot on</crowd-slider-label>
  </crowd-slider>
  <crowd-slider name="confidence" aria-label="Confidence" min="0" max="1" step="0.05" value="0.5" editable></crowd-slider>
  <crowd-slider name="untouched" aria-label="Untouched" min="-5" max="5" value="2"></crowd-slider>
  <crowd-slider name="track" aria-label="Track" min="0" max="100"></crowd-slider>
</crowd-form>`;

describe('crowd-slider in the task frame', { skip: skipReason('chromium') }, () => {
  let tandem: TestTandem;
  let browser: Browser;
  usePortalRig('sqlite', (rig) => ({ tandem, browser } = rig));

  test('required blocks until moved; keys, track clicks and the number box set numbers', { timeout: 60_000 }, async () => {
    const { page, task, storedAnswer, finish } = await openAnnotationTask(tandem, browser, 'slider', TEMPLATE, { text: 'Rate the answer.' });
    await page.setViewportSize({ width: 390, height: 844 });
    const relevance = task.getByRole('slider', { name: 'Relevance' });
    await relevance.waitFor();
    await task.getByText('Spot on').waitFor();
    await assertNoSidewaysScroll(task);

    await task.getByRole('button', { name: 'Submit' }).click();
    await task.getByText('Please move the slider to choose a value.').waitFor();
    assert.equal(await relevance.evaluate((el) => el === el.getRootNode() || (el.getRootNode() as ShadowRoot).activeElement === el), true, 'the slider has focus');

    // Keyboard: End, then two steps back.
    await relevance.press('End');
    await relevance.press('ArrowLeft');
    await relevance.press('ArrowLeft');
    await task.getByText('Please move the slider to choose a value.').waitFor({ state: 'hidden' });
    assert.equal(await task.locator('crowd-slider[name=relevance] output').textContent(), '8');

    // The number box, with a value off the step grid (rounded to the nearest step).
    await task.getByRole('spinbutton', { name: 'Confidence (number)' }).fill('0.73');
    await task.getByRole('spinbutton', { name: 'Confidence (number)' }).press('Tab');

    // A click three quarters along the track.
    const track = task.getByRole('slider', { name: 'Track' });
    const box = (await track.boundingBox())!;
    await page.mouse.click(box.x + 8 + (box.width - 16) * 0.75, box.y + box.height / 2);

    await task.getByRole('button', { name: 'Submit' }).click();
    const answer = (await storedAnswer()) as Record<string, number>;
    assert.equal(answer.relevance, 8);
    assert.equal(answer.confidence, 0.75);
    assert.equal(answer.untouched, 2);
    assert.equal(typeof answer.track, 'number');
    assert.ok(Math.abs(answer.track! - 75) <= 2, `a click at 3/4 of the track gives about 75 (${answer.track})`);
    assert.deepEqual(Object.keys(answer), ['confidence', 'relevance', 'track', 'untouched']);
    await finish();
  });
});
