/**
 * Each core crowd element in Debian's Chromium, inside a sandboxed iframe as the portal shows it:
 * a worker clicks, types and submits, and the answer the template posts to the parent page must
 * equal the shape AWS documents for that element (spec section C). Form-wide behaviour
 * (validation, submission paths, the portal messages) is in crowd-form.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { skipReason } from '../support/environment.js';
import { usePortal } from './crowd-harness.js';

describe('crowd elements answer as AWS documents', { skip: skipReason('chromium'), concurrency: 4 }, () => {
  const withTask = usePortal();

  test('crowd-classifier: choosing a category answers {"<name>":{"label":…}}', () =>
    withTask(
      `<crowd-form>
        <crowd-classifier name="category" categories="['Cat', 'Dog', 'Bird',]" header="What is in the picture?">
          <classification-target><p>It says meow.</p></classification-target>
          <short-instructions><p>Pick the animal.</p></short-instructions>
          <full-instructions header="How to classify"><p>Choose the animal you hear.</p></full-instructions>
        </crowd-classifier>
        <script>
          document.querySelector('crowd-classifier').addEventListener('change', (e) =>
            parent.postMessage({ type: 'test:change', value: e.target.value }, '*'));
        </script>
      </crowd-form>`,
      async ({ task, waitForMessage, waitForAnswer }) => {
        await task.getByText('It says meow.').waitFor();
        assert.equal(await task.getByText('Choose the animal you hear.').isVisible(), false);
        await task.getByRole('button', { name: 'View full instructions' }).click();
        // Slotted text is not a DOM descendant of the shadow dialog, so it is located from the frame.
        const dialog = task.getByRole('dialog', { name: 'How to classify' });
        await dialog.waitFor();
        await task.getByText('Choose the animal you hear.').waitFor();
        await task.locator('body').press('Escape');
        await dialog.waitFor({ state: 'hidden' });

        await task.getByRole('radiogroup', { name: 'What is in the picture?' }).waitFor();
        await task.getByText('Dog', { exact: true }).click();
        await task.getByText('Cat', { exact: true }).click();
        assert.equal((await waitForMessage('test:change')).value, 'Dog');
        await task.getByRole('button', { name: 'Submit' }).click();
        assert.deepEqual(await waitForAnswer(), { category: { label: 'Cat' } });
      },
    ));

  test('crowd-image-classifier: label, plus workerComment only when one was written', () =>
    withTask(
      `<crowd-form>
        <crowd-image-classifier name="category" src="/cat.svg" header="Which animal?" categories='["Cat", "Dog"]'>
          <short-instructions>Look at the image.</short-instructions>
          <worker-comment header="Why this label?" link-text="Add a note" placeholder="Optional"></worker-comment>
        </crowd-image-classifier>
        <crowd-image-classifier name="second" src="/cat.svg" header="And this one?" categories="['Cat', 'Dog']"
          exclusion-category="{ text: 'None of the above' }">
        </crowd-image-classifier>
      </crowd-form>`,
      async ({ task, frame, waitForAnswer }) => {
        const first = task.locator('crowd-image-classifier[name=category]');
        const second = task.locator('crowd-image-classifier[name=second]');
        await first.getByRole('img', { name: 'Which animal?' }).waitFor();
        const loaded = await frame.evaluate(
          () => document.querySelector('crowd-image-classifier')!.shadowRoot!.querySelector('img')!.naturalWidth,
        );
        assert.equal(loaded, 120, 'the image loads under the CSP');
        await first.getByText('Cat', { exact: true }).click();
        await first.getByRole('button', { name: 'Add a note' }).click();
        await first.getByRole('textbox', { name: 'Why this label?' }).fill('Pointy ears');
        assert.equal(await second.getByRole('button', { name: 'Add a comment.' }).count(), 0, 'no worker-comment region');
        await second.getByText('None of the above').click();
        await task.getByRole('button', { name: 'Submit' }).click();
        assert.deepEqual(await waitForAnswer(), {
          category: { label: 'Cat', workerComment: 'Pointy ears' },
          second: { label: 'None of the above' },
        });
      },
    ));

  test('crowd-checkbox: one boolean per value, merged by name, unchecked as false (doc examples)', () =>
    withTask(
      `<crowd-form>
        <div><crowd-checkbox name="image_attributes" value="blurry"> Blurry </crowd-checkbox></div>
        <div><crowd-checkbox name="image_attributes" value="dim"> Too Dim </crowd-checkbox></div>
        <div><crowd-checkbox name="image_attributes" value="exposed"> Too Bright </crowd-checkbox></div>
        <div><crowd-checkbox name="Stop" value="Red"> Red </crowd-checkbox></div>
        <div><crowd-checkbox name="Slow" value="Yellow"> Yellow </crowd-checkbox></div>
        <div><crowd-checkbox name="Go" value="Green"> Green </crowd-checkbox></div>
        <div><crowd-checkbox name="agree" checked>I agree</crowd-checkbox></div>
      </crowd-form>`,
      async ({ task, waitForAnswer }) => {
        await task.getByText('Blurry').click();
        await task.getByRole('checkbox', { name: 'Too Dim' }).check();
        await task.getByText('Red').click();
        assert.equal(await task.getByRole('checkbox', { name: 'I agree' }).isChecked(), true);
        await task.getByRole('button', { name: 'Submit' }).click();
        const answer = await waitForAnswer();
        assert.deepEqual(answer, {
          Go: { Green: false },
          Slow: { Yellow: false },
          Stop: { Red: true },
          agree: { on: true },
          image_attributes: { blurry: true, dim: true, exposed: false },
        });
        assert.equal(
          JSON.stringify(answer),
          '{"Go":{"Green":false},"Slow":{"Yellow":false},"Stop":{"Red":true},"agree":{"on":true},"image_attributes":{"blurry":true,"dim":true,"exposed":false}}',
          'keys sorted at every level, as AWS stores answers',
        );
      },
    ));

  test('crowd-radio-group: one checked per group, each button answers {"<value>":bool}', () =>
    withTask(
      `<crowd-form>
        <crowd-radio-group aria-label="Is it a cat?">
          <crowd-radio-button name="btn1" value="yes">Yes</crowd-radio-button>
          <crowd-radio-button name="btn2" value="no">No</crowd-radio-button>
        </crowd-radio-group>
        <p>Size</p>
        <crowd-radio-button name="size" value="small">Small</crowd-radio-button>
        <crowd-radio-button name="size" value="large">Large</crowd-radio-button>
      </crowd-form>`,
      async ({ task, waitForAnswer }) => {
        const group = task.getByRole('radiogroup', { name: 'Is it a cat?' });
        await group.getByRole('radio', { name: 'No' }).click();
        await group.getByRole('radio', { name: 'Yes' }).click();
        assert.equal(await group.getByRole('radio', { name: 'No' }).getAttribute('aria-checked'), 'false');
        assert.equal(await group.getByRole('radio', { name: 'Yes' }).getAttribute('aria-checked'), 'true');
        await task.getByRole('radio', { name: 'Small' }).click();
        await task.getByRole('radio', { name: 'Large' }).click();
        await task.getByRole('button', { name: 'Submit' }).click();
        assert.deepEqual(await waitForAnswer(), {
          btn1: { yes: true },
          btn2: { no: false },
          size: { large: true, small: false },
        });
      },
    ));

  test('crowd-radio-group: arrow keys move the choice, Enter submits', () =>
    withTask(
      `<crowd-form>
        <crowd-radio-group aria-label="Is it a cat?">
          <crowd-radio-button name="btn1" value="yes">Yes</crowd-radio-button>
          <crowd-radio-button name="btn2" value="no">No</crowd-radio-button>
        </crowd-radio-group>
      </crowd-form>`,
      async ({ task, waitForAnswer }) => {
        const yes = task.getByRole('radio', { name: 'Yes' });
        const no = task.getByRole('radio', { name: 'No' });
        assert.equal(await yes.getAttribute('tabindex'), '0', 'first radio is the Tab stop');
        assert.equal(await no.getAttribute('tabindex'), '-1');
        await yes.focus();
        await yes.press('Space');
        await yes.press('ArrowDown');
        assert.equal(await no.getAttribute('aria-checked'), 'true');
        assert.equal(await no.evaluate((el) => el.ownerDocument.activeElement === el), true, 'focus follows');
        await no.press('Enter');
        assert.deepEqual(await waitForAnswer(), { btn1: { yes: false }, btn2: { no: true } });
      },
    ));

  test('crowd-input: typed strings, empty inputs omitted, numbers stay strings, Enter submits', () =>
    withTask(
      `<crowd-form>
        <crowd-input name="tag1" label="Word/phrase 1"></crowd-input>
        <crowd-input name="tag2" label="Word/phrase 2"></crowd-input>
        <crowd-input name="tag3" label="Word/phrase 3"></crowd-input>
        <crowd-input name="count" label="How many?" type="number"></crowd-input>
        <crowd-input name="preset" label="Preset" value="kept"></crowd-input>
        <crowd-input name="cleared" label="Cleared" value="gone"></crowd-input>
      </crowd-form>
      <script>
        document.addEventListener('all-crowd-elements-ready', () => {
          document.querySelector('crowd-input[name=cleared]').value = null;
          const preset = document.querySelector('crowd-input[name=preset]').value;
          parent.postMessage({ type: 'test:preset', value: preset }, '*');
        });
      </script>`,
      async ({ task, waitForMessage, waitForAnswer }) => {
        assert.equal((await waitForMessage('test:preset')).value, 'kept');
        await task.getByRole('textbox', { name: 'Word/phrase 1' }).fill('blue');
        await task.getByRole('spinbutton', { name: 'How many?' }).fill('42');
        const tag2 = task.getByRole('textbox', { name: 'Word/phrase 2' });
        await tag2.pressSequentially('red');
        await tag2.press('Enter');
        assert.deepEqual(await waitForAnswer(), { count: '42', preset: 'kept', tag1: 'blue', tag2: 'red' });
      },
    ));

  test('crowd-text-area: newlines answered as \\n; Enter does not submit', () =>
    withTask(
      `<crowd-form>
        <crowd-text-area name="textInput1" label="Describe the scene" rows="2" char-counter max-length="200"></crowd-text-area>
        <crowd-text-area name="untouched" label="Anything else?"></crowd-text-area>
      </crowd-form>`,
      async ({ task, answers, waitForAnswer }) => {
        const area = task.getByRole('textbox', { name: 'Describe the scene' });
        await area.pressSequentially('This is the text; the text that');
        await area.press('Enter');
        await area.pressSequentially('makes the crowd go wild.');
        await task.locator('crowd-text-area[name=textInput1] .counter').getByText('56 / 200').waitFor();
        await task.getByRole('button', { name: 'Submit' }).click();
        assert.deepEqual(await waitForAnswer(), { textInput1: 'This is the text; the text that\nmakes the crowd go wild.' });
        assert.equal((await answers()).length, 1, 'Enter inside the text area did not submit');
      },
    ));

  test('native controls inside crowd-form are answered (spec D.3.5)', () =>
    withTask(
      `<crowd-form>
        <label>Text <input name="n_text"></label>
        <label for="sel">Choice</label>
        <select id="sel" name="n_select"><option value="">--</option><option value="b">B</option></select>
        <label>Notes <textarea name="n_area"></textarea></label>
        <label><input type="checkbox" name="n_flags" value="x"> X</label>
        <label><input type="checkbox" name="n_flags" value="y"> Y</label>
        <label><input type="radio" name="animal-type" value="cat"> Cat</label>
        <label><input type="radio" name="animal-type" value="dog"> Dog</label>
        <input type="hidden" name="n_hidden" value="h">
        <input name="n_empty" aria-label="Empty">
        <input name="n_disabled" value="d" disabled aria-label="Disabled">
        <select name="n_multi" multiple aria-label="Many"><option>p</option><option>q</option><option>r</option></select>
      </crowd-form>`,
      async ({ task, waitForAnswer }) => {
        await task.getByRole('combobox', { name: 'Choice' }).selectOption('b');
        await task.getByRole('textbox', { name: 'Notes' }).fill('line 1\nline 2');
        await task.getByRole('checkbox', { name: 'Y' }).check();
        await task.getByRole('radio', { name: 'Dog' }).check();
        await task.getByRole('listbox', { name: 'Many' }).selectOption(['p', 'r']);
        const text = task.getByRole('textbox', { name: 'Text' });
        await text.fill('hello');
        await text.press('Enter');
        assert.deepEqual(await waitForAnswer(), {
          'animal-type': { cat: false, dog: true },
          n_area: 'line 1\nline 2',
          n_flags: { x: false, y: true },
          n_hidden: 'h',
          n_multi: ['p', 'r'],
          n_select: 'b',
          n_text: 'hello',
        });
      },
    ));

  test('crowd-instructions: a dialog with Summary, Detailed Instructions and Examples tabs', () =>
    withTask(
      `<crowd-form>
        <crowd-instructions link-text="See instructions" link-type="button">
          <short-summary><p>Summary text</p></short-summary>
          <detailed-instructions><p>Detailed text</p></detailed-instructions>
          <positive-example><p>Good one</p></positive-example>
          <negative-example><p>Bad one</p></negative-example>
        </crowd-instructions>
        <crowd-input name="tag" label="Tag"></crowd-input>
      </crowd-form>`,
      async ({ task, waitForAnswer }) => {
        assert.equal(await task.getByText('Summary text').isVisible(), false);
        await task.getByRole('button', { name: 'See instructions' }).click();
        const dialog = task.getByRole('dialog', { name: 'Instructions' });
        await dialog.waitFor();
        // Region text is slotted: it is no DOM descendant of the shadow dialog, so look it up by frame.
        await task.getByText('Summary text').waitFor();
        assert.equal(await dialog.getByRole('tab', { name: 'Summary' }).getAttribute('aria-selected'), 'true');
        assert.equal(await task.getByText('Detailed text').isVisible(), false);
        await dialog.getByRole('tab', { name: 'Summary' }).press('ArrowRight');
        await task.getByText('Detailed text').waitFor();
        assert.equal(await task.getByText('Summary text').isVisible(), false);
        assert.equal(await dialog.getByRole('tab', { name: 'Detailed Instructions' }).getAttribute('aria-selected'), 'true');
        await dialog.getByRole('tab', { name: 'Examples' }).click();
        await task.getByText('Good one').waitFor();
        await task.getByText('Bad one').waitFor();
        assert.equal(await dialog.getByRole('heading', { name: 'Good examples' }).isVisible(), true);
        await dialog.getByRole('button', { name: 'Close' }).click();
        await dialog.waitFor({ state: 'hidden' });

        await task.getByRole('textbox', { name: 'Tag' }).fill('x');
        await task.getByRole('button', { name: 'Submit' }).click();
        assert.deepEqual(await waitForAnswer(), { tag: 'x' }, 'instructions contribute nothing');
      },
    ));

  test('crowd-alert, crowd-card and crowd-button: roles, dismiss, onclick, reset, controls inside a card', () =>
    withTask(
      `<crowd-form>
        <crowd-alert type="error" dismissible>Check the image first.</crowd-alert>
        <crowd-alert type="success">All good.</crowd-alert>
        <crowd-card heading="Attributes" image="/cat.svg">
          <crowd-checkbox name="attrs" value="furry">Furry</crowd-checkbox>
          <label>Colour <input name="colour"></label>
        </crowd-card>
        <crowd-button id="addLabel">Add label</crowd-button>
        <crowd-button form-action="reset">Start over</crowd-button>
        <crowd-button form-action="submit" variant="primary">Submit</crowd-button>
      </crowd-form>
      <script>addLabel.onclick = () => parent.postMessage({ type: 'test:clicked' }, '*');</script>`,
      async (taskPage) => {
        const { task, frame, waitForMessage, waitForAnswer } = taskPage;
        const alert = task.locator('crowd-alert', { hasText: 'Check the image first.' });
        await alert.getByRole('alert').waitFor();
        await task.locator('crowd-alert', { hasText: 'All good.' }).getByRole('status').waitFor();
        await alert.getByRole('button', { name: 'Dismiss' }).click();
        await alert.waitFor({ state: 'hidden' });

        await task.getByRole('heading', { name: 'Attributes' }).waitFor();
        await task.getByRole('button', { name: 'Add label' }).click();
        await waitForMessage('test:clicked');
        await taskPage.settle();
        assert.deepEqual(await taskPage.messageTypes(), ['tandem:ready', 'test:clicked'], 'a plain button does not submit');

        await task.getByText('Furry').click();
        await task.getByRole('textbox', { name: 'Colour' }).fill('grey');
        await task.getByRole('button', { name: 'Start over' }).click();
        await frame.waitForFunction(() => document.querySelector<HTMLInputElement>('input[name=colour]')!.value === '');
        assert.equal(await task.getByRole('checkbox', { name: 'Furry' }).isChecked(), false);

        await task.getByRole('textbox', { name: 'Colour' }).fill('black');
        await task.getByRole('button', { name: 'Submit' }).click();
        assert.deepEqual(await waitForAnswer(), { attrs: { furry: false }, colour: 'black' });
      },
    ));
});
