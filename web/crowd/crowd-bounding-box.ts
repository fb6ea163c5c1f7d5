/**
 * `<crowd-bounding-box name="annotatedResult" src="…" labels="['Dog','Cat']" header="…"
 * initial-value="[{ label: 'Dog', left: 10, top: 20, width: 100, height: 80 }]">` with regions
 * `short-instructions` and `full-instructions`. Boxes are drawn by dragging, moved by dragging
 * them, resized by their corner handles, and all of it by keyboard (annotator-keys.ts).
 *
 * Answer: `{ "<name>": { "boundingBoxes": [{ "height", "label", "left", "top", "width" }],
 * "inputImageProperties": { "height", "width" } } }` in whole source-image pixels, boxes in the
 * order drawn; plus `"initialValueModified": bool` when `initial-value` was given.
 */
import type { JsonValue } from './answer.js';
import { AnnotatorBase, type InitialShape, type ToolKind } from './annotation/annotator-base.js';
import { boxOf, type Point, type Shape } from './annotation/geometry.js';
import { initialShapes } from './annotation/initial-value.js';
import type { LooseValue } from './literal.js';

const BOX: ToolKind = { noun: 'box', drawing: 'drag', minPoints: 2, closed: true, box: true };

export class CrowdBoundingBox extends AnnotatorBase {
  get tool(): ToolKind {
    return BOX;
  }

  protected readInitialValue(parsed: LooseValue): InitialShape[] {
    return initialShapes(parsed, 'boundingBoxes', (entry) => {
      const [left, top, width, height] = [entry.left, entry.top, entry.width, entry.height].map(Number) as [number, number, number, number];
      if (![left, top, width, height].every(Number.isFinite)) return undefined;
      return [
        { x: left, y: top },
        { x: left + width, y: top + height },
      ];
    });
  }

  protected shapesAnswer(shapes: readonly Shape[]): { [key: string]: JsonValue } {
    return { boundingBoxes: shapes.map((s) => ({ ...boxOf(s.points), label: s.label })) };
  }

  protected defaultPoints(center: Point, size: number): Point[] {
    return [
      { x: center.x - size / 2, y: center.y - size / 2 },
      { x: center.x + size / 2, y: center.y + size / 2 },
    ];
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-bounding-box': CrowdBoundingBox;
  }
}
