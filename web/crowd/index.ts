/**
 * Tandem's crowd-html-elements bundle: loaded by worker templates in place of
 * `https://assets.crowd.aws/crowd-html-elements.js`, as a classic script, usually before the
 * `<crowd-form>` markup. It defines the elements, adds the document-level styles, connects
 * crowd-form to the portal (see `portal-bridge.ts`), and once the document is parsed and every
 * crowd element has rendered, dispatches `all-crowd-elements-ready` on `document` and tells the
 * portal `tandem:ready`.
 */
import { LitElement } from 'lit';
import { CrowdAlert } from './crowd-alert.js';
import { CrowdBoundingBox } from './crowd-bounding-box.js';
import { CrowdBadge } from './crowd-badge.js';
import { CrowdButton } from './crowd-button.js';
import { CrowdCard } from './crowd-card.js';
import { CrowdCheckbox } from './crowd-checkbox.js';
import { CrowdClassifier } from './crowd-classifier.js';
import { CrowdEntityAnnotation, EntityAnswer } from './crowd-entity-annotation.js';
import { CrowdClassifierMultiSelect } from './crowd-classifier-multi-select.js';
import { CrowdForm, isPlainEnter, whenParsed } from './crowd-form.js';
import { CrowdImageClassifier } from './crowd-image-classifier.js';
import { CrowdImageClassifierMultiSelect } from './crowd-image-classifier-multi-select.js';
import { CrowdFab, CrowdIconButton } from './crowd-icon-button.js';
import { CrowdInput } from './crowd-input.js';
import { CrowdModal } from './crowd-modal.js';
import { CrowdInstanceSegmentation } from './crowd-instance-segmentation.js';
import { CrowdInstructions } from './crowd-instructions.js';
import { CrowdKeypoint } from './crowd-keypoint.js';
import { CrowdLine } from './crowd-line.js';
import { CrowdPolygon } from './crowd-polygon.js';
import { CrowdPolyline } from './crowd-polyline.js';
import { CrowdRadioButton } from './crowd-radio-button.js';
import { CrowdRadioGroup } from './crowd-radio-group.js';
import { CrowdSemanticSegmentation } from './crowd-semantic-segmentation.js';
import { CrowdSlider, CrowdSliderLabel } from './crowd-slider.js';
import { CrowdRekognitionDetectModerationLabels } from './crowd-rekognition-detect-moderation-labels.js';
import { CrowdTextractAnalyzeDocument } from './crowd-textract-analyze-document.js';
import { CrowdTab, CrowdTabs } from './crowd-tabs.js';
import { CrowdTextArea } from './crowd-text-area.js';
import { CrowdToast } from './crowd-toast.js';
import { CrowdToggleButton } from './crowd-toggle-button.js';
import { listenToPortal, postToPortal, reportContentHeight } from './portal-bridge.js';
import { installDocumentStyles } from './styles.js';
import { installWorkspaceBridge } from './workspace-bridge.js';

const ELEMENTS: ReadonlyArray<readonly [string, CustomElementConstructor]> = [
  ['crowd-form', CrowdForm],
  ['crowd-button', CrowdButton],
  ['crowd-input', CrowdInput],
  ['crowd-text-area', CrowdTextArea],
  ['crowd-checkbox', CrowdCheckbox],
  ['crowd-radio-group', CrowdRadioGroup],
  ['crowd-radio-button', CrowdRadioButton],
  ['crowd-classifier', CrowdClassifier],
  ['crowd-image-classifier', CrowdImageClassifier],
  ['crowd-classifier-multi-select', CrowdClassifierMultiSelect],
  ['crowd-image-classifier-multi-select', CrowdImageClassifierMultiSelect],
  ['crowd-instructions', CrowdInstructions],
  ['crowd-alert', CrowdAlert],
  ['crowd-card', CrowdCard],
  ['crowd-slider', CrowdSlider],
  ['crowd-bounding-box', CrowdBoundingBox],
  ['crowd-keypoint', CrowdKeypoint],
  ['crowd-polygon', CrowdPolygon],
  ['crowd-line', CrowdLine],
  ['crowd-polyline', CrowdPolyline],
  ['crowd-semantic-segmentation', CrowdSemanticSegmentation],
  ['crowd-instance-segmentation', CrowdInstanceSegmentation],
  ['crowd-entity-annotation', CrowdEntityAnnotation],
  ['tandem-entity-answer', EntityAnswer],
  ['crowd-slider-label', CrowdSliderLabel],
  ['crowd-toggle-button', CrowdToggleButton],
  ['crowd-tabs', CrowdTabs],
  ['crowd-tab', CrowdTab],
  ['crowd-modal', CrowdModal],
  ['crowd-toast', CrowdToast],
  ['crowd-fab', CrowdFab],
  ['crowd-icon-button', CrowdIconButton],
  ['crowd-badge', CrowdBadge],
  ['crowd-textract-analyze-document', CrowdTextractAnalyzeDocument],
  ['crowd-rekognition-detect-moderation-labels', CrowdRekognitionDetectModerationLabels],
];

/** Set on `window` by the first copy of the bundle, so a template loading it twice is harmless. */
const LOADED = Symbol.for('tandem.crowd-html-elements');

function start(): void {
  const globals = window as unknown as Record<symbol, boolean>;
  if (globals[LOADED]) return;
  globals[LOADED] = true;

  for (const [name, element] of ELEMENTS) if (!customElements.get(name)) customElements.define(name, element);
  installDocumentStyles();
  listenToPortal(() => firstForm()?.pressSubmitButton());
  installWorkspaceBridge(firstForm);
  document.addEventListener('keydown', submitOnEnterFromPage);
  whenParsed(() => void announceReady());
}

/** The page's crowd-form, or the own form of a stand-alone crowd-entity-annotation. */
function firstForm(): CrowdForm | null {
  return document.querySelector('crowd-form') ?? document.querySelector('crowd-entity-annotation')?.shadowRoot?.querySelector('crowd-form') ?? null;
}

/** Enter with nothing focused in the task page submits, as Enter in a field does. */
function submitOnEnterFromPage(event: KeyboardEvent): void {
  if (!isPlainEnter(event)) return;
  if (event.target !== document.body && event.target !== document.documentElement) return;
  event.preventDefault();
  firstForm()?.pressSubmitButton();
}

async function announceReady(): Promise<void> {
  for (const form of document.querySelectorAll('crowd-form')) form.ensureSubmitButton();
  const rendering = [...document.querySelectorAll('*')]
    .filter((el): el is LitElement => el instanceof LitElement)
    .map((el) => el.updateComplete);
  await Promise.all(rendering);
  document.dispatchEvent(new Event('all-crowd-elements-ready', { bubbles: true }));
  // A stand-alone crowd-entity-annotation makes its own form while rendering, with its own button.
  const entityForm = document.querySelector('crowd-form') ? null : firstForm();
  entityForm?.ensureSubmitButton();
  const ownSubmitButton = document.querySelector('crowd-form crowd-button[form-action="submit"]') !== null || entityForm !== null;
  postToPortal({ type: 'tandem:ready', ownSubmitButton });
  reportContentHeight();
}

start();
