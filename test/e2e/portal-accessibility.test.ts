/**
 * The portal's accessibility (issue 14, WCAG 2.2 AA), in Debian Chromium: axe-core finds no
 * serious or critical violation on the sign-in, invite, home, task and history pages; a reviewer
 * signs in, answers and reaches the next task with the keyboard only; focus rings have 3:1
 * contrast; form errors are tied to their fields and go away once fixed; the live region
 * announces a saved answer and the new task. One browser, SQLite (the store side of Home and
 * History is tested on both dialects in test/store/reviewer-overview.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import type { Browser, Page } from 'playwright-core';
import { addWorker } from '../../src/operations/workers.js';
import { dialectSkip } from '../support/databases.js';
import { skipReason } from '../support/environment.js';
import { createReviewSetup } from '../support/fixtures.js';
import type { TestTandem } from '../support/tandem.js';
import { assertAccessible } from './console-browser.js';
import { addPasswordWorker, usePortalRig, WORKER_PASSWORD } from './portal-browser.js';

const dialect = 'sqlite';

/** WCAG relative luminance contrast of two `rgb(...)`/`rgba(...)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (color: string) => {
    const [r, g, bl] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((c) => {
      const s = Number(c) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The focused element's outline, and the opaque background it is drawn on (its parent's). */
async function focusRing(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement;
    const style = getComputedStyle(element);
    let behind: Element | null = element.parentElement;
    let background = 'rgb(255, 255, 255)';
    while (behind) {
      const color = getComputedStyle(behind).backgroundColor;
      if (color !== 'rgba(0, 0, 0, 0)' && color !== 'transparent') {
        background = color;
        break;
      }
      behind = behind.parentElement;
    }
    return { name: `${element.tagName.toLowerCase()} ${element.textContent?.trim().slice(0, 30) ?? ''}`, outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), outlineColor: style.outlineColor, background };
  });
}

