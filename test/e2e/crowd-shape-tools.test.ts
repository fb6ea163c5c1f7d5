/**
 * crowd-polygon, crowd-keypoint, crowd-line and crowd-polyline (one annotation core) in the real
 * task frame: drawn with the mouse on one page, then adjusted by keyboard alone on a 390 px screen
 * from `initial-value`s; output.json holds each documented shape in source-image pixels.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { skipReason } from '../support/environment.js';
import type { TestTandem } from '../support/tandem.js';
import { assertNoSidewaysScroll, clickOnImage, dragOnImage, openAnnotationTask, svgImage } from './annotation-task.js';
import { usePortalRig } from './portal-browser.js';

const TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-polygon name="areas" src="{{ task.input.image }}" header="Outline the fields" labels="['Field', 'Forest']"></crowd-polygon>
  <crowd-keypoint name="trees" src="{{ task.input.image }}" header="Mark each tree" labels="['Oak', 'Pine']"></crowd-keypoint>
  <crowd-line name="edges" src="{{ task.input.image }}" header="Trace the straight edges" labels="['Fence']"></crowd-line>
  <crowd-polyline name="paths" src="{{ task.input.image }}" header="Trace the paths" labels="['Path']" label-colors="['#aa00aa']"></crowd-polyline>
</crowd-form>`;

const KEYBOARD_TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-polygon name="areas" src="{{ task.input.image }}" header="Outline the fields" labels="['Field']"
    initial-value="[{ label: 'Field', vertices: [{ x: 10, y: 10 }, { x: 50, y: 10 }, { x: 30, y: 40 }] }]"></crowd-polygon>
  <crowd-polyline name="paths" src="{{ task.input.image }}" header="Trace the paths" labels="['Path']"
    initial-value="{ polylines: [{ label: 'Path', vertices: [{ x: 0, y: 0 }, { x: 20, y: 20 }] }] }"></crowd-polyline>
  <crowd-line name="edges" src="{{ task.input.image }}" header="Trace the straight edges" labels="['Fence']"
    initial-value="{ lines: [{ label: 'Fence', vertices: [{ x: 5, y: 5 }, { x: 60, y: 5 }] }] }"></crowd-line>
</crowd-form>`;

const IMAGE = { width: 300, height: 200 };

describe('polygon, keypoint, line and polyline tools in the task frame', { skip: skipReason('chromium') }, () => {
  let tandem: TestTandem;
  let browser: Browser;
  usePortalRig('sqlite', (rig) => ({ tandem, browser } = rig));

  test('mouse: outline, mark, trace; an unfinished polygon blocks Submit', { timeout: 90_000 }, async () => {
    const { page, task, storedAnswer, finish } = await openAnnotationTask(tandem, browser, 'shapes', TEMPLATE, { image: svgImage(300, 200) });
    const surface = (tag: string) => task.locator(`${tag} svg.upper-canvas`);
    await surface('crowd-polyline').waitFor();

    // Polygon: three clicks, then a fourth point, then a click on the first vertex closes it.
    await clickOnImage(page, surface('crowd-polygon'), IMAGE, [[20, 20], [120, 20], [120, 90], [20, 90]]);
    await task.getByRole('button', { name: 'Submit' }).click();
    await task.getByText('Finish the polygon you are drawing (Enter) or cancel it (Escape).').waitFor();
    await clickOnImage(page, surface('crowd-polygon'), IMAGE, [[20, 20]]);
    // A second polygon labelled Forest, closed with Enter.
    await task.getByRole('radio', { name: /Forest/ }).check();
    await clickOnImage(page, surface('crowd-polygon'), IMAGE, [[200, 100], [280, 110], [240, 180]]);
    await task.getByRole('application', { name: 'Outline the fields' }).press('Enter');

    // Keypoints: two clicks, the second Pine, then the first dragged to a new place.
    await clickOnImage(page, surface('crowd-keypoint'), IMAGE, [[50, 60]]);
    await task.getByRole('radio', { name: /Pine/ }).check();
    await clickOnImage(page, surface('crowd-keypoint'), IMAGE, [[150, 160]]);
    await dragOnImage(page, surface('crowd-keypoint'), IMAGE, [50, 60], [55, 65]);

    // Line: one drag, then its end dragged further.
    await dragOnImage(page, surface('crowd-line'), IMAGE, [10, 190], [200, 150]);
    await dragOnImage(page, surface('crowd-line'), IMAGE, [200, 150], [210, 140]);

    // Polyline: clicks, finished by a double-click; a started one cancelled with Escape.
    await clickOnImage(page, surface('crowd-polyline'), IMAGE, [[10, 10], [100, 50], [200, 20]], true);
    await clickOnImage(page, surface('crowd-polyline'), IMAGE, [[250, 150], [260, 160]]);
    await task.getByRole('application', { name: 'Trace the paths' }).press('Escape');

    await task.getByRole('button', { name: 'Submit' }).click();
    const properties = { height: 200, width: 300 };
    assert.deepEqual(await storedAnswer(), {
      areas: {
        inputImageProperties: properties,
        polygons: [
          { label: 'Field', vertices: [{ x: 20, y: 20 }, { x: 120, y: 20 }, { x: 120, y: 90 }, { x: 20, y: 90 }] },
          { label: 'Forest', vertices: [{ x: 200, y: 100 }, { x: 280, y: 110 }, { x: 240, y: 180 }] },
        ],
      },
      edges: { inputImageProperties: properties, lines: [{ label: 'Fence', vertices: [{ x: 10, y: 190 }, { x: 210, y: 140 }] }] },
      paths: {
        inputImageProperties: properties,
        polylines: [{ label: 'Path', vertices: [{ x: 10, y: 10 }, { x: 100, y: 50 }, { x: 200, y: 20 }] }],
      },
      trees: {
        inputImageProperties: properties,
        keypoints: [
          { label: 'Oak', x: 55, y: 65 },
          { label: 'Pine', x: 150, y: 160 },
        ],
      },
    });
    await finish();
  });

  test('keyboard on a 390 px screen: vertices moved, shapes added and deleted; initialValueModified', { timeout: 60_000 }, async () => {
    const { page, task, storedAnswer, finish } = await openAnnotationTask(tandem, browser, 'shapekeys', KEYBOARD_TEMPLATE, { image: svgImage(300, 200) });
    await page.setViewportSize({ width: 390, height: 844 });
    const polygon = task.getByRole('application', { name: 'Outline the fields' });
    await polygon.waitFor();
    await assertNoSidewaysScroll(task);

    // Polygon: select it, select its third vertex, move that vertex 10 px down (Shift) with Alt.
    await polygon.focus();
    await polygon.press(']');
    for (const key of ['.', '.', '.']) await polygon.press(key);
    const step = await task.locator('crowd-polygon').evaluate((el) => (el as unknown as { keyStep: number }).keyStep);
    await polygon.press('Shift+Alt+ArrowDown');

    // Polyline: the initial one deleted, a new one added with N and moved right.
    const polyline = task.getByRole('application', { name: 'Trace the paths' });
    await polyline.focus();
    await polyline.press(']');
    await polyline.press('Delete');
    await polyline.press('n');
    await polyline.press('ArrowRight');

    // Line: untouched, so not modified.
    await task.getByRole('button', { name: 'Submit' }).click();
    const answer = (await storedAnswer()) as Record<string, { [key: string]: unknown }>;
    assert.deepEqual(answer.areas, {
      initialValueModified: true,
      inputImageProperties: { height: 200, width: 300 },
      polygons: [{ label: 'Field', vertices: [{ x: 10, y: 10 }, { x: 50, y: 10 }, { x: 30, y: 40 + 10 * step }] }],
    });
    assert.deepEqual(answer.edges, {
      initialValueModified: false,
      inputImageProperties: { height: 200, width: 300 },
      lines: [{ label: 'Fence', vertices: [{ x: 5, y: 5 }, { x: 60, y: 5 }] }],
    });
    const polylines = answer.paths!.polylines as Array<{ label: string; vertices: Array<{ x: number; y: number }> }>;
    assert.equal(answer.paths!.initialValueModified, true);
    assert.equal(polylines.length, 1);
    assert.equal(polylines[0]!.label, 'Path');
    assert.equal(polylines[0]!.vertices.length, 3, 'the keyboard polyline has three vertices');
    await finish();
  });
});
