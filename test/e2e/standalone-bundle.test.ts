/**
 * Standalone use of the crowd elements: `GET /crowd-html-elements.js` needs no signature or
 * session, is cacheable (ETag, 304), and a page on another origin that shows a template's
 * RenderedContent (from RenderUiTemplate through the real SDK) with AWS's script tag pointed at
 * Tandem gets working elements whose answer has the documented shape.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { RenderUiTemplateCommand } from '@aws-sdk/client-sagemaker';
import type { Browser } from 'playwright-core';
import { skipReason } from '../support/environment.js';
import type { TestTandem } from '../support/tandem.js';
import { usePortalRig } from './portal-browser.js';

const TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-classifier name="sentiment" categories="['Positive', 'Negative']" header="{{ task.input.question }}">
    <classification-target>{{ task.input.text }}</classification-target>
  </crowd-classifier>
  <crowd-input name="note" label="Note"></crowd-input>
</crowd-form>`;

describe('the crowd bundle for standalone use', { skip: skipReason('chromium') }, () => {
  let tandem: TestTandem;
  let browser: Browser;
  usePortalRig('sqlite', (rig) => ({ tandem, browser } = rig));

  test('served publicly with caching headers; a 304 for a matching ETag', async () => {
    const response = await fetch(`${tandem.url}/crowd-html-elements.js`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(response.headers.get('cache-control') ?? '', /^public, max-age=\d+$/);
    assert.ok((await response.text()).includes('"crowd-form"'), 'the crowd elements bundle');
    const etag = response.headers.get('etag');
    assert.ok(etag);
    const again = await fetch(`${tandem.url}/crowd-html-elements.js`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
  });

  test('a page elsewhere renders RenderedContent with the script pointed at Tandem, and it answers', { timeout: 60_000 }, async () => {
    const { RenderedContent, Errors } = await tandem.sagemaker.send(
      new RenderUiTemplateCommand({
        UiTemplate: { Content: TEMPLATE },
        Task: { Input: JSON.stringify({ question: 'How does it sound?', text: 'Lovely food, slow service.' }) },
        RoleArn: 'arn:aws:iam::111122223333:role/tandem-test',
      }),
    );
    assert.deepEqual(Errors, []);
    const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Embedded</title>
<script>window.answers = []; addEventListener('message', (e) => { if (e.data && e.data.type === 'tandem:submit') answers.push(e.data.answer); });</script>
</head><body>${RenderedContent!.replace('https://assets.crowd.aws/crowd-html-elements.js', `${tandem.url}/crowd-html-elements.js`)}</body></html>`;
    const site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      const problems: string[] = [];
      tab.on('pageerror', (error) => problems.push(error.message));
      await tab.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
      await tab.getByRole('radiogroup', { name: 'How does it sound?' }).waitFor();
      await tab.getByText('Negative', { exact: true }).click();
      await tab.getByLabel('Note').fill('slow');
      await tab.getByRole('button', { name: 'Submit' }).click();
      await tab.waitForFunction(() => (window as unknown as { answers: unknown[] }).answers.length > 0);
      assert.deepEqual(await tab.evaluate(() => (window as unknown as { answers: unknown[] }).answers), [
        { note: 'slow', sentiment: { label: 'Negative' } },
      ]);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
    }
  });
});