describe('the portal is accessible', { skip: skipReason('chromium') || dialectSkip(dialect) }, () => {
  let tandem: TestTandem;
  let browser: Browser;
  usePortalRig(dialect, (rig) => ({ tandem, browser } = rig));

  async function startLoops(prefix: string, texts: string[]): Promise<void> {
    const { FlowDefinitionArn } = await createReviewSetup(tandem, prefix, { taskCount: 1 });
    for (const [i, text] of texts.entries()) {
      await tandem.a2i.send(
        new StartHumanLoopCommand({
          HumanLoopName: `${prefix}-loop-${i}`,
          FlowDefinitionArn,
          HumanLoopInput: { InputContent: JSON.stringify({ question: 'Which animal?', text }) },
        }),
      );
    }
  }

  test('keyboard only: sign in, choose with a number key, Enter submits, the next task is announced; axe on every page', { timeout: 120_000 }, async () => {
    await startLoops('keys', ['Barks at the mailman.', 'Purrs on the sofa.', 'Hoots at night.']);
    await addPasswordWorker(tandem, 'keyboard@example.com', ['keys-team']);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const frame = page.frameLocator('#frame-slot iframe');

    await page.goto(`${tandem.url}/portal`);
    await assertAccessible(page, 'sign-in page');
    // The email field has autofocus; the rest is Tab, typing and Enter.
    await page.keyboard.type('keyboard@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type(WORKER_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/portal\/work/);
    await frame.getByText('Barks at the mailman.').waitFor();
    await frame.getByRole('button', { name: 'Submit' }).waitFor({ state: 'visible' });
    await assertAccessible(page, 'task page');
    const status = page.locator('#status');
    assert.equal(await status.getAttribute('role'), 'status');
    assert.equal(await status.getAttribute('aria-live'), 'polite');

    await page.keyboard.press('1');
    await frame.getByRole('radio', { name: 'Cat' }).and(frame.locator(':checked')).waitFor();
    await page.keyboard.press('Enter');
    await frame.getByText('Purrs on the sofa.').waitFor();
    await status.filter({ hasText: 'Answer saved. New task: Classify' }).waitFor();
    const stored = await tandem.resources.store.db
      .selectFrom('answers as a')
      .innerJoin('human_loops as l', 'l.id', 'a.human_loop_id')
      .innerJoin('workers as w', 'w.id', 'a.worker_id')
      .select(['a.answer_content', 'l.name'])
      .where('w.email', '=', 'keyboard@example.com')
      .execute();
    assert.deepEqual(
      stored.map((row) => [row.name, (JSON.parse(row.answer_content) as { category: unknown }).category]),
      [['keys-loop-0', { label: 'Cat' }]],
    );

    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await assertAccessible(page, 'task page with the shortcuts dialog');
    await page.keyboard.press('Escape');

    await page.goto(`${tandem.url}/portal/home`);
    await page.getByRole('row').filter({ hasText: 'keys-flow' }).waitFor();
    await assertAccessible(page, 'home page');
    await page.goto(`${tandem.url}/portal/history`);
    await page.getByRole('row').filter({ hasText: 'keys-loop-0' }).waitFor();
    await assertAccessible(page, 'history page');
    await context.close();
  });

  test('focus rings have 3:1 contrast against what surrounds them', { timeout: 60_000 }, async () => {
    await startLoops('ring', ['Sleeps all day.']);
    await addPasswordWorker(tandem, 'ring@example.com', ['ring-team']);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${tandem.url}/portal`);
    await page.getByLabel('Email').fill('ring@example.com');
    await page.getByLabel('Password').fill(WORKER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/portal\/work/);
    await page.goto(`${tandem.url}/portal/home`);
    const seen: string[] = [];
    // The skip link, brand, sections, languages, Sign out, Start reviewing: every stop has its ring.
    for (let stop = 0; stop < 9; stop++) {
      await page.keyboard.press('Tab');
      const ring = await focusRing(page);
      seen.push(ring.name);
      assert.equal(ring.outlineStyle, 'solid', `${ring.name}: no focus ring`);
      assert.ok(ring.outlineWidth >= 2, `${ring.name}: focus ring ${ring.outlineWidth}px`);
      const ratio = contrast(ring.outlineColor, ring.background);
      assert.ok(ratio >= 3, `${ring.name}: focus ring ${ring.outlineColor} on ${ring.background} is ${ratio.toFixed(2)}:1`);
    }
    assert.ok(seen.some((name) => name.startsWith('button')), `a button was among ${seen.join(', ')}`);
    await context.close();
  });

  test('form errors are tied to their fields and cleared once fixed; the invite page passes axe', { timeout: 60_000 }, async () => {
    await createReviewSetup(tandem, 'form');
    await addPasswordWorker(tandem, 'typo@example.com', ['form-team']);
    const { inviteUrl } = await addWorker(tandem.resources, { accountId: tandem.accountId, email: 'invited@example.com', teams: ['form-team'] });
    const context = await browser.newContext();
    const page = await context.newPage();

    await page.goto(`${tandem.url}/portal`);
    await page.getByLabel('Email').fill('typo@example.com');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = page.locator('#form-error');
    await error.filter({ hasText: 'The email or password is incorrect.' }).waitFor();
    for (const field of ['Email', 'Password']) {
      assert.equal(await page.getByLabel(field).getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByLabel(field).getAttribute('aria-describedby'), 'form-error');
    }
    await assertAccessible(page, 'sign-in page with an error');
    // The password field has the focus (the email was kept); a new one clears the error.
    await page.keyboard.type('another try');
    await error.waitFor({ state: 'hidden' });
    assert.equal(await page.getByLabel('Password').getAttribute('aria-invalid'), null);
    assert.equal(await page.getByLabel('Password').getAttribute('aria-describedby'), null);

    await page.goto(inviteUrl!.replace(/^https?:\/\/[^/]+/, tandem.url));
    await assertAccessible(page, 'invite page');
    await page.getByLabel('Password', { exact: true }).fill('first password 1');
    await page.getByLabel('Confirm password').fill('second password 2');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await error.filter({ hasText: 'The two passwords differ.' }).waitFor();
    assert.equal(await page.getByLabel('Confirm password').getAttribute('aria-describedby'), 'form-error');
    assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('aria-describedby'), 'form-error password-rule');
    await assertAccessible(page, 'invite page with an error');
    // Still different: the error stays; the same password twice: it goes.
    await page.getByLabel('Password', { exact: true }).fill('first password 1');
    await page.getByLabel('Confirm password').fill('first password');
    assert.equal(await error.isVisible(), true);
    await page.getByLabel('Confirm password').fill('first password 1');
    await error.waitFor({ state: 'hidden' });
    assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('aria-describedby'), 'password-rule');
    await context.close();
  });
});
