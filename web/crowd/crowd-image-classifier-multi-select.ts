/**
 * `<crowd-image-classifier-multi-select name="tags" src="…" categories="['Cat','Dog']" header="…"
 * exclusion-category="{ text: 'Neither' }">` with the regions of crowd-image-classifier
 * (`worker-comment` included). Answer: `{ "<name>": { "labels": ["…", …] } }` plus
 * `workerComment` when the worker wrote one (UNCONFIRMED: the region is documented, its output
 * only for the single-choice element).
 */
import { CrowdImageClassifier } from './crowd-image-classifier.js';

export class CrowdImageClassifierMultiSelect extends CrowdImageClassifier {
  protected override get multiSelect(): boolean {
    return true;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-image-classifier-multi-select': CrowdImageClassifierMultiSelect;
  }
}
