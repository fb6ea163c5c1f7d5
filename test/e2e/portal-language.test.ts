/**
 * The portal in the reviewer's language (issue 14), in Debian Chromium: a browser set to German
 * gets the portal's own texts in German (sign-in, errors, invite, task page, shortcuts, live
 * announcements, Home, History), while the worker template stays as written; the language switch
 * changes it and the choice survives a reload. One browser, SQLite (the store side of Home and
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
import { addPasswordWorker, usePortalRig, WORKER_PASSWORD } from './portal-browser.js';

const dialect = 'sqlite';

describe('the portal in the reviewer’s language', { skip: skipReason('chromium') || dialectSkip(dialect) }, () => {
  let tandem: TestTandem;
  let browser: Browser;
  usePortalRig(dialect, (rig) => ({ tandem, browser } = rig));

  const frameOf = (page: Page) => page.frameLocator('#frame-slot iframe');
  const status = (page: Page) => page.locator('#status');

  test('German from the browser’s language; the template stays as written; the switch changes it and persists', { timeout: 90_000 }, async () => {
    const { FlowDefinitionArn } = await createReviewSetup(tandem, 'lang', { taskCount: 1 });
    for (const [i, text] of ['Barks at the mailman.', 'Purrs on the sofa.'].entries()) {
      await tandem.a2i.send(
        new StartHumanLoopCommand({
          HumanLoopName: `lang-loop-${i}`,
          FlowDefinitionArn,
          HumanLoopInput: { InputContent: JSON.stringify({ question: 'Which animal?', text }) },
        }),
      );
    }
    await addPasswordWorker(tandem, 'sprache@example.com', ['lang-team']);
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();

    // Sign-in and its error, in German.
    await page.goto(`${tandem.url}/portal`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    await page.getByLabel('E-Mail-Adresse').fill('sprache@example.com');
    await page.getByLabel('Passwort').fill('not the password');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByRole('alert').filter({ hasText: 'E-Mail-Adresse oder Passwort ist falsch.' }).waitFor();
    await page.getByLabel('Passwort').fill(WORKER_PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL(/\/portal\/work/);

    // The task page's chrome and announcements in German; the template's texts as written.
    const frame = frameOf(page);
    await frame.getByText('Barks at the mailman.').waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Aufgaben' }).getAttribute('aria-current'), 'page');
    assert.match((await page.locator('.timer').textContent()) ?? '', /^Verbleibende Zeit:/);
    assert.match((await page.locator('#frame-slot iframe').getAttribute('title')) ?? '', /^Aufgabe: Classify$/);
    await frame.getByText('Which animal?').waitFor();
    await frame.getByLabel('Note').waitFor();
    await frame.getByRole('button', { name: 'Submit' }).waitFor({ state: 'visible' });
    await page.locator('#task-title').click();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Tastenkürzel' });
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', /wählt diese Option[\s\S]*sendet die Antwort ab[\s\S]*überspringt die Aufgabe/);
    await dialog.getByRole('button', { name: 'Schließen' }).click();
    await frame.getByText('Dog', { exact: true }).click();
    await frame.getByRole('button', { name: 'Submit' }).click();
    await frame.getByText('Purrs on the sofa.').waitFor();
    await status(page).filter({ hasText: 'Antwort gespeichert. Neue Aufgabe: Classify' }).waitFor();

    // The API's own refusals come in German too (a request without the CSRF token).
    const refusal = await page.evaluate(async () => {
      const response = await fetch('/portal/api/tasks/next', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return ((await response.json()) as { message: string }).message;
    });
    assert.match(refusal, /^Diese Anfrage konnte nicht bestätigt werden/);

    // Home and History.
    await page.getByRole('link', { name: 'Übersicht' }).click();
    await page.getByRole('heading', { name: 'Ihre Warteschlangen' }).waitFor();
    assert.equal(await page.locator('#answered-today').textContent(), '1');
    await page.getByRole('link', { name: 'Verlauf' }).click();
    await page.getByRole('heading', { name: 'Ihre Antworten' }).waitFor();
    assert.equal(await page.getByRole('row').filter({ hasText: 'lang-loop-0' }).count(), 1);
    assert.match((await page.locator('thead').textContent()) ?? '', /Eingereicht[\s\S]*Benötigte Zeit/);

    // The switch: English at once, after a reload, and on the next page.
    const languages = page.getByRole('navigation', { name: 'Sprache' });
    assert.equal(await languages.getByRole('link', { name: 'Deutsch' }).getAttribute('aria-current'), 'true');
    await languages.getByRole('link', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Your answers' }).waitFor();
    assert.match(page.url(), /\/portal\/history$/);
    await page.reload();
    await page.getByRole('heading', { name: 'Your answers' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.getByRole('link', { name: 'Tasks' }).click();
    await frame.getByText('Purrs on the sofa.').waitFor();
    assert.match((await page.locator('.timer').textContent()) ?? '', /^Time left:/);

    // And back to German, which the next sign-in page keeps.
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Deutsch' }).click();
    await page.getByRole('link', { name: 'Aufgaben' }).waitFor();
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.getByText('Sie sind abgemeldet.').waitFor();
    await context.close();
  });

  test('an English browser gets English; the invite page and a missing page in German when chosen', { timeout: 60_000 }, async () => {
    await createReviewSetup(tandem, 'invite');
    const { inviteUrl } = await addWorker(tandem.resources, { accountId: tandem.accountId, email: 'neu@example.com', teams: ['invite-team'] });
    assert.ok(inviteUrl);
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    const invitePath = new URL(inviteUrl).pathname;
    await page.goto(`${tandem.url}${invitePath}`);
    await page.getByRole('heading', { name: 'Set your password' }).waitFor();
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Deutsch' }).click();
    await page.getByRole('heading', { name: 'Passwort festlegen' }).waitFor();
    assert.equal(new URL(page.url()).pathname, invitePath);
    await page.getByLabel('Passwort', { exact: true }).fill('erstes passwort 1');
    await page.getByLabel('Passwort bestätigen').fill('zweites passwort 2');
    await page.getByRole('button', { name: 'Passwort festlegen und anmelden' }).click();
    await page.getByRole('alert').filter({ hasText: 'Die beiden Passwörter stimmen nicht überein.' }).waitFor();

    const missing = await page.goto(`${tandem.url}/portal/nowhere`);
    assert.equal(missing?.status(), 404);
    await page.getByRole('heading', { name: 'Anfrage abgelehnt' }).waitFor();
    await page.getByText('Diese Seite gibt es nicht.').waitFor();
    await context.close();
  });
});
