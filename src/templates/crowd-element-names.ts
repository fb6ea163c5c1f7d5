/**
 * Every `crowd-*` tag Tandem's crowd-html-elements bundle defines (web/crowd/index.ts), plus the
 * two A2I built-in task elements. A template that uses any other `crowd-*` tag would render
 * nothing for it and lose its answer, so CreateHumanTaskUi refuses it, RenderUiTemplate reports
 * it and the portal holds loops whose stored template uses one (see template-check.ts).
 *
 * test/web/crowd-element-names.test.ts checks this list against what the bundle defines.
 */
export const CROWD_ELEMENT_NAMES: ReadonlySet<string> = new Set([
  'crowd-alert',
  'crowd-badge',
  'crowd-bounding-box',
  'crowd-button',
  'crowd-card',
  'crowd-checkbox',
  'crowd-classifier',
  'crowd-classifier-multi-select',
  'crowd-entity-annotation',
  'crowd-fab',
  'crowd-form',
  'crowd-icon-button',
  'crowd-image-classifier',
  'crowd-image-classifier-multi-select',
  'crowd-input',
  'crowd-instance-segmentation',
  'crowd-instructions',
  'crowd-keypoint',
  'crowd-line',
  'crowd-modal',
  'crowd-polygon',
  'crowd-polyline',
  'crowd-radio-button',
  'crowd-radio-group',
  'crowd-semantic-segmentation',
  'crowd-slider',
  'crowd-slider-label',
  'crowd-tab',
  'crowd-tabs',
  'crowd-text-area',
  'crowd-toast',
  'crowd-toggle-button',
]);

/**
 * The A2I built-in task elements. They are part of the known list; their implementation lives in
 * its own files of web/crowd/ (the built-in task types' work), so the bundle check allows them to
 * be absent from a build that predates it.
 */
export const BUILT_IN_TASK_ELEMENT_NAMES: ReadonlySet<string> = new Set([
  'crowd-textract-analyze-document',
  'crowd-rekognition-detect-moderation-labels',
]);

/** Whether Tandem knows the `crowd-*` tag `name` (lower case). */
export function isKnownCrowdElement(name: string): boolean {
  return CROWD_ELEMENT_NAMES.has(name) || BUILT_IN_TASK_ELEMENT_NAMES.has(name);
}
