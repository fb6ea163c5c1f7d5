/**
 * One reviewer, one task, one template, in the real portal: for the crowd-element tests that
 * operate an element in the task frame and read what A2I stores (`answerContent` in the loop's
 * output.json).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateFlowDefinitionCommand, CreateHumanTaskUiCommand, CreateWorkteamCommand } from '@aws-sdk/client-sagemaker';
import { DescribeHumanLoopCommand, StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import type { TestTandem } from '../support/tandem.js';
import { addPasswordWorker, signInAs, taskFrame } from './portal-browser.js';

export interface AnnotationTask {
  page: Page;
  task: FrameLocator;
  /** Waits for the loop to complete and returns the one answer's `answerContent` from output.json. */
  storedAnswer(): Promise<unknown>;
  /** Fails when the page reported console errors, failed requests or exceptions; closes it. */
  finish(): Promise<void>;
}

/**
 * Creates a task UI from `template`, a flow with one review, a loop with `input`, a reviewer in
 * its team, and signs the reviewer in; the task is on screen when this returns.
 */
export async function openAnnotationTask(
  tandem: TestTandem,
  browser: Browser,
  prefix: string,
  template: string,
  input: Record<string, unknown>,
): Promise<AnnotationTask> {
  const { WorkteamArn } = await tandem.sagemaker.send(
    new CreateWorkteamCommand({
      WorkteamName: `${prefix}-team`,
      Description: 'annotators',
      MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'us-east-1_tandem', UserGroup: prefix, ClientId: 'tandem' } }],
    }),
  );
  const { HumanTaskUiArn } = await tandem.sagemaker.send(
    new CreateHumanTaskUiCommand({ HumanTaskUiName: `${prefix}-ui`, UiTemplate: { Content: template } }),
  );
  const { FlowDefinitionArn } = await tandem.sagemaker.send(
    new CreateFlowDefinitionCommand({
      FlowDefinitionName: `${prefix}-flow`,
      RoleArn: 'arn:aws:iam::111122223333:role/tandem-test',
      OutputConfig: { S3OutputPath: 's3://test-bucket/output' },
      HumanLoopConfig: {
        WorkteamArn: WorkteamArn!,
        HumanTaskUiArn: HumanTaskUiArn!,
        TaskTitle: 'Annotate',
        TaskDescription: `annotate (${prefix})`,
        TaskCount: 1,
        TaskTimeLimitInSeconds: 600,
        TaskAvailabilityLifetimeInSeconds: 3600,
      },
    }),
  );
  const loopName = `${prefix}-loop`;
  await tandem.a2i.send(
    new StartHumanLoopCommand({ HumanLoopName: loopName, FlowDefinitionArn, HumanLoopInput: { InputContent: JSON.stringify(input) } }),
  );
  const email = `${prefix}@example.com`;
  await addPasswordWorker(tandem, email, [`${prefix}-team`]);
  const worker = await signInAs(browser, tandem, email);
  await worker.page.locator('iframe[title^="Task"]').waitFor();
  return {
    page: worker.page,
    task: taskFrame(worker.page),
    async storedAnswer() {
      const deadline = Date.now() + 10_000;
      let loop = await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: loopName }));
      while (loop.HumanLoopStatus !== 'Completed' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        loop = await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: loopName }));
      }
      assert.equal(loop.HumanLoopStatus, 'Completed');
      const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(loop.HumanLoopOutput?.OutputS3Uri ?? '') ?? [];
      const output = JSON.parse(await readFile(join(tandem.resources.config.outputDir, bucket!, key!), 'utf8')) as {
        humanAnswers: Array<{ answerContent: unknown }>;
      };
      assert.equal(output.humanAnswers.length, 1);
      return output.humanAnswers[0]!.answerContent;
    },
    async finish() {
      assert.deepEqual(worker.problems, [], 'no console errors, failed requests or exceptions');
      await worker.close();
    },
  };
}

/** Fails when the task frame's document is wider than its frame at the page's current width. */
export async function assertNoSidewaysScroll(task: FrameLocator): Promise<void> {
  const size = await task.locator('html').evaluate((html) => ({ scroll: html.scrollWidth, client: html.clientWidth }));
  assert.ok(size.scroll <= size.client, `nothing cut off sideways (${size.scroll} > ${size.client})`);
}

/** An SVG image of `width`×`height` pixels, as a data: URL (the task frame's CSP allows them). */
export function svgImage(width: number, height: number): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="#cfe3f7"/><circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="#e8a33d"/></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

type ImagePoint = readonly [number, number];

/**
 * Where source-image pixel (x, y) of an annotator's drawing surface (`svg`) is on the page now,
 * measured after scrolling it into view (the page scrolls as the frame grows).
 */
export async function imagePointOnPage(svg: Locator, image: { width: number; height: number }): Promise<(p: ImagePoint) => { x: number; y: number }> {
  // The frame resizes (and the page may scroll) a moment after the previous shape was drawn; on a
  // loaded machine that can land mid-drag, so wait until the surface stays put.
  let box = await stableBox(svg);
  for (let tries = 0; tries < 20; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await stableBox(svg);
    if (again.x === box.x && again.y === box.y && again.width === box.width && again.height === box.height) break;
    box = again;
  }
  return ([x, y]) => ({ x: box.x + (x * box.width) / image.width, y: box.y + (y * box.height) / image.height });
}

async function stableBox(svg: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  await svg.scrollIntoViewIfNeeded();
  const box = await svg.boundingBox();
  assert.ok(box, 'the drawing surface is visible');
  return box;
}

/** Presses the mouse at image pixel `from`, moves to `to` in two steps and releases it. */
export async function dragOnImage(page: Page, svg: Locator, image: { width: number; height: number }, from: ImagePoint, to: ImagePoint): Promise<void> {
  const at = await imagePointOnPage(svg, image);
  const [a, b] = [at(from), at(to)];
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2);
  await page.mouse.move(b.x, b.y);
  await page.mouse.up();
}

/** Clicks image pixels one after another (`dblclick` on the last when `double`). */
export async function clickOnImage(page: Page, svg: Locator, image: { width: number; height: number }, points: readonly ImagePoint[], double = false): Promise<void> {
  const at = await imagePointOnPage(svg, image);
  for (const [i, point] of points.entries()) {
    const p = at(point);
    if (double && i === points.length - 1) await page.mouse.dblclick(p.x, p.y);
    else await page.mouse.click(p.x, p.y);
  }
}
