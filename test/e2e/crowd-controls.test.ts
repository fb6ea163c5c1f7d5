/**
 * The small layout and control elements in the real task frame, operated as a reviewer would:
 * crowd-toggle-button (a form value, `required` blocks Submit), crowd-tabs + crowd-tab (fields in
 * a hidden tab are still answered), crowd-modal, crowd-toast, crowd-badge, crowd-icon-button and
 * crowd-fab; output.json holds the documented `{"<name>": {"<value>": bool}}` shapes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { skipReason } from '../support/environment.js';
import type { TestTandem } from '../support/tandem.js';
import { openAnnotationTask } from './annotation-task.js';
import { usePortalRig } from './portal-browser.js';

const TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-toast text="{{ task.input.notice }}" duration="1500"></crowd-toast>
  <p><span id="inbox">Photos waiting</span><crowd-badge for="inbox" label="3"></crowd-badge></p>
  <crowd-tabs>
    <crowd-tab header="Photo">
      <p>Look at the photo of the bird.</p>
      <crowd-toggle-button name="quality" value="sharp" required>The photo is sharp</crowd-toggle-button>
    </crowd-tab>
    <crowd-tab header="Details">
      <crowd-input name="caption" label="Caption"></crowd-input>
      <crowd-toggle-button name="theToggler">Taken outdoors</crowd-toggle-button>
      <crowd-toggle-button name="flags" value="duplicate" invalid>Duplicate</crowd-toggle-button>
    </crowd-tab>
  </crowd-tabs>
  <crowd-modal link-text="Show the rules"><p>Never guess a species.</p></crowd-modal>
  <crowd-icon-button icon="star" title="Mark as favourite"></crowd-icon-button>
  <crowd-icon-button icon="delete" title="Remove" disabled></crowd-icon-button>
  <crowd-fab icon="add" title="Add a note"></crowd-fab>
</crowd-form>`;

describe('layout and control elements in the task frame', { skip: skipReason('chromium') }, () => {
  let tandem: TestTandem;
  let browser: Browser;
  usePortalRig('sqlite', (rig) => ({ tandem, browser } = rig));

  test('toggle, tabs, modal, toast, badge, icon buttons: operated and answered', { timeout: 60_000 }, async () => {
    const { task, storedAnswer, finish } = await openAnnotationTask(tandem, browser, 'controls', TEMPLATE, { notice: 'Three photos are waiting.' });

    // The toast shows on load and goes away by itself.
    const toast = task.getByRole('status').filter({ hasText: 'Three photos are waiting.' });
    await toast.waitFor();
    await toast.waitFor({ state: 'hidden', timeout: 10_000 });

    // The badge sits on the top-right corner of the element it names.
    const badge = (await task.getByRole('status', { name: '3' }).boundingBox())!;
    const inbox = (await task.locator('#inbox').boundingBox())!;
    assert.ok(Math.abs(badge.x + badge.width / 2 - (inbox.x + inbox.width)) <= 2, 'badge centred on the right edge');
    assert.ok(Math.abs(badge.y + badge.height / 2 - inbox.y) <= 2, 'badge centred on the top edge');

    // A required toggle left off blocks Submit with a message next to it, its tab shown.
    await task.getByRole('tab', { name: 'Details' }).click();
    await task.getByRole('button', { name: 'Submit' }).click();
    await task.getByText('Turn this on if you want to proceed.').waitFor();
    assert.equal(await task.getByRole('tab', { name: 'Photo' }).getAttribute('aria-selected'), 'true');
    const sharp = task.getByRole('switch', { name: 'The photo is sharp' });
    await sharp.click();
    assert.equal(await sharp.getAttribute('aria-checked'), 'true');
    await task.getByText('Turn this on if you want to proceed.').waitFor({ state: 'hidden' });

    // Tabs: the second one by click, back and forth by arrow keys.
    await task.getByRole('tab', { name: 'Details' }).click();
    assert.equal(await task.getByText('Look at the photo of the bird.').isVisible(), false);
    await task.getByLabel('Caption').fill('A red kite');
    const outdoors = task.getByRole('switch', { name: 'Taken outdoors' });
    await outdoors.focus();
    await outdoors.press('Space');
    assert.equal(await outdoors.getAttribute('aria-checked'), 'true');
    await task.getByRole('tab', { name: 'Details' }).press('ArrowLeft');
    await task.getByText('Look at the photo of the bird.').waitFor();
    assert.equal(await task.getByRole('tab', { name: 'Photo' }).getAttribute('aria-selected'), 'true');
    assert.equal(await task.getByLabel('Caption').isVisible(), false);

    // The modal opens from its link and closes with Escape.
    await task.getByRole('button', { name: 'Show the rules' }).click();
    const dialog = task.getByRole('dialog', { name: 'Show the rules' });
    await dialog.waitFor();
    // The content is slotted from the template, so it is found in the page, shown inside the dialog.
    const rules = task.getByText('Never guess a species.');
    await rules.waitFor();
    await dialog.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await rules.isVisible(), false);

    // Icon buttons and the floating button are named buttons that never submit.
    await task.getByRole('button', { name: 'Mark as favourite' }).click();
    await task.getByRole('button', { name: 'Add a note' }).click();
    assert.equal(await task.getByRole('button', { name: 'Remove' }).isDisabled(), true);

    await task.getByRole('button', { name: 'Submit' }).click();
    assert.deepEqual(await storedAnswer(), {
      caption: 'A red kite',
      flags: { duplicate: false },
      quality: { sharp: true },
      theToggler: { on: true },
    });
    await finish();
  });
});
