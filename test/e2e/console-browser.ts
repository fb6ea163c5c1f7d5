/**
 * Driving the admin console in Chromium: sign-in through the form, axe-core checks of a page,
 * and the console bundle built when stale.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { WEB_BUNDLE_DIR } from '../../src/api/portal/assets.js';
import { addAdmin } from '../../src/operations/admins.js';
import type { TestTandem } from '../support/tandem.js';
import { ensureWebBundles } from '../portal/web-bundles.js';

export const ADMIN_PASSWORD = 'a long admin password';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The portal's bundles and dist/web/console.js, rebuilt when older than web/. */
export async function ensureConsoleBundles(): Promise<void> {
  await ensureWebBundles();
  const out = join(WEB_BUNDLE_DIR, 'console.js');
  const newest = Math.max(...readdirSync(join(ROOT, 'web/console')).map((f) => statSync(join(ROOT, 'web/console', f)).mtimeMs));
  if (existsSync(out) && statSync(out).mtimeMs >= newest) return;
  const { buildWeb, webEntries } = (await import(new URL('../../scripts/build-web.mjs', import.meta.url).href)) as {
    buildWeb(o: { entries: unknown[] }): Promise<unknown>;
    webEntries: Array<{ out: string }>;
  };
  await buildWeb({ entries: webEntries.filter((e) => e.out === 'console') });
}

export async function addConsoleAdmin(tandem: TestTandem, email: string, role: 'admin' | 'viewer' = 'admin'): Promise<void> {
  await addAdmin(tandem.resources, { email, role, accountId: tandem.accountId, password: ADMIN_PASSWORD });
}

export interface ConsolePage {
  page: Page;
  problems: string[];
  close(): Promise<void>;
}

/** A fresh context signed in at /console with the keyboard only (Tab, typing, Enter). */
export async function signInToConsole(browser: Browser, tandem: TestTandem, email: string): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(`${tandem.url}/`);
  await page.waitForURL(/\/console$/);
  // The email field has autofocus; the rest by keyboard.
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(ADMIN_PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/console\/loops/);
  return { page, problems, close: () => context.close() };
}

let axeSource: string | undefined;

/** Runs axe-core in the page; fails on serious or critical violations, naming them. */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  axeSource ??= await readFile(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
  // The console's CSP forbids inline script, so axe goes in through the DevTools protocol, not a <script>.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
    const result = await axe.run();
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
  assert.deepEqual(violations, [], `${label}: axe found serious/critical violations`);
}
