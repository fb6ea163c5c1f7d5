/**
 * A reload keeps a reviewer's half-done annotations: boxes, polygons, a segmentation mask and
 * entity spans drawn before the reload are back afterwards (the portal's draft, issue 14) and
 * are what output.json stores when the reviewer then submits.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { skipReason } from '../support/environment.js';
import { decodePng, pixelColor } from '../support/png.js';
import type { TestTandem } from '../support/tandem.js';
import { clickOnImage, dragOnImage, openAnnotationTask, svgImage } from './annotation-task.js';
import { statusLine, usePortalRig } from './portal-browser.js';

const TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-bounding-box name="boxes" src="{{ task.input.image }}" header="Box the animals" labels="['Dog', 'Cat']"
    initial-value="[{ label: 'Dog', left: 10, top: 10, width: 30, height: 30 }]"></crowd-bounding-box>
  <crowd-polygon name="areas" src="{{ task.input.image }}" header="Outline the field" labels="['Field']"></crowd-polygon>
  <crowd-semantic-segmentation name="scene" src="{{ task.input.image }}" header="Paint the sky" labels="['Sky']"></crowd-semantic-segmentation>
  <crowd-entity-annotation name="spans" header="Mark the animals" text="The dog chased the cat."
    labels="[{ label: 'animal', shortDisplayName: 'ani' }]"></crowd-entity-annotation>
</crowd-form>`;

const IMAGE = { width: 300, height: 200 };

describe('annotation drafts across a reload', { skip: skipReason('chromium') }, () => {
  let tandem: TestTandem;
  let browser: Browser;
  usePortalRig('sqlite', (rig) => ({ tandem, browser } = rig));

  test('boxes, polygons, masks and spans drawn before a reload are restored and submitted', { timeout: 90_000 }, async () => {
    const { page, task, storedAnswer, finish } = await openAnnotationTask(tandem, browser, 'drafts', TEMPLATE, { image: svgImage(300, 200) });
    const boxSurface = task.locator('crowd-bounding-box svg.upper-canvas');
    await boxSurface.waitFor();
    await task.getByRole('radio', { name: /Cat/ }).check();
    await dragOnImage(page, boxSurface, IMAGE, [100, 50], [200, 150]);
    await clickOnImage(page, task.locator('crowd-polygon svg.upper-canvas'), IMAGE, [[20, 20], [120, 20], [70, 90]]);
    await task.getByRole('application', { name: 'Outline the field' }).press('Enter');
    const segmentation = task.locator('crowd-semantic-segmentation');
    await segmentation.getByRole('button', { name: 'Polygon fill' }).click();
    await clickOnImage(page, segmentation.locator('.stage'), IMAGE, [[5, 5], [150, 5], [150, 60], [5, 60]]);
    await segmentation.getByRole('application').press('Enter');
    // "dog" (piece 1) dragged across with the only label.
    const dog = task.locator('crowd-entity-annotation [data-piece="1"]');
    await dog.scrollIntoViewIfNeeded();
    const word = (await dog.boundingBox())!;
    await page.mouse.move(word.x + 2, word.y + word.height / 2);
    await page.mouse.down();
    await page.mouse.move(word.x + word.width - 2, word.y + word.height / 2);
    await page.mouse.up();

    const draft = async () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tandem:draft:')).map((k) => localStorage.getItem(k)).join());
    const deadline = Date.now() + 15_000;
    const complete = (saved: string) => ['"Cat"', '"polygons":[{', '"pngImageData"', '"startOffset":4'].every((part) => saved.includes(part));
    while (!complete(await draft())) {
      assert.ok(Date.now() < deadline, `the draft holds the shapes: ${await draft()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    await page.reload();
    await statusLine(page).filter({ hasText: 'Your unsaved answer was restored.' }).waitFor();
    await task.getByRole('button', { name: 'Box 2', exact: true }).waitFor();
    await task.getByRole('button', { name: 'Polygon 1', exact: true }).waitFor();
    await segmentation.getByRole('listitem').filter({ hasText: 'Sky' }).waitFor();
    await task.getByRole('button', { name: 'Remove span 1' }).waitFor();

    await task.getByRole('button', { name: 'Submit' }).click();
    const answer = (await storedAnswer()) as {
      boxes: unknown;
      areas: unknown;
      spans: unknown;
      scene: { labelMappings: unknown; labeledImage: { pngImageData: string } };
    };
    assert.deepEqual(answer.boxes, {
      boundingBoxes: [
        { height: 30, label: 'Dog', left: 10, top: 10, width: 30 },
        { height: 100, label: 'Cat', left: 100, top: 50, width: 100 },
      ],
      initialValueModified: true,
      inputImageProperties: { height: 200, width: 300 },
    });
    assert.deepEqual(answer.areas, {
      inputImageProperties: { height: 200, width: 300 },
      polygons: [{ label: 'Field', vertices: [{ x: 20, y: 20 }, { x: 120, y: 20 }, { x: 70, y: 90 }] }],
    });
    assert.deepEqual(answer.spans, { entities: [{ endOffset: 7, label: 'animal', startOffset: 4 }] });
    assert.deepEqual(answer.scene.labelMappings, { Sky: { color: '#1f77b4' } });
    const mask = decodePng(Buffer.from(answer.scene.labeledImage.pngImageData, 'base64'));
    assert.deepEqual([pixelColor(mask, 75, 30), pixelColor(mask, 75, 100)], ['#1f77b4', 'transparent']);
    await finish();
  });
});
