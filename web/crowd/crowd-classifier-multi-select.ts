/**
 * `<crowd-classifier-multi-select name="topics" categories="['Sports','Politics']" header="…"
 * exclusion-category="{ text: 'None of these' }">` with the regions of crowd-classifier. Any number
 * of categories may be chosen, at least one. Answer: `{ "<name>": { "labels": ["…", …] } }`,
 * labels in the order of `categories`. Script API as crowd-classifier, with `.value` an array.
 */
import { CrowdClassifier } from './crowd-classifier.js';

export class CrowdClassifierMultiSelect extends CrowdClassifier {
  protected override get multiSelect(): boolean {
    return true;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-classifier-multi-select': CrowdClassifierMultiSelect;
  }
}
