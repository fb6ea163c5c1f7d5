/**
 * crowd-entity-annotation used on its own (no crowd-form, as the reference says) in the real task
 * frame: its own Submit button is the only one, spans are labelled by dragging across words and
 * by keyboard, a pre-labelled span from `initial-value` is removed, and output.json holds
 * `{ "<name>": { "entities": [{ "endOffset", "label", "startOffset" }] } }` in document order.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { skipReason } from '../support/environment.js';
import type { TestTandem } from '../support/tandem.js';
import { assertNoSidewaysScroll, openAnnotationTask } from './annotation-task.js';
import { usePortalRig } from './portal-browser.js';

const TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-entity-annotation
  name="recipe"
  header="Label the steps"
  text="{{ task.input.text }}"
  labels="[{ label: 'verb', shortDisplayName: 'V', fullDisplayName: 'Action' }, { label: 'number', fullDisplayName: 'Quantity' }, { label: 'object' }]"
  initial-value="[{ label: 'object', startOffset: 30, endOffset: 34 }]"
>
  <short-instructions>Mark actions, quantities and objects.</short-instructions>
</crowd-entity-annotation>`;

describe('crowd-entity-annotation in the task frame', { skip: skipReason('chromium') }, () => {
  let tandem: TestTandem;
  let browser: Browser;
  usePortalRig('sqlite', (rig) => ({ tandem, browser } = rig));

  test('drag and keyboard labelling, its own single Submit, offsets as documented', { timeout: 60_000 }, async () => {
    const { page, task, storedAnswer, finish } = await openAnnotationTask(tandem, browser, 'ner', TEMPLATE, {
      text: 'Sift 3 cups of flour into the bowl.',
    });
    await page.setViewportSize({ width: 390, height: 844 });
    const text = task.getByRole('application', { name: 'Label the steps' });
    await text.waitFor();
    await assertNoSidewaysScroll(task);
    await page.locator('#submit-task[hidden]').waitFor({ state: 'attached' });
    assert.equal(await page.getByRole('button', { name: 'Submit' }).count(), 0, 'the portal shows no Submit of its own');
    assert.equal(await task.getByRole('button', { name: 'Submit' }).count(), 1);
    assert.equal(await task.getByRole('listitem').count(), 1, 'the initial span is listed');

    // Drag across "Sift" with the current label (Action).
    const sift = (await task.locator('[data-piece="0"]').boundingBox())!;
    await page.mouse.move(sift.x + 2, sift.y + sift.height / 2);
    await page.mouse.down();
    await page.mouse.move(sift.x + sift.width - 2, sift.y + sift.height / 2);
    await page.mouse.up();

    // Keyboard: Quantity for "3 cups" (pieces 1..2), Object for "flour" (piece 4).
    await text.focus();
    await text.press('Digit2');
    await text.press('ArrowRight'); // the caret was left on "Sift" by the drag: now on "3"
    await text.press('Shift+ArrowRight'); // 3 cups
    await text.press('Enter');
    await text.press('Digit3');
    await text.press('ArrowRight'); // of
    await text.press('ArrowRight'); // flour
    await text.press('Enter');
    // Remove the pre-labelled "bowl".
    await task.getByRole('button', { name: 'Remove span 4' }).click();

    await task.getByRole('button', { name: 'Submit' }).click();
    assert.deepEqual(await storedAnswer(), {
      recipe: {
        entities: [
          { endOffset: 4, label: 'verb', startOffset: 0 },
          { endOffset: 11, label: 'number', startOffset: 5 },
          { endOffset: 20, label: 'object', startOffset: 15 },
        ],
      },
    });
    await finish();
  });
});
