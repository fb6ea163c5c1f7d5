/**
 * `<crowd-classifier name="tweetFeeling" categories="['positive','negative']" header="…">` with
 * regions `<classification-target>`, `<short-instructions>`, `<full-instructions header="…">`.
 * Classifies non-image content (text, audio, video placed in `classification-target`).
 * Answer: `{ "<name>": { "label": "<category>" } }`. Script API: `.categories = [...]`,
 * `.value`, and a `change` event whose `target.value` is the chosen category.
 */
import { html } from 'lit';
import { ClassifierBase } from './classifier-base.js';

export class CrowdClassifier extends ClassifierBase {
  protected override renderTarget() {
    return html``;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-classifier': CrowdClassifier;
  }
}
