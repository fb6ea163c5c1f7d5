/**
 * The keys every image annotator answers the same way (the shape tools in annotator-keys.ts, the
 * segmentation tools in segmentation/segmentation-keys.ts): undo and redo, zoom, and what a
 * handled key does to its event.
 */

export interface ImageAnnotatorKeyTarget {
  undo(): void;
  redo(): void;
  zoomStep(direction: 1 | -1): void;
  setZoom(zoom: number): void;
}

/** Ctrl+Z undoes (Ctrl+Shift+Z redoes), Ctrl+Y redoes; whether the Ctrl combination was one of them. */
export function undoRedoKey(target: ImageAnnotatorKeyTarget, event: KeyboardEvent): boolean {
  const key = event.key;
  if (key === 'z' || key === 'Z') {
    if (event.shiftKey) target.redo();
    else target.undo();
    return true;
  }
  if (key === 'y' || key === 'Y') {
    target.redo();
    return true;
  }
  return false;
}

/** + (or =) zooms in, − (or _) out, 0 back to fit; whether `key` was one of them. */
export function zoomKey(target: ImageAnnotatorKeyTarget, key: string): boolean {
  if (key === '+' || key === '=') target.zoomStep(1);
  else if (key === '-' || key === '_') target.zoomStep(-1);
  else if (key === '0') target.setZoom(1);
  else return false;
  return true;
}

/** A handled key must not scroll the page, and the portal's shortcuts skip it. Returns `handled`. */
export function claimKey(event: KeyboardEvent, handled: boolean): boolean {
  if (handled) {
    event.preventDefault();
    event.stopPropagation();
  }
  return handled;
}

/** The last rows of every annotator's shortcut list. */
export const IMAGE_ANNOTATOR_KEY_HELP: ReadonlyArray<[string, string]> = [
  ['Ctrl+Z, Ctrl+Y', 'undo, redo'],
  ['+  −  0', 'zoom in, out, fit (scroll to pan)'],
];
