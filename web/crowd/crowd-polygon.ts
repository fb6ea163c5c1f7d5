/**
 * `<crowd-polygon name="annotatedResult" src="…" labels="['Dog','Cat']" header="…"
 * initial-value="[{ label: 'Dog', vertices: [{ x: 1, y: 2 }, …] }]">`: each click adds a vertex;
 * clicking the first vertex, double-clicking or Enter closes the polygon (at least three
 * vertices), Escape cancels it. Vertices are dragged to reshape, the outline to move.
 * Answer: `{ "<name>": { "inputImageProperties": { "height", "width" }, "polygons": [{ "label",
 * "vertices": [{ "x", "y" }, …] }] } }`, the first vertex not repeated at the end.
 */
import type { JsonValue } from './answer.js';
import { AnnotatorBase, type InitialShape, type ToolKind } from './annotation/annotator-base.js';
import { vertices, type Point, type Shape } from './annotation/geometry.js';
import { initialShapes, vertexPoints } from './annotation/initial-value.js';
import type { LooseValue } from './literal.js';

const POLYGON: ToolKind = { noun: 'polygon', drawing: 'vertices', minPoints: 3, closed: true, box: false };

export class CrowdPolygon extends AnnotatorBase {
  get tool(): ToolKind {
    return POLYGON;
  }

  protected readInitialValue(parsed: LooseValue): InitialShape[] {
    return initialShapes(parsed, 'polygons', vertexPoints).filter((s) => s.points.length >= 3);
  }

  protected shapesAnswer(shapes: readonly Shape[]): { [key: string]: JsonValue } {
    return { polygons: shapes.map((s) => ({ label: s.label, vertices: vertices(s.points) })) };
  }

  protected defaultPoints(center: Point, size: number): Point[] {
    const r = size / 2;
    return [
      { x: center.x, y: center.y - r },
      { x: center.x + r, y: center.y + r },
      { x: center.x - r, y: center.y + r },
    ];
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-polygon': CrowdPolygon;
  }
}
