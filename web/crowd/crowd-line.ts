/**
 * `<crowd-line name="crowdLine" src="…" labels="['yardline','sideline']" label-colors="['#f00']"
 * header="…" initial-value="{ lines: [{ label: 'yardline', vertices: [{x,y},{x,y}] }] }">`: a line
 * is drawn by dragging from its start to its end; its ends are dragged to adjust it.
 * Answer: `{ "<name>": { "inputImageProperties": { "height", "width" }, "lines": [{ "label",
 * "vertices": [start, end] }] } }`, plus `initialValueModified` when `initial-value` was given.
 */
import type { JsonValue } from './answer.js';
import { AnnotatorBase, type InitialShape, type ToolKind } from './annotation/annotator-base.js';
import { vertices, type Point, type Shape } from './annotation/geometry.js';
import { initialShapes, vertexPoints } from './annotation/initial-value.js';
import type { LooseValue } from './literal.js';

const LINE: ToolKind = { noun: 'line', drawing: 'drag', minPoints: 2, closed: false, box: false };

export class CrowdLine extends AnnotatorBase {
  get tool(): ToolKind {
    return LINE;
  }

  protected readInitialValue(parsed: LooseValue): InitialShape[] {
    return initialShapes(parsed, 'lines', vertexPoints)
      .filter((s) => s.points.length >= 2)
      .map((s) => ({ ...s, points: s.points.slice(0, 2) }));
  }

  protected shapesAnswer(shapes: readonly Shape[]): { [key: string]: JsonValue } {
    return { lines: shapes.map((s) => ({ label: s.label, vertices: vertices(s.points) })) };
  }

  protected defaultPoints(center: Point, size: number): Point[] {
    return [
      { x: center.x - size / 2, y: center.y },
      { x: center.x + size / 2, y: center.y },
    ];
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-line': CrowdLine;
  }
}
