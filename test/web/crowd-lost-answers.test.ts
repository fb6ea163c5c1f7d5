/**
 * Nothing is silently lost, in the browser: a named crowd element the bundle does not define
 * blocks submission with a visible message, and the server's list of known crowd elements
 * (src/templates/crowd-element-names.ts) is exactly what the bundle defines.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BUILT_IN_TASK_ELEMENT_NAMES, CROWD_ELEMENT_NAMES } from '../../src/templates/crowd-element-names.js';
import { skipReason } from '../support/environment.js';
import { buildBundle, usePortal } from './crowd-harness.js';

describe('no answer is silently lost', { skip: skipReason('chromium') }, () => {
  const withTask = usePortal();

  test('a named, undefined crowd element blocks Submit with a visible message naming it', () =>
    withTask(
      `<crowd-form>
        <crowd-input name="note" label="Note"></crowd-input>
        <crowd-clasifier name="animal" categories="['Cat']"></crowd-clasifier>
      </crowd-form>`,
      async ({ task, waitForMessage, answers, settle }) => {
        await task.getByRole('textbox', { name: 'Note' }).fill('hello');
        await task.getByRole('button', { name: 'Submit' }).click();
        assert.deepEqual((await waitForMessage('tandem:invalid')).fields, ['animal']);
        await task.getByRole('alert').filter({ hasText: 'This task uses <crowd-clasifier>' }).waitFor();
        await settle();
        assert.deepEqual(await answers(), [], 'nothing was submitted');
      },
    ));

  test('the server’s list of known crowd elements is what the bundle defines', () =>
    withTask('<crowd-form></crowd-form>', async ({ frame }) => {
      const names = [...CROWD_ELEMENT_NAMES, ...BUILT_IN_TASK_ELEMENT_NAMES];
      const defined = await frame.evaluate((all) => all.filter((n) => customElements.get(n) !== undefined), names);
      const missing = names.filter((n) => !defined.includes(n) && !BUILT_IN_TASK_ELEMENT_NAMES.has(n));
      assert.deepEqual(missing, [], 'every known element is defined');
      // Every crowd-* string in the bundle that names a defined element must be on the list.
      const bundle = Buffer.from((await buildBundle()).get('/crowd-html-elements.js')!).toString('utf8');
      const candidates = [...new Set([...bundle.matchAll(/["'`](crowd-[a-z-]+)["'`]/g)].map((m) => m[1]!))];
      const registered = await frame.evaluate((all) => all.filter((n) => customElements.get(n) !== undefined), candidates);
      const extra = registered.filter((n) => !names.includes(n));
      assert.deepEqual(extra, [], 'every defined element is known to the server');
    }));
});
