/**
 * Takes the portal's screenshots in docs/: the task page at 1280×800 (portal-task.png) and at
 * 390 px (portal-task-phone.png), Home (portal-home.png) and History (portal-history.png), in
 * Debian Chromium against a throwaway Tandem with the demo flow. Each PNG stays under 150 KB.
 *
 *   node --import tsx test/e2e/take-portal-screenshot.ts [output-directory]
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import type { Page } from 'playwright-core';
import { buildArn } from '../../src/domain/arns.js';
import { launchChromium } from '../support/environment.js';
import { startTestTandem } from '../support/tandem.js';
import { ensureWebBundles } from '../portal/web-bundles.js';
import { addPasswordWorker, signInAs, taskFrame, WORKER_PASSWORD } from './portal-browser.js';

const outputDir = process.argv[2] ?? fileURLToPath(new URL('../../docs/', import.meta.url));
const MAX_BYTES = 150 * 1024;

const REVIEWS = [
  'The blender arrived two days late and the lid cracked on first use, but support replaced it without any fuss.',
  'Exactly as described. Quiet, powerful, and easy to clean.',
  'Stopped working after a week. The refund took a month.',
  'It is a kettle. It boils water.',
  'Lovely colour, though the handle gets hot.',
  'Best purchase this year; my whole family uses it daily.',
  'The manual was only in Swedish, otherwise fine.',
];

async function shoot(page: Page, name: string): Promise<void> {
  const path = join(outputDir, name);
  await page.screenshot({ path });
  const bytes = statSync(path).size;
  if (bytes >= MAX_BYTES) throw new Error(`${name} is ${bytes} bytes, over ${MAX_BYTES}`);
  process.stdout.write(`wrote ${path} (${Math.round(bytes / 1024)} KB)\n`);
}

async function taskReady(page: Page): Promise<void> {
  await taskFrame(page).getByRole('radiogroup').waitFor();
  await page.locator('#submit-task[hidden]').waitFor({ state: 'attached' }); // the task is ready: its own Submit shows
}

await ensureWebBundles();
const tandem = await startTestTandem('sqlite', { seedDemo: true });
const browser = await launchChromium();
try {
  const caller = { accountId: tandem.accountId, region: tandem.resources.config.region };
  for (const [i, text] of REVIEWS.entries()) {
    await tandem.a2i.send(
      new StartHumanLoopCommand({
        HumanLoopName: `review-${4711 + i}`,
        FlowDefinitionArn: buildArn('flow-definition', caller, 'demo-flow'),
        HumanLoopInput: { InputContent: JSON.stringify({ text }) },
      }),
    );
  }
  await addPasswordWorker(tandem, 'ana.reviewer@example.com', ['demo']);
  const { page } = await signInAs(browser, tandem, 'ana.reviewer@example.com');
  // Three answers for History and Home's day.
  for (const choice of ['Neutral', 'Positive', 'Negative']) {
    await taskReady(page);
    const next = page.locator('#task-title');
    await taskFrame(page).getByText(choice, { exact: true }).click();
    await taskFrame(page).getByRole('button', { name: 'Submit' }).click();
    await page.locator('#status').filter({ hasText: 'Answer saved.' }).waitFor();
    await next.waitFor();
  }
  await taskReady(page);
  await taskFrame(page).getByText('Neutral', { exact: true }).click();
  await shoot(page, 'portal-task.png');

  // The same reviewer on a phone: the task they hold follows them.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const phonePage = await phone.newPage();
  await phonePage.goto(`${tandem.url}/portal`);
  await phonePage.getByLabel('Email').fill('ana.reviewer@example.com');
  await phonePage.getByLabel('Password').fill(WORKER_PASSWORD);
  await phonePage.getByRole('button', { name: 'Sign in' }).click();
  await phonePage.waitForURL(/\/portal\/work/);
  await taskReady(phonePage);
  await shoot(phonePage, 'portal-task-phone.png');
  await phone.close();

  await page.goto(`${tandem.url}/portal/home`);
  await shoot(page, 'portal-home.png');
  await page.goto(`${tandem.url}/portal/history`);
  await shoot(page, 'portal-history.png');
} finally {
  await browser.close();
  await tandem.stop();
}
