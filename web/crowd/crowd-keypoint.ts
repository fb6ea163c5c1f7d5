/**
 * `<crowd-keypoint name="crowdKeypoint" src="…" labels="['nose','left eye']" header="…"
 * initial-value="[{ label: 'nose', x: 120, y: 80 }]">`: a click places a point with the current
 * label (press and drag to place it precisely), points are dragged to move them.
 * Answer: `{ "<name>": { "inputImageProperties": { "height", "width" }, "keypoints": [{ "label",
 * "x", "y" }] } }`, points in the order placed, (0,0) the top-left pixel; `initialValueModified`
 * is added when `initial-value` was given (UNCONFIRMED for this element).
 */
import type { JsonValue } from './answer.js';
import { AnnotatorBase, type InitialShape, type ToolKind } from './annotation/annotator-base.js';
import { readPoints, type Point, type Shape } from './annotation/geometry.js';
import { initialShapes } from './annotation/initial-value.js';
import type { LooseValue } from './literal.js';

const KEYPOINT: ToolKind = { noun: 'point', drawing: 'click', minPoints: 1, closed: false, box: false };

export class CrowdKeypoint extends AnnotatorBase {
  get tool(): ToolKind {
    return KEYPOINT;
  }

  protected readInitialValue(parsed: LooseValue): InitialShape[] {
    return initialShapes(parsed, 'keypoints', (entry) => readPoints(entry));
  }

  protected shapesAnswer(shapes: readonly Shape[]): { [key: string]: JsonValue } {
    return { keypoints: shapes.map((s) => ({ label: s.label, x: s.points[0]!.x, y: s.points[0]!.y })) };
  }

  protected defaultPoints(center: Point): Point[] {
    return [center];
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-keypoint': CrowdKeypoint;
  }
}
