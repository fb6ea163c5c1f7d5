/**
 * Keyboard operation of the image annotators, when their image area has focus. Every key is
 * listed on screen (the "Keyboard shortcuts" list under the image) from {@link KEY_HELP}.
 * Handled keys are `preventDefault()`ed, so the page does not scroll and the portal's own
 * shortcuts (which skip handled keys) stay out of the way.
 */
import type { ToolKind } from './annotator-base.js';
import { claimKey, IMAGE_ANNOTATOR_KEY_HELP, undoRedoKey, zoomKey, type ImageAnnotatorKeyTarget } from './image-annotator-keys.js';

/** What the key handler drives; implemented by AnnotatorBase. */
export interface KeyTarget extends ImageAnnotatorKeyTarget {
  readonly labels: readonly string[];
  readonly isDrawing: boolean;
  /** Image pixels per arrow-key press (one screen pixel, at least one image pixel). */
  readonly keyStep: number;
  readonly tool: ToolKind;
  chooseLabel(label: string): void;
  relabelSelected(label: string): void;
  addDefaultShape(): void;
  nudge(dx: number, dy: number, vertexOnly: boolean): void;
  deleteSelected(): void;
  finishDraft(): void;
  cancelDraft(): boolean;
  dropDraftPoint(): void;
  selectNext(step: 1 | -1): void;
  selectNextVertex(step: 1 | -1): void;
  deselect(): void;
}

const ARROWS: Readonly<Record<string, readonly [number, number]>> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/** Handles one keydown on the image area; returns whether it was an annotator key. */
export function handleAnnotatorKey(target: KeyTarget, event: KeyboardEvent): boolean {
  if (event.isComposing || event.metaKey) return false;
  const key = event.key;
  const ctrl = event.ctrlKey;
  let handled = true;
  const arrow = ARROWS[key];
  if (ctrl) {
    handled = undoRedoKey(target, event);
  } else if (arrow) {
    const step = target.keyStep * (event.shiftKey ? 10 : 1);
    target.nudge(arrow[0] * step, arrow[1] * step, event.altKey);
  } else if (/^Digit[1-9]$/.test(event.code) && !event.altKey) {
    // By code, not key: Shift+1 is "!" on most layouts.
    const label = target.labels[Number(event.code.slice(5)) - 1];
    if (label === undefined) handled = false;
    else if (event.shiftKey) target.relabelSelected(label);
    else target.chooseLabel(label);
  } else if (key === 'n' || key === 'N') {
    target.addDefaultShape();
  } else if (key === 'Delete' || key === 'Backspace') {
    if (target.isDrawing) target.dropDraftPoint();
    else target.deleteSelected();
  } else if (key === 'Enter') {
    if (target.isDrawing) target.finishDraft();
    else handled = false;
  } else if (key === 'Escape') {
    if (!target.cancelDraft()) target.deselect();
  } else if (key === ']' || key === '[') {
    target.selectNext(key === ']' ? 1 : -1);
  } else if (key === '.' || key === ',') {
    target.selectNextVertex(key === '.' ? 1 : -1);
  } else {
    handled = zoomKey(target, key);
  }
  return claimKey(event, handled);
}

/** The shortcut list shown under the image: [keys, what they do]. */
export function KEY_HELP(tool: ToolKind): Array<[string, string]> {
  const noun = tool.noun;
  const rows: Array<[string, string]> = [
    ['1–9', `choose the label for new ${noun}s`],
    ['Shift+1–9', `relabel the selected ${noun}`],
    ['N', `add a ${noun} in the middle of the view`],
    ['[  ]', `select the previous / next ${noun}`],
    ['Arrows', `move the selected ${noun} (Shift: 10×)`],
  ];
  if (tool.box) rows.push(['Alt+Arrows', 'resize the selected box (moves its bottom-right corner)']);
  else if (tool.minPoints > 1) rows.push([',  .', 'select the previous / next point'], ['Alt+Arrows', 'move the selected point']);
  if (tool.drawing === 'vertices') rows.push(['Enter', `finish the ${noun} being drawn (or double-click)`], ['Backspace', 'remove the last point while drawing']);
  rows.push(
    ['Delete', `delete the selected ${noun}`],
    ['Escape', 'cancel drawing / deselect'],
    ...IMAGE_ANNOTATOR_KEY_HELP,
  );
  return rows;
}
