/**
 * crowd-bounding-box in the real task frame, as a reviewer uses it: boxes drawn, moved, resized
 * and deleted with the mouse (undo/redo by keys), then the same by keyboard alone on a 390 px
 * phone screen starting from an `initial-value`. output.json must hold the documented shape in
 * source-image pixels whatever the display scale: a box dragged from (100,50) to (300,150) on a
 * 400×200 image is `{"height":100,"label":…,"left":100,"top":50,"width":200}`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { skipReason } from '../support/environment.js';
import type { TestTandem } from '../support/tandem.js';
import { assertNoSidewaysScroll, dragOnImage, openAnnotationTask, svgImage } from './annotation-task.js';
import { usePortalRig } from './portal-browser.js';

const TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-bounding-box name="annotatedResult" src="{{ task.input.image }}" header="Draw a box around each animal"
    labels="['Dog', 'Cat']" {% if task.input.initial %}initial-value="{{ task.input.initial | to_json | escape }}"{% endif %}>
    <short-instructions>One box per animal, tight around it.</short-instructions>
    <full-instructions header="Boxing rules"><p>Include ears and tails.</p></full-instructions>
  </crowd-bounding-box>
</crowd-form>`;

describe('crowd-bounding-box in the task frame', { skip: skipReason('chromium') }, () => {
  let tandem: TestTandem;
  let browser: Browser;
  usePortalRig('sqlite', (rig) => ({ tandem, browser } = rig));

  test('mouse: draw, label, move, resize, delete, undo/redo; answer in image pixels', { timeout: 60_000 }, async () => {
    const { page, task, storedAnswer, finish } = await openAnnotationTask(tandem, browser, 'bbox', TEMPLATE, { image: svgImage(400, 200) });
    const stage = task.getByRole('application', { name: 'Draw a box around each animal' });
    await stage.waitFor();
    const image = { width: 400, height: 200 };
    const svgBox = (await task.locator('crowd-bounding-box svg.upper-canvas').boundingBox())!;
    assert.ok(Math.abs(svgBox.width - 400) > 20, `shown at another scale than 1:1 (${svgBox.width} px wide)`);

    await dragOnImage(page, task.locator('crowd-bounding-box svg.upper-canvas'), image, [100, 50], [300, 150]);
    await task.getByRole('radio', { name: /Cat/ }).check();
    await dragOnImage(page, task.locator('crowd-bounding-box svg.upper-canvas'), image, [20, 20], [60, 80]);
    // Move the Cat box by its body, then resize it by its bottom-right handle.
    await dragOnImage(page, task.locator('crowd-bounding-box svg.upper-canvas'), image, [40, 50], [50, 60]);
    await dragOnImage(page, task.locator('crowd-bounding-box svg.upper-canvas'), image, [70, 90], [80, 100]);
    // A third box, deleted from the list; Ctrl+Z brings it back, Ctrl+Y deletes it again.
    await dragOnImage(page, task.locator('crowd-bounding-box svg.upper-canvas'), image, [320, 20], [380, 180]);
    assert.equal(await task.getByRole('listitem').count(), 3);
    await task.getByRole('button', { name: 'Delete box 3' }).click();
    assert.equal(await task.getByRole('listitem').count(), 2);
    await stage.press('Control+z');
    assert.equal(await task.getByRole('listitem').count(), 3);
    await stage.press('Control+y');
    assert.equal(await task.getByRole('listitem').count(), 2);

    await task.getByRole('button', { name: 'Submit' }).click();
    assert.deepEqual(await storedAnswer(), {
      annotatedResult: {
        boundingBoxes: [
          { height: 100, label: 'Dog', left: 100, top: 50, width: 200 },
          { height: 70, label: 'Cat', left: 30, top: 30, width: 50 },
        ],
        inputImageProperties: { height: 200, width: 400 },
      },
    });
    await finish();
  });

  test('keyboard on a 390 px screen: select, move, resize, relabel, add and delete; initialValueModified', { timeout: 60_000 }, async () => {
    const initial = [{ label: 'Dog', left: 10, top: 10, width: 50, height: 40 }];
    const { page, task, storedAnswer, finish } = await openAnnotationTask(tandem, browser, 'bboxkeys', TEMPLATE, {
      image: svgImage(200, 100),
      initial,
    });
    await page.setViewportSize({ width: 390, height: 844 });
    const stage = task.getByRole('application', { name: 'Draw a box around each animal' });
    await stage.waitFor();
    await assertNoSidewaysScroll(task);
    assert.equal(await task.getByRole('listitem').count(), 1, 'the initial box is drawn');
    await task.getByText('Include ears and tails.').waitFor({ state: 'attached' });

    await stage.focus();
    await stage.press(']'); // box 1 selected
    await stage.press('Shift+ArrowRight'); // +10 px
    await stage.press('ArrowDown'); // +1 px
    await stage.press('Alt+ArrowRight');
    await stage.press('Alt+ArrowRight'); // 2 px wider
    await stage.press('Shift+Digit2'); // relabel: Cat
    await stage.press('n'); // a new box, selected
    assert.equal(await task.getByRole('listitem').count(), 2);
    await stage.press('Delete');
    assert.equal(await task.getByRole('listitem').count(), 1);
    assert.equal(await task.getByRole('combobox', { name: 'Label of box 1' }).inputValue(), 'Cat');

    await task.getByRole('button', { name: 'Submit' }).click();
    assert.deepEqual(await storedAnswer(), {
      annotatedResult: {
        boundingBoxes: [{ height: 40, label: 'Cat', left: 20, top: 11, width: 52 }],
        initialValueModified: true,
        inputImageProperties: { height: 100, width: 200 },
      },
    });
    await finish();
  });
});
