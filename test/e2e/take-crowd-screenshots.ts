/**
 * Takes the crowd-element screenshots in docs/ (crowd-*.png): bounding boxes, polygons,
 * segmentation, entity annotation and a multi-select classifier in use in the real task frame,
 * in Debian Chromium against a throwaway Tandem. Each is the task frame only, kept small.
 *
 *   node --import tsx test/e2e/take-crowd-screenshots.ts [output-dir]
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchChromium } from '../support/environment.js';
import { startTestTandem, type TestTandem } from '../support/tandem.js';
import { ensureWebBundles } from '../portal/web-bundles.js';
import { clickOnImage, dragOnImage, openAnnotationTask } from './annotation-task.js';

const outputDir = process.argv[2] ?? fileURLToPath(new URL('../../docs/', import.meta.url));
const SCENE_SIZE = { width: 640, height: 400 };

/** A street scene drawn in SVG: sky, trees, pavement, road, a car and a cyclist. */
function streetScene(): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400">
  <rect width="640" height="400" fill="#9cc9ec"/>
  <circle cx="560" cy="60" r="30" fill="#ffe07a"/>
  <rect y="180" width="640" height="40" fill="#c9c2b6"/>
  <polygon points="0,400 0,220 640,220 640,400" fill="#6c6f73"/>
  <rect y="300" width="640" height="6" fill="#f2f2f2"/>
  <rect x="60" y="90" width="14" height="95" fill="#6b4a2b"/><circle cx="67" cy="85" r="42" fill="#3f8f3a"/>
  <rect x="250" y="110" width="12" height="75" fill="#6b4a2b"/><circle cx="256" cy="100" r="34" fill="#4e9e43"/>
  <rect x="360" y="240" width="170" height="50" rx="10" fill="#c8352b"/><rect x="390" y="212" width="100" height="36" rx="8" fill="#d9483d"/>
  <rect x="400" y="218" width="36" height="24" fill="#cfe6f7"/><rect x="444" y="218" width="36" height="24" fill="#cfe6f7"/>
  <circle cx="395" cy="292" r="17" fill="#222"/><circle cx="495" cy="292" r="17" fill="#222"/>
  <circle cx="150" cy="330" r="22" fill="none" stroke="#222" stroke-width="5"/><circle cx="220" cy="330" r="22" fill="none" stroke="#222" stroke-width="5"/>
  <polyline points="150,330 180,300 220,330 185,330 180,300" fill="none" stroke="#2a62b8" stroke-width="5"/>
  <circle cx="185" cy="260" r="10" fill="#e8b48a"/><line x1="185" y1="270" x2="182" y2="300" stroke="#2b2b2b" stroke-width="7"/>
</svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.mouse.move(0, 0);
  const path = join(outputDir, name);
  await page.locator('iframe[title^="Task"]').screenshot({ path, animations: 'disabled' });
  process.stdout.write(`wrote ${path} (${Math.round((await stat(path)).size / 1024)} KB)\n`);
}

type Scene = { tandem: TestTandem; browser: Browser };

async function open(scene: Scene, prefix: string, template: string, input: Record<string, unknown>): Promise<{ page: Page; task: FrameLocator }> {
  const opened = await openAnnotationTask(scene.tandem, scene.browser, prefix, `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>\n${template}`, input);
  await opened.page.setViewportSize({ width: 1000, height: 900 });
  return opened;
}

async function boundingBoxes(scene: Scene): Promise<void> {
  const { page, task } = await open(scene, 'shot-boxes', `<crowd-form><crowd-bounding-box name="objects" src="{{ task.input.image }}" header="Box every vehicle and tree" labels="['Vehicle', 'Cyclist', 'Tree']">
  <short-instructions>One box per object, tight around it.</short-instructions></crowd-bounding-box></crowd-form>`, { image: streetScene() });
  const surface = task.locator('crowd-bounding-box svg.upper-canvas');
  await surface.waitFor();
  await dragOnImage(page, surface, SCENE_SIZE, [355, 208], [535, 312]);
  await task.getByRole('radio', { name: /Cyclist/ }).check();
  await dragOnImage(page, surface, SCENE_SIZE, [124, 246], [246, 356]);
  await task.getByRole('radio', { name: /Tree/ }).check();
  await dragOnImage(page, surface, SCENE_SIZE, [24, 42], [110, 186]);
  await shoot(page, 'crowd-bounding-box.png');
}

