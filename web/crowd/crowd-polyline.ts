/**
 * `<crowd-polyline name="crowdPolyline" src="…" labels="['sideline']" label-colors="[…]" header="…"
 * initial-value="{ polylines: [{ label, vertices: [...] }] }">`: each click adds a vertex;
 * double-click or Enter ends the polyline (at least two vertices), Escape cancels it.
 * Answer: `{ "<name>": { "inputImageProperties": { "height", "width" }, "polylines": [{ "label",
 * "vertices": [{ "x", "y" }, …] }] } }`, plus `initialValueModified` when `initial-value` was given.
 */
import type { JsonValue } from './answer.js';
import { AnnotatorBase, type InitialShape, type ToolKind } from './annotation/annotator-base.js';
import { vertices, type Point, type Shape } from './annotation/geometry.js';
import { initialShapes, vertexPoints } from './annotation/initial-value.js';
import type { LooseValue } from './literal.js';

const POLYLINE: ToolKind = { noun: 'polyline', drawing: 'vertices', minPoints: 2, closed: false, box: false };

export class CrowdPolyline extends AnnotatorBase {
  get tool(): ToolKind {
    return POLYLINE;
  }

  protected readInitialValue(parsed: LooseValue): InitialShape[] {
    return initialShapes(parsed, 'polylines', vertexPoints).filter((s) => s.points.length >= 2);
  }

  protected shapesAnswer(shapes: readonly Shape[]): { [key: string]: JsonValue } {
    return { polylines: shapes.map((s) => ({ label: s.label, vertices: vertices(s.points) })) };
  }

  protected defaultPoints(center: Point, size: number): Point[] {
    const h = size / 2;
    return [
      { x: center.x - h, y: center.y + h / 2 },
      { x: center.x, y: center.y - h / 2 },
      { x: center.x + h, y: center.y + h / 2 },
    ];
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-polyline': CrowdPolyline;
  }
}
