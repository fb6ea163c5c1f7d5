/**
 * Driving the worker portal in Chromium as a person would: labelled fields, buttons by their
 * accessible names, the task template inside its sandboxed frame.
 */
import { after, before } from 'node:test';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { addWorker } from '../../src/operations/workers.js';
import type { TestDialect } from '../support/databases.js';
import { launchChromium } from '../support/environment.js';
import { startTestTandem, type TestTandem } from '../support/tandem.js';
import { ensureWebBundles } from '../portal/web-bundles.js';

export const WORKER_PASSWORD = 'a long enough password';

/** What a browser test of the portal runs against. */
export interface PortalRig {
  tandem: TestTandem;
  browser: Browser;
}

/**
 * For a `describe` block: before its tests, builds the portal's web bundles when stale and starts a
 * Tandem on `dialect` and Chromium, handing both to `started`; after them, closes the browser,
 * then the Tandem.
 *
 * @example
 * ```ts
 * let tandem: TestTandem;
 * let browser: Browser;
 * usePortalRig(dialect, (rig) => ({ tandem, browser } = rig));
 * ```
 */
export function usePortalRig(dialect: TestDialect, started: (rig: PortalRig) => unknown): void {
  let tandem: TestTandem | undefined;
  let browser: Browser | undefined;
  before(async () => {
    await ensureWebBundles();
    tandem = await startTestTandem(dialect);
    browser = await launchChromium();
    await started({ tandem, browser });
  });
  after(async () => {
    await browser?.close();
    await tandem?.stop();
  });
}

/** Adds a worker with {@link WORKER_PASSWORD} to `teams`; returns the worker id. */
export async function addPasswordWorker(tandem: TestTandem, email: string, teams: string[]): Promise<string> {
  const { worker } = await addWorker(tandem.resources, { accountId: tandem.accountId, email, teams, password: WORKER_PASSWORD });
  return worker.workerId;
}

export interface WorkerPage {
  page: Page;
  /** Problems the page reported (console errors, CSP violations, uncaught exceptions). */
  problems: string[];
  close(): Promise<void>;
}

/** A fresh browser context signed in at /portal through the form; the task page is open. */
export async function signInAs(browser: Browser, tandem: TestTandem, email: string): Promise<WorkerPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  await page.goto(`${tandem.url}/portal`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(WORKER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/portal\/work/);
  return { page, problems, close: () => context.close() };
}

/** The template of the task on screen. */
export function taskFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe[title^="Task"]');
}

/** Answers the classifier + note template (test/support/fixtures.ts SIMPLE_TEMPLATE) and presses the portal's Submit. */
export async function answerSimpleTask(page: Page, answer: { category: string; note: string }): Promise<void> {
  const task = taskFrame(page);
  await task.getByRole('radiogroup').waitFor();
  await task.getByText(answer.category, { exact: true }).click();
  await task.getByLabel('Note').fill(answer.note);
  await task.getByRole('button', { name: 'Submit' }).click(); // the template's own: the portal shows no second one
}

/** The portal's status line. */
export function statusLine(page: Page) {
  return page.getByRole('status').first();
}