async function polygons(scene: Scene): Promise<void> {
  const { page, task } = await open(scene, 'shot-polygons', `<crowd-form><crowd-polygon name="areas" src="{{ task.input.image }}" header="Outline the road and the pavement" labels="['Road', 'Pavement']">
  <short-instructions>Click around each area; click the first point again to close it.</short-instructions></crowd-polygon></crowd-form>`, { image: streetScene() });
  const surface = task.locator('crowd-polygon svg.upper-canvas');
  await surface.waitFor();
  await clickOnImage(page, surface, SCENE_SIZE, [[4, 222], [636, 222], [636, 396], [4, 396], [4, 222]]);
  await task.getByRole('radio', { name: /Pavement/ }).check();
  await clickOnImage(page, surface, SCENE_SIZE, [[4, 182], [636, 182], [636, 218], [4, 218]]);
  await task.getByRole('application').press('Enter');
  await task.getByRole('button', { name: 'Polygon 1', exact: true }).click();
  await shoot(page, 'crowd-polygon.png');
}

async function segmentation(scene: Scene): Promise<void> {
  const { page, task } = await open(scene, 'shot-segments', `<crowd-form><crowd-semantic-segmentation name="scene" src="{{ task.input.image }}" header="Paint the sky, the road and the trees" labels="['Sky', 'Road', 'Tree']">
  <short-instructions>Brush (B), polygon fill (P), eraser (E); every pixel gets at most one label.</short-instructions></crowd-semantic-segmentation></crowd-form>`, { image: streetScene() });
  const element = task.locator('crowd-semantic-segmentation');
  const stage = element.locator('.stage');
  await stage.waitFor();
  await element.getByRole('button', { name: 'Polygon fill' }).click();
  await clickOnImage(page, stage, SCENE_SIZE, [[3, 3], [637, 3], [637, 178], [3, 178]]);
  await element.getByRole('application').press('Enter');
  await element.getByRole('radio', { name: /Road/ }).check();
  await clickOnImage(page, stage, SCENE_SIZE, [[3, 222], [637, 222], [637, 397], [3, 397]]);
  await element.getByRole('application').press('Enter');
  await element.getByRole('radio', { name: /Tree/ }).check();
  await element.getByRole('button', { name: 'Brush' }).click();
  for (const [from, to] of [[[45, 60], [90, 60]], [[40, 85], [95, 85]], [[45, 110], [90, 110]], [[235, 85], [275, 85]], [[235, 110], [275, 110]]] as const) {
    await dragOnImage(page, stage, SCENE_SIZE, from, to);
  }
  await shoot(page, 'crowd-segmentation.png');
}

async function entities(scene: Scene): Promise<void> {
  const { page, task } = await open(scene, 'shot-entities', `<crowd-entity-annotation name="entities" header="Mark people, places and dates" text="{{ task.input.text }}"
  labels="[{ label: 'person', shortDisplayName: 'per', fullDisplayName: 'Person' }, { label: 'place', fullDisplayName: 'Place' }, { label: 'date', fullDisplayName: 'Date' }]"
  initial-value="[{ label: 'person', startOffset: 0, endOffset: 10 }]">
  <short-instructions>Drag across the words, or move with the arrow keys and press Enter.</short-instructions></crowd-entity-annotation>`,
  { text: 'Ada Nwosu flew from Lagos to Lisbon on 3 March to meet Tomás Reis.' });
  const text = task.getByRole('application', { name: 'Mark people, places and dates' });
  await text.waitFor();
  const drag = async (piece: number) => {
    const box = (await task.locator(`[data-piece="${piece}"]`).boundingBox())!;
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
    await page.mouse.up();
  };
  await text.press('Digit2');
  await drag(4);
  await drag(6);
  await text.press('Digit3');
  const from = (await task.locator('[data-piece="8"]').boundingBox())!;
  const to = (await task.locator('[data-piece="9"]').boundingBox())!;
  await page.mouse.move(from.x + 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width - 2, to.y + to.height / 2);
  await page.mouse.up();
  await shoot(page, 'crowd-entity-annotation.png');
}

async function multiSelect(scene: Scene): Promise<void> {
  const { page, task } = await open(scene, 'shot-multi', `<crowd-form><crowd-image-classifier-multi-select name="tags" src="{{ task.input.image }}" header="What does the picture show?"
  categories="['Street', 'Vehicle', 'Cyclist', 'Pedestrian', 'Night']" exclusion-category="{ text: 'None of these' }">
  <short-instructions>Tick everything that is in the picture.</short-instructions></crowd-image-classifier-multi-select></crowd-form>`, { image: streetScene() });
  for (const name of ['Street', 'Vehicle', 'Cyclist']) await task.getByRole('checkbox', { name }).check();
  await shoot(page, 'crowd-multi-select.png');
}

await ensureWebBundles();
const tandem = await startTestTandem('sqlite');
const browser = await launchChromium();
try {
  const scene = { tandem, browser };
  await boundingBoxes(scene);
  await polygons(scene);
  await segmentation(scene);
  await entities(scene);
  await multiSelect(scene);
} finally {
  await browser.close();
  await tandem.stop();
}
