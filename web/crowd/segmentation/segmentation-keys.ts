/**
 * Keyboard operation of the segmentation elements when their image area has focus; every key is
 * listed on screen from {@link SEGMENTATION_KEY_HELP}. Handled keys are `preventDefault()`ed so
 * the page does not scroll and the portal's shortcuts stay out of the way.
 */

import { claimKey, IMAGE_ANNOTATOR_KEY_HELP, undoRedoKey, zoomKey, type ImageAnnotatorKeyTarget } from '../annotation/image-annotator-keys.js';

export type PaintTool = 'brush' | 'polygon' | 'eraser';

/** What the key handler drives; implemented by SegmentationBase. */
export interface SegmentationKeyTarget extends ImageAnnotatorKeyTarget {
  readonly labels: readonly string[];
  readonly isDrawing: boolean;
  readonly instances: boolean;
  chooseLabel(label: string): void;
  chooseTool(tool: PaintTool): void;
  changeBrush(direction: 1 | -1): void;
  newInstance(): void;
  finishDraft(): void;
  cancelDraft(): boolean;
  dropDraftPoint(): void;
}

const TOOL_KEYS: Readonly<Record<string, PaintTool>> = { b: 'brush', p: 'polygon', e: 'eraser' };

/** Handles one keydown on the image area; returns whether it was a segmentation key. */
export function handleSegmentationKey(target: SegmentationKeyTarget, event: KeyboardEvent): boolean {
  if (event.isComposing || event.metaKey || event.altKey) return false;
  const key = event.key;
  let handled = true;
  if (event.ctrlKey) {
    handled = undoRedoKey(target, event);
  } else if (/^Digit[1-9]$/.test(event.code)) {
    const label = target.labels[Number(event.code.slice(5)) - 1];
    if (label === undefined) handled = false;
    else target.chooseLabel(label);
  } else if (TOOL_KEYS[key.toLowerCase()]) {
    target.chooseTool(TOOL_KEYS[key.toLowerCase()]!);
  } else if ((key === 'n' || key === 'N') && target.instances) {
    target.newInstance();
  } else if (key === '[' || key === ']') {
    target.changeBrush(key === ']' ? 1 : -1);
  } else if (key === 'Enter' && target.isDrawing) {
    target.finishDraft();
  } else if (key === 'Escape') {
    handled = target.cancelDraft();
  } else if (key === 'Backspace' && target.isDrawing) {
    target.dropDraftPoint();
  } else {
    handled = zoomKey(target, key);
  }
  return claimKey(event, handled);
}

/** The shortcut list shown under the image: [keys, what they do]. */
export function SEGMENTATION_KEY_HELP(instances: boolean): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    ['1–9', 'choose the label to paint'],
    ['B  P  E', 'brush, polygon fill, eraser'],
    ['[  ]', 'smaller / larger brush'],
  ];
  if (instances) rows.push(['N', 'start a new instance of the label']);
  rows.push(
    ['Enter', 'fill the polygon being drawn (or double-click, or click its first point)'],
    ['Backspace', 'remove the last point while drawing'],
    ['Escape', 'cancel the polygon'],
    ...IMAGE_ANNOTATOR_KEY_HELP,
  );
  return rows;
}
