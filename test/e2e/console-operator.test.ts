/**
 * The admin console in Debian Chromium, as an operator uses it: build a task UI in the editor
 * while the preview and answer JSON follow, create a flow definition with the form, start a loop
 * by hand, find it, open it, stop it, see why a loop is stuck, invite a worker, revoke a key (the
 * key's next SDK call is refused). Every page is checked with axe-core.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ListWorkteamsCommand } from '@aws-sdk/client-sagemaker';
import type { Browser } from 'playwright-core';
import { createWorkteam } from '../../src/operations/workteams.js';
import { launchChromium, skipReason } from '../support/environment.js';
import { startTestTandem, type TestTandem } from '../support/tandem.js';
import { addPasswordWorker } from './portal-browser.js';
import { addConsoleAdmin, assertAccessible, ensureConsoleBundles, signInToConsole, type ConsolePage } from './console-browser.js';

const chromiumSkip = skipReason('chromium');

describe('the admin console in the browser (sqlite)', { skip: chromiumSkip }, () => {
  let tandem: TestTandem;
  let browser: Browser;
  let op: ConsolePage;
  before(async () => {
    await ensureConsoleBundles();
    tandem = await startTestTandem('sqlite');
    browser = await launchChromium();
    await addConsoleAdmin(tandem, 'ops@example.com');
    await createWorkteam(tandem.resources, { accountId: tandem.accountId, region: 'us-east-1' }, {
      WorkteamName: 'crew',
      Description: 'the review crew',
      MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'us-east-1_t', UserGroup: 'crew', ClientId: 'c' } }],
    });
    await addPasswordWorker(tandem, 'solo@example.com', ['crew']);
    op = await signInToConsole(browser, tandem, 'ops@example.com');
  });
  after(async () => {
    await op?.close();
    await browser?.close();
    await tandem?.stop();
  });

  test('create a task UI in the editor: the preview and the answer JSON follow the edits', async () => {
    const { page } = op;
    await page.goto(`${tandem.url}/console/task-uis/new?example=transcription`);
    const frame = page.frameLocator('#preview-frame');
    await frame.getByText('Helo wrld', { exact: false }).first().waitFor();
    await page.getByLabel('Sample input').fill('{"prediction": "Bonjour", "confidence": 0.9}');
    await frame.getByText('Model output: Bonjour').waitFor();
    const template = page.locator('#template');
    await template.fill(
      '<crowd-form>\n  <p>Check: {{ task.input.prediction }}</p>\n  <crowd-input name="fixed" label="Fixed text"></crowd-input>\n</crowd-form>',
    );
    await frame.getByText('Check: Bonjour').waitFor();
    // The answer JSON follows every keystroke in the preview, before anything is submitted.
    const fixed = frame.getByLabel('Fixed text');
    const answerJson = page.locator('#answer-json');
    for (const typed of ['B', 'Bo', 'Bon']) {
      await fixed.press(typed.at(-1)!);
      await answerJson.filter({ hasText: `"fixed": "${typed}"` }).waitFor({ timeout: 5_000 });
    }
    await fixed.fill('Bonjour!');
    await answerJson.filter({ hasText: '"fixed": "Bonjour!"' }).waitFor({ timeout: 5_000 });
    await page.getByRole('button', { name: 'Show answer' }).click();
    await page.locator('#answer-json').filter({ hasText: '"fixed": "Bonjour!"' }).waitFor();
    // An unknown filter is reported with its line in the preview.
    await template.fill('<p>\n{{ task.input.prediction | shout }}</p>');
    await frame.getByText('Unknown filter "shout" at line 2').waitFor();
    await template.fill('<crowd-form>\n  <crowd-input name="fixed" label="Fixed text" value="{{ task.input.prediction }}"></crowd-input>\n</crowd-form>');
    await assertAccessible(page, 'template editor');
    await page.getByLabel('Name', { exact: true }).fill('fix-ui');
    await page.getByRole('button', { name: 'Create task UI' }).click();
    await page.waitForURL(/\/console\/task-uis\/fix-ui$/);
    await assertAccessible(page, 'task UI page');
  });

  test('create a flow definition through the form, start a loop by hand, find it, open it, stop it', async () => {
    const { page } = op;
    await page.goto(`${tandem.url}/console/flows/new`);
    await page.getByLabel('Name', { exact: true }).fill('fix-flow');
    await page.getByLabel('Work team').selectOption('crew');
    await page.getByLabel('Task UI').selectOption('fix-ui');
    await page.getByLabel('Task title').fill('Fix the text');
    await page.getByLabel('Task description').fill('Correct the model output');
    await page.getByLabel('Workers per loop (TaskCount)').fill('2');
    await page.getByLabel('Time limit per task (seconds)').fill('600');
    await page.getByLabel('Availability lifetime (seconds)').fill('86400');
    await assertAccessible(page, 'flow form');
    await page.getByRole('button', { name: 'Create flow definition' }).click();
    await page.waitForURL(/\/console\/flows\/fix-flow$/);
    // TaskCount 2 on a team of one: the flow says so.
    await page.getByText('TaskCount is 2 but work team crew has 1 active worker').waitFor();
    await assertAccessible(page, 'flow detail');

    await page.getByRole('link', { name: 'Start a loop' }).click();
    await page.getByLabel('Loop name').fill('hand-made-1');
    await page.getByLabel('Input (JSON object)').fill('{"prediction": "Helo"}');
    await page.getByRole('button', { name: 'Start loop' }).click();
    await page.waitForURL(/\/console\/loops\/hand-made-1/);
    await page.getByRole('status').filter({ hasText: 'Human loop started.' }).waitFor();
    // A stuck loop says why.
    await page.getByText('needs 2 different workers but the work team has 1 active worker').waitFor();
    await assertAccessible(page, 'loop detail');

    await page.goto(`${tandem.url}/console/loops`);
    await page.getByLabel('Name starts with').fill('HAND-made');
    await page.getByLabel('Name starts with').press('Enter');
    await page.waitForURL(/q=HAND-made/);
    await assertAccessible(page, 'loops list');
    await page.getByRole('link', { name: 'hand-made-1' }).click();
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('status').filter({ hasText: 'Human loop stopped.' }).waitFor();
    await page.locator('.facts').getByText('Stopped').waitFor();
    const row = await tandem.resources.store.db.selectFrom('human_loops').select('status').where('name', '=', 'hand-made-1').executeTakeFirstOrThrow();
    assert.equal(row.status, 'Stopped');
  });

  test('invite a worker; the queue page and the audit log', async () => {
    const { page } = op;
    await page.goto(`${tandem.url}/console/teams`);
    await page.getByLabel('Email').fill('newbie@example.com');
    await page.getByLabel('Work team', { exact: true }).selectOption('crew');
    await page.getByRole('button', { name: 'Invite worker' }).click();
    const link = await page.locator('#invite-url').textContent();
    assert.match(link ?? '', /\/portal\/invite\/[A-Za-z0-9_-]{43}$/);
    await assertAccessible(page, 'teams');
    await page.goto(`${tandem.url}/console/teams/crew`);
    await page.getByRole('cell', { name: 'newbie@example.com', exact: true }).waitFor();
    await assertAccessible(page, 'team');
    await page.goto(`${tandem.url}/console/queues`);
    await assertAccessible(page, 'queues');
    await page.goto(`${tandem.url}/console/audit`);
    await page.getByRole('cell', { name: 'worker.invite' }).waitFor();
    await assertAccessible(page, 'audit log');
    for (const path of ['/console/flows', '/console/task-uis', '/console/task-uis/new', '/console/loops/new']) {
      await page.goto(`${tandem.url}${path}`);
      await assertAccessible(page, path);
    }
  });

  test("revoke a key in the console: the key's next SDK call is refused with 403", async () => {
    const { page } = op;
    await page.goto(`${tandem.url}/console/keys`);
    await page.getByLabel('Description').fill('doomed key');
    await page.getByRole('button', { name: 'Create access key' }).click();
    const accessKeyId = (await page.locator('#new-key-id').textContent())!;
    const secretAccessKey = (await page.locator('#new-key-secret').textContent())!;
    await assertAccessible(page, 'keys');
    const { sagemaker } = tandem.clientsFor({ accessKeyId, secretAccessKey });
    await sagemaker.send(new ListWorkteamsCommand({})); // works, and is now cached
    await page.getByRole('button', { name: `Revoke ${accessKeyId}` }).click();
    await page.getByRole('status').filter({ hasText: `Revoked ${accessKeyId}` }).waitFor();
    await assert.rejects(sagemaker.send(new ListWorkteamsCommand({})), (error: { $metadata?: { httpStatusCode?: number }; name?: string }) => {
      assert.equal(error.$metadata?.httpStatusCode, 403);
      assert.equal(error.name, 'UnrecognizedClientException');
      return true;
    });
    sagemaker.destroy();
  });

  test('keyboard only: skip link, navigation and a button reached with Tab', async () => {
    const { page } = op;
    await page.goto(`${tandem.url}/console/loops`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.match(page.url(), /#main$/);
    // From the top, Tab reaches the navigation link to Queues; Enter follows it.
    await page.goto(`${tandem.url}/console/loops`);
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Queues') break;
    }
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/queues$/);
    assert.deepEqual(op.problems, []);
  });
});
