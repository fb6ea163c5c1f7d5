/**
 * crowd-form in Debian's Chromium, inside a sandboxed iframe as the portal shows it: validation
 * with visible messages, the `submit` event, every way a template or the portal submits, the
 * postMessage contract, the runtime API templates script against, and accessible names.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { skipReason } from '../support/environment.js';
import { usePortal } from './crowd-harness.js';

describe('crowd-form submission, validation and portal contract', { skip: skipReason('chromium'), concurrency: 4 }, () => {
  const withTask = usePortal();

  test('required fields block submission with a visible message next to each, until fixed', () =>
    withTask(
      `<crowd-form>
        <crowd-input name="name" label="Your name" required></crowd-input>
        <crowd-checkbox name="consent" required>I agree</crowd-checkbox>
        <p>Animal</p>
        <label><input type="radio" name="animal-type" value="cat" required> Cat</label>
        <label><input type="radio" name="animal-type" value="dog"> Dog</label>
        <crowd-classifier name="mood" categories="['Happy', 'Sad']" header="Mood?"></crowd-classifier>
        <select name="size" required aria-label="Size"><option value="">Choose</option><option value="s">S</option></select>
      </crowd-form>`,
      async ({ task, frame, waitForMessage, answers, waitForAnswer }) => {
        await task.getByRole('button', { name: 'Submit' }).click();
        const invalid = await waitForMessage('tandem:invalid');
        assert.deepEqual(invalid.fields, ['name', 'consent', 'animal-type', 'mood', 'size']);
        assert.deepEqual(await answers(), []);

        const nameError = task.locator('crowd-input[name=name] .error');
        assert.equal(await nameError.isVisible(), true);
        assert.match(await nameError.innerText(), /\S/);
        assert.equal(await task.getByRole('textbox', { name: 'Your name' }).getAttribute('aria-invalid'), 'true');
        assert.equal(await task.locator('crowd-checkbox .error').isVisible(), true);
        assert.equal(await task.locator('crowd-classifier .error').innerText(), 'Please choose a category.');
        const radioError = task.locator('label:has(input[value=dog]) + .tandem-field-error');
        assert.equal(await radioError.isVisible(), true, 'one message, after the radio group');
        assert.equal(await task.locator('.tandem-field-error').count(), 2);
        const describedBy = await task.getByRole('radio', { name: 'Cat' }).getAttribute('aria-describedby');
        assert.equal(describedBy, await radioError.getAttribute('id'));
        assert.equal(await frame.evaluate(() => document.activeElement?.localName), 'crowd-input', 'first invalid field focused');

        await task.getByRole('textbox', { name: 'Your name' }).fill('Ada');
        await nameError.waitFor({ state: 'hidden' });
        await task.getByRole('checkbox', { name: 'I agree' }).check();
        await task.getByRole('radio', { name: 'Cat' }).check();
        await radioError.waitFor({ state: 'detached' });
        await task.getByText('Happy').click();
        await task.getByRole('combobox', { name: 'Size' }).selectOption('s');
        assert.equal(await task.locator('.tandem-field-error').count(), 0);
        await task.getByRole('button', { name: 'Submit' }).click();
        assert.deepEqual(await waitForAnswer(), {
          'animal-type': { cat: true, dog: false },
          consent: { on: true },
          mood: { label: 'Happy' },
          name: 'Ada',
          size: 's',
        });
      },
    ));

  test('min/max length, pattern, type and min/max block submission; error-message replaces the text', () =>
    withTask(
      `<crowd-form>
        <crowd-input name="code" label="Code" min-length="3" max-length="5"></crowd-input>
        <crowd-input name="email" label="Email" type="email"></crowd-input>
        <crowd-input name="zip" label="Zip" pattern="[0-9]{5}" error-message="Five digits, please."></crowd-input>
        <label>Rating <input type="number" name="rating" min="1" max="5"></label>
        <crowd-text-area name="note" label="Note" minlength="4"></crowd-text-area>
      </crowd-form>`,
      async ({ task, waitForMessage, waitForAnswer }) => {
        await task.getByRole('textbox', { name: 'Code' }).fill('ab');
        await task.getByRole('textbox', { name: 'Email' }).fill('nope');
        await task.getByRole('textbox', { name: 'Zip' }).fill('12');
        await task.getByRole('spinbutton', { name: 'Rating' }).fill('9');
        await task.getByRole('textbox', { name: 'Note' }).fill('abc');
        await task.getByRole('button', { name: 'Submit' }).click();
        assert.deepEqual((await waitForMessage('tandem:invalid')).fields, ['code', 'email', 'zip', 'rating', 'note']);
        assert.match(await task.locator('crowd-input[name=code] .error').innerText(), /3 characters/);
        assert.equal(await task.locator('crowd-input[name=zip] .error').innerText(), 'Five digits, please.');
        assert.equal(await task.locator('crowd-input[name=email] .error').isVisible(), true);
        assert.equal(await task.locator('label:has(input[name=rating]) + .tandem-field-error').isVisible(), true);

        await task.getByRole('textbox', { name: 'Code' }).fill('abcd');
        await task.getByRole('textbox', { name: 'Email' }).fill('a@example.com');
        await task.getByRole('textbox', { name: 'Zip' }).fill('12345');
        await task.getByRole('spinbutton', { name: 'Rating' }).fill('4');
        await task.getByRole('textbox', { name: 'Note' }).fill('abcd');
        await task.getByRole('button', { name: 'Submit' }).click();
        assert.deepEqual(await waitForAnswer(), { code: 'abcd', email: 'a@example.com', note: 'abcd', rating: '4', zip: '12345' });
      },
    ));

  test('onsubmit runs first: preventDefault() stops the post, values it writes are answered', () =>
    withTask(
      `<crowd-form>
        <input type="hidden" name="computed" value="">
        <crowd-input name="tag" label="Tag"></crowd-input>
      </crowd-form>
      <script>
        let allow = false;
        const form = document.querySelector('crowd-form');
        form.onsubmit = (event) => {
          form.querySelector('input[name=computed]').value = JSON.stringify({ allowed: allow });
          if (!allow) {
            event.preventDefault();
            allow = true;
            setTimeout(() => parent.postMessage({ type: 'test:prevented' }, '*'));
          }
        };
      </script>`,
      async (taskPage) => {
        const { task, waitForMessage, waitForAnswer } = taskPage;
        await task.getByRole('textbox', { name: 'Tag' }).fill('x');
        await task.getByRole('button', { name: 'Submit' }).click();
        await waitForMessage('test:prevented');
        // Drafts (the reviewer's work in progress, kept by the portal) may come and go; no answer.
        const posted = (await taskPage.messageTypes()).filter((type) => type !== 'tandem:draft');
        assert.deepEqual(posted, ['tandem:ready', 'test:prevented'], 'nothing posted');
        await task.getByRole('button', { name: 'Submit' }).click();
        assert.deepEqual(await waitForAnswer(), { computed: '{"allowed":true}', tag: 'x' });
      },
    ));

  test('a Submit button is appended only when the template has none', async () => {
    await withTask(`<crowd-form><crowd-input name="a" label="A"></crowd-input></crowd-form>`, async ({ task, frame }) => {
      assert.equal(await task.getByRole('button').count(), 1);
      assert.equal(await task.getByRole('button', { name: 'Submit' }).count(), 1);
      const last = await frame.evaluate(() => document.querySelector('crowd-form')!.form.lastElementChild?.outerHTML);
      assert.match(last ?? '', /^<crowd-button form-action="submit"/);
    });
    await withTask(
      `<crowd-form>
        <crowd-input name="a" label="A" value="1"></crowd-input>
        <crowd-button form-action="submit" variant="primary">Send it</crowd-button>
      </crowd-form>`,
      async ({ task, waitForAnswer }) => {
        assert.equal(await task.getByRole('button').count(), 1);
        await task.getByRole('button', { name: 'Send it' }).click();
        assert.deepEqual(await waitForAnswer(), { a: '1' });
      },
    );
  });

  test('tandem:request-submit from the portal presses the submit button (not while disabled)', () =>
    withTask(
      `<crowd-form>
        <crowd-input name="tag" label="Tag" required></crowd-input>
        <crowd-button id="send" form-action="submit" disabled="true">Send</crowd-button>
      </crowd-form>`,
      async (taskPage) => {
        const { task, frame, postToTask, waitForMessage, waitForAnswer } = taskPage;
        await postToTask({ type: 'tandem:request-submit' });
        await frame.evaluate(() => window.postMessage({ type: 'tandem:request-submit' }, '*'));
        await taskPage.settle();
        assert.deepEqual(await taskPage.messageTypes(), ['tandem:ready'], 'disabled button, and messages not from the parent, do nothing');

        await frame.evaluate(() => {
          document.querySelector('crowd-button')!.disabled = false;
        });
        await postToTask({ type: 'tandem:request-submit' });
        assert.deepEqual((await waitForMessage('tandem:invalid')).fields, ['tag']);
        await task.getByRole('textbox', { name: 'Tag' }).fill('from the portal');
        await postToTask({ type: 'tandem:request-submit' });
        assert.deepEqual(await waitForAnswer(), { tag: 'from the portal' });
      },
    ));

  test('runtime API: ready event, .form, .categories, submit(), native buttons, dynamic fields, last name wins', () =>
    withTask(
      `<script>
        document.addEventListener('all-crowd-elements-ready', () => {
          const form = document.querySelector('crowd-form');
          const classifier = document.querySelector('crowd-classifier');
          parent.postMessage({
            type: 'test:ready-event',
            formIsNative: form.form instanceof HTMLFormElement,
            rendered: classifier.shadowRoot.querySelectorAll('input[type=radio]').length,
          }, '*');
        });
      </script>
      <crowd-form>
        <input type="hidden" name="dup" value="first">
        <crowd-classifier name="kind" categories='["A", "B"]' header="Kind"></crowd-classifier>
        <input type="hidden" name="dup" value="last">
        <input type="hidden" name="submitter" value="">
        <button id="add-annotation">Add annotation</button>
        <button id="native-submit">Native submit</button>
      </crowd-form>
      <button id="outside" type="button">Script submit</button>
      <script>
        const form = document.querySelector('crowd-form');
        form.addEventListener('submit', (e) => {
          form.querySelector('[name=submitter]').value = e.submitter ? e.submitter.id || e.submitter.localName : 'script';
        });
        document.getElementById('add-annotation').addEventListener('click', (e) => {
          e.preventDefault(); // "Prevent form submission"
          parent.postMessage({ type: 'test:annotated' }, '*');
        });
        document.getElementById('outside').addEventListener('click', () => form.submit());
        customElements.whenDefined('crowd-classifier').then(() => {
          document.querySelector('crowd-classifier').categories = ['Apple', 'Banana'];
        });
      </script>`,
      async (taskPage) => {
        const { task, frame, waitForMessage, waitForAnswers } = taskPage;
        const ready = await waitForMessage('test:ready-event');
        assert.equal(ready.formIsNative, true);
        assert.equal(ready.rendered, 2);
        await task.getByText('Banana').click();
        await frame.evaluate(() => {
          const form = document.querySelector('crowd-form')!;
          const added = Object.assign(document.createElement('input'), { type: 'hidden', name: 'added', value: 'via .form' });
          form.form.append(added);
          const appended = Object.assign(document.createElement('input'), { type: 'hidden', name: 'appended', value: 'via crowd-form' });
          form.append(appended);
        });

        await task.getByRole('button', { name: 'Add annotation' }).click();
        await waitForMessage('test:annotated');
        await task.getByRole('button', { name: 'Script submit' }).click();
        await waitForAnswers(1);
        await task.getByRole('button', { name: 'Native submit' }).click();
        const expected = { added: 'via .form', appended: 'via crowd-form', dup: 'last', kind: { label: 'Banana' } };
        assert.deepEqual(await waitForAnswers(2), [
          { ...expected, submitter: 'script' },
          { ...expected, submitter: 'native-submit' },
        ]);
      },
    ));

  test('every control has an accessible name (Chromium accessibility tree)', () =>
    withTask(
      `<crowd-form>
        <crowd-instructions><short-summary>S</short-summary></crowd-instructions>
        <crowd-alert type="warning" dismissible>Careful</crowd-alert>
        <crowd-card heading="Card"><crowd-checkbox name="c" value="v">Check me</crowd-checkbox></crowd-card>
        <crowd-input name="i" label="Labelled"></crowd-input>
        <crowd-input name="p" placeholder="Placeholder only"></crowd-input>
        <crowd-input name="bare"></crowd-input>
        <crowd-text-area name="t" label="Area"></crowd-text-area>
        <crowd-radio-group aria-label="Group"><crowd-radio-button name="r" value="a">A</crowd-radio-button></crowd-radio-group>
        <crowd-classifier name="k" categories="['X','Y']"></crowd-classifier>
        <crowd-image-classifier name="m" src="/cat.svg" categories="['X','Y']"><worker-comment></worker-comment></crowd-image-classifier>
        <crowd-button variant="icon" icon="delete"></crowd-button>
      </crowd-form>`,
      async ({ page, frame }) => {
        const session = await page.context().newCDPSession(frame).catch(() => page.context().newCDPSession(page));
        // The sandboxed frame may run in its own process (then the session is the frame's own).
        const { frameTree } = (await session.send('Page.getFrameTree')) as {
          frameTree: { frame: { id: string; url: string }; childFrames?: Array<{ frame: { id: string; url: string } }> };
        };
        const frameId = [frameTree, ...(frameTree.childFrames ?? [])].find((f) => f.frame.url.includes('/template/'))?.frame.id;
        const { nodes } = (await session.send('Accessibility.getFullAXTree', frameId ? { frameId } : {})) as {
          nodes: Array<{ ignored: boolean; role?: { value: string }; name?: { value: string } }>;
        };
        const controls = nodes.filter(
          (n) =>
            !n.ignored &&
            ['button', 'checkbox', 'radio', 'textbox', 'combobox', 'tab', 'link', 'radiogroup', 'spinbutton', 'image'].includes(
              n.role?.value ?? '',
            ),
        );
        assert.ok(controls.length >= 15, `found ${controls.length} controls`);
        const unnamed = controls.filter((n) => !n.name?.value?.trim()).map((n) => n.role?.value);
        assert.deepEqual(unnamed, []);
      },
    ));
});
