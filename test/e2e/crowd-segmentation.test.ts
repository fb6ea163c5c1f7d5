/**
 * crowd-semantic-segmentation and crowd-instance-segmentation in the real task frame: regions
 * filled as polygons, painted with the brush, erased, undone; output.json holds the documented
 * shape, and its PNG (decoded here) has the source image's size with the label colours exactly
 * where the reviewer painted, whatever the display scale. An `initial-value` mask comes back
 * unchanged with `initialValueModified: false`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser, FrameLocator } from 'playwright-core';
import { skipReason } from '../support/environment.js';
import { decodePng, encodePng, pixelColor, type RgbaImage } from '../support/png.js';
import type { TestTandem } from '../support/tandem.js';
import { clickOnImage, dragOnImage, openAnnotationTask, svgImage } from './annotation-task.js';
import { usePortalRig } from './portal-browser.js';

const TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-semantic-segmentation name="scene" src="{{ task.input.image }}" header="Paint the sky and the road"
    labels="['Sky', 'Road']" {% if task.input.initial %}initial-value="{{ task.input.initial | to_json | escape }}"{% endif %}>
    <short-instructions>Every pixel of sky and road.</short-instructions>
  </crowd-semantic-segmentation>
  {% unless task.input.initial %}
  <crowd-instance-segmentation name="cars" src="{{ task.input.image }}" header="Paint each car" labels="['Car']"></crowd-instance-segmentation>
  {% endunless %}
</crowd-form>`;

const IMAGE = { width: 400, height: 200 };

type Segmentation = { inputImageProperties: unknown; labeledImage: { pngImageData: string }; [key: string]: unknown };

function mask(answer: Segmentation): RgbaImage {
  const image = decodePng(Buffer.from(answer.labeledImage.pngImageData, 'base64'));
  assert.deepEqual([image.width, image.height], [IMAGE.width, IMAGE.height], 'the mask has the source image size');
  return image;
}

function colorsAt(image: RgbaImage, points: ReadonlyArray<readonly [number, number]>): string[] {
  return points.map(([x, y]) => pixelColor(image, x, y));
}

async function fillPolygon(task: FrameLocator, page: Parameters<typeof clickOnImage>[0], tag: string, points: ReadonlyArray<readonly [number, number]>): Promise<void> {
  const element = task.locator(tag);
  await element.getByRole('button', { name: 'Polygon fill' }).click();
  await clickOnImage(page, element.locator('.stage'), IMAGE, points);
  await element.getByRole('application').press('Enter');
}

describe('segmentation elements in the task frame', { skip: skipReason('chromium') }, () => {
  let tandem: TestTandem;
  let browser: Browser;
  usePortalRig('sqlite', (rig) => ({ tandem, browser } = rig));

  test('polygon fill, brush, eraser, undo/redo, instances; the PNG holds the painted pixels', { timeout: 60_000 }, async () => {
    const { page, task, storedAnswer, finish } = await openAnnotationTask(tandem, browser, 'segment', TEMPLATE, { image: svgImage(400, 200) });
    const semantic = task.locator('crowd-semantic-segmentation');
    const stage = semantic.locator('.stage');
    await stage.waitFor();
    const shown = (await stage.boundingBox())!;
    assert.ok(Math.abs(shown.width - IMAGE.width) > 20, `shown at another scale than 1:1 (${shown.width} px wide)`);

    // Sky: a filled polygon, with a hole rubbed out by the eraser.
    await fillPolygon(task, page, 'crowd-semantic-segmentation', [[20, 20], [120, 20], [120, 90], [20, 90]]);
    await semantic.getByRole('button', { name: 'Eraser' }).click();
    await dragOnImage(page, stage, IMAGE, [60, 50], [62, 50]);
    // Road: a brush stroke (radius 5 image pixels on a 200 px high image).
    await semantic.getByRole('radio', { name: /Road/ }).check();
    await semantic.getByRole('button', { name: 'Brush' }).click();
    await dragOnImage(page, stage, IMAGE, [250, 150], [350, 150]);
    // A stray stroke, undone; redone and undone again by keys.
    await dragOnImage(page, stage, IMAGE, [200, 30], [220, 30]);
    await semantic.getByRole('button', { name: 'Undo' }).click();
    await semantic.getByRole('application').press('Control+y');
    await semantic.getByRole('application').press('Control+z');
    await semantic.getByRole('listitem').filter({ hasText: 'Road' }).waitFor();

    // Two cars: the second starts with New instance.
    await fillPolygon(task, page, 'crowd-instance-segmentation', [[200, 20], [260, 20], [260, 60], [200, 60]]);
    await task.locator('crowd-instance-segmentation').getByRole('button', { name: 'New instance' }).click();
    await fillPolygon(task, page, 'crowd-instance-segmentation', [[300, 100], [380, 100], [380, 180], [300, 180]]);
    await task.locator('crowd-instance-segmentation').getByRole('button', { name: 'Car 2', exact: true }).waitFor();

    await task.getByRole('button', { name: 'Submit' }).click();
    const answer = (await storedAnswer()) as { scene: Segmentation; cars: Segmentation };
    assert.deepEqual(Object.keys(answer.scene), ['inputImageProperties', 'labelMappings', 'labeledImage']);
    assert.deepEqual(answer.scene.inputImageProperties, { height: 200, width: 400 });
    assert.deepEqual(answer.scene.labelMappings, { Road: { color: '#ff7f0e' }, Sky: { color: '#1f77b4' } });
    const scene = mask(answer.scene);
    assert.deepEqual(
      colorsAt(scene, [[25, 25], [50, 50], [115, 85], [61, 50], [125, 50], [20, 95], [260, 150], [340, 150], [300, 153], [300, 160], [210, 30]]),
      ['#1f77b4', '#1f77b4', '#1f77b4', 'transparent', 'transparent', 'transparent', '#ff7f0e', '#ff7f0e', '#ff7f0e', 'transparent', 'transparent'],
    );

    assert.deepEqual(Object.keys(answer.cars), ['inputImageProperties', 'instances', 'labeledImage']);
    assert.deepEqual(answer.cars.instances, [
      { color: '#1f77b4', label: 'Car' },
      { color: '#ff7f0e', label: 'Car' },
    ]);
    const cars = mask(answer.cars);
    assert.deepEqual(colorsAt(cars, [[230, 40], [340, 140], [280, 80], [50, 50]]), ['#1f77b4', '#ff7f0e', 'transparent', 'transparent']);
    await finish();
  });

  test('initial-value: the starting mask is shown and answered unchanged', { timeout: 60_000 }, async () => {
    const start = new Uint8Array(IMAGE.width * IMAGE.height * 4);
    for (let y = 0; y < 50; y++) for (let x = 0; x < 100; x++) start.set([0x2c, 0xa0, 0x2c, 255], (y * IMAGE.width + x) * 4);
    const initial = {
      labelMappings: { Road: { color: '#2ca02c' } },
      src: `data:image/png;base64,${encodePng({ ...IMAGE, data: start }).toString('base64')}`,
    };
    const { task, storedAnswer, finish } = await openAnnotationTask(tandem, browser, 'segstart', TEMPLATE, { image: svgImage(400, 200), initial });
    await task.locator('crowd-semantic-segmentation').getByRole('listitem').filter({ hasText: 'Road' }).waitFor();
    await task.getByRole('button', { name: 'Submit' }).click();
    const answer = (await storedAnswer()) as { scene: Segmentation };
    assert.equal(answer.scene.initialValueModified, false);
    assert.deepEqual(answer.scene.labelMappings, { Road: { color: '#2ca02c' } });
    assert.deepEqual(colorsAt(mask(answer.scene), [[0, 0], [99, 49], [100, 49], [50, 50]]), ['#2ca02c', '#2ca02c', 'transparent', 'transparent']);
    await finish();
  });
});
