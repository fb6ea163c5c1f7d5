/**
 * Keyboard operation of the segmentation elements when their image area has focus; every key is
 * listed on screen from {@link SEGMENTATION_KEY_HELP}. Handled keys are `preventDefault()`ed so
 * the page does not scroll and the portal's shortcuts stay out of the way.
 */

export type PaintTool = 'brush' | 'polygon' | 'eraser';

/** What the key handler drives; implemented by SegmentationBase. */
export interface SegmentationKeyTarget {
  readonly labels: readonly string[];
  readonly isDrawing: boolean;
  readonly instances: boolean;
  chooseLabel(label: string): void;
  chooseTool(tool: PaintTool): void;
  changeBrush(direction: 1 | -1): void;
  newInstance(): void;
  undo(): void;
  redo(): void;
  zoomStep(direction: 1 | -1): void;
  setZoom(zoom: number): void;
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
    if (key === 'z' || key === 'Z') {
      if (event.shiftKey) target.redo();
      else target.undo();
    } else if (key === 'y' || key === 'Y') target.redo();
    else handled = false;
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
  } else if (key === '+' || key === '=') {
    target.zoomStep(1);
  } else if (key === '-' || key === '_') {
    target.zoomStep(-1);
  } else if (key === '0') {
    target.setZoom(1);
  } else {
    handled = false;
  }
  if (handled) {
    event.preventDefault();
    event.stopPropagation();
  }
  return handled;
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
    ['Ctrl+Z, Ctrl+Y', 'undo, redo'],
    ['+  −  0', 'zoom in, out, fit (scroll to pan)'],
  );
  return rows;
}
