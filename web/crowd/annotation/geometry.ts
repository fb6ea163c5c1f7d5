/**
 * The pure half of the image annotators: shapes in source-image pixels and the rules that turn
 * them into A2I's answer objects. No DOM here, so the rules are tested without a browser.
 *
 * Every shape is a label plus a list of points in image pixels (integers, (0,0) top-left):
 * a box keeps two opposite corners, a keypoint one point, a line two, a polyline two or more, a
 * polygon three or more (not closed: the first point is not repeated, as in the polygon doc).
 */

export interface Point {
  x: number;
  y: number;
}

export interface Shape {
  /** Stable within one element, for focus and keys; never part of the answer. */
  id: number;
  label: string;
  points: Point[];
}

export interface ImageSize {
  width: number;
  height: number;
}

/** A point rounded to whole pixels and kept inside the image. */
export function clampPoint(point: Point, image: ImageSize): Point {
  return {
    x: Math.min(image.width, Math.max(0, Math.round(point.x))),
    y: Math.min(image.height, Math.max(0, Math.round(point.y))),
  };
}

/** Moves every point by (dx, dy), as far as the image allows without changing the shape. */
export function translateShape(points: readonly Point[], dx: number, dy: number, image: ImageSize): Point[] {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const mx = Math.min(Math.max(dx, -Math.min(...xs)), image.width - Math.max(...xs));
  const my = Math.min(Math.max(dy, -Math.min(...ys)), image.height - Math.max(...ys));
  return points.map((p) => ({ x: Math.round(p.x + mx), y: Math.round(p.y + my) }));
}

/** A box's two corners as `{ left, top, width, height }`, whichever corners they are. */
export function boxOf(points: readonly Point[]): { left: number; top: number; width: number; height: number } {
  const [a, b = a] = points as [Point, Point?];
  return { left: Math.min(a.x, b.x), top: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
}

/**
 * The four corner handles of a box, clockwise from top-left, each saying which stored corner
 * gives its x and which its y: dragging a handle moves those two coordinates only.
 */
export function boxHandles(points: readonly Point[]): Array<{ at: Point; xFrom: 0 | 1; yFrom: 0 | 1 }> {
  const [a, b] = points as [Point, Point];
  const left: 0 | 1 = a.x <= b.x ? 0 : 1;
  const right: 0 | 1 = left === 0 ? 1 : 0;
  const top: 0 | 1 = a.y <= b.y ? 0 : 1;
  const bottom: 0 | 1 = top === 0 ? 1 : 0;
  const pick = (xFrom: 0 | 1, yFrom: 0 | 1) => ({ at: { x: points[xFrom]!.x, y: points[yFrom]!.y }, xFrom, yFrom });
  return [pick(left, top), pick(right, top), pick(right, bottom), pick(left, bottom)];
}

/** A box, line or polyline too small to be meant (a click rather than a drag). */
export function isDegenerate(points: readonly Point[], kind: 'box' | 'path'): boolean {
  if (points.length < 2) return false;
  if (kind === 'box') {
    const box = boxOf(points);
    return box.width < 2 || box.height < 2;
  }
  const [a, b] = points as [Point, Point];
  return points.length === 2 && Math.hypot(a.x - b.x, a.y - b.y) < 2;
}

/** The colours of labels without `label-colors`: the d3 "category10" order AWS's examples show. */
export const LABEL_PALETTE: readonly string[] = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
];

/** The colour of label number `index` (`colors` first, then the palette). */
export function labelColor(index: number, colors: readonly string[] = []): string {
  const own = colors[index];
  if (own !== undefined && /^#[0-9a-f]{3,8}$/i.test(own)) return own;
  return LABEL_PALETTE[((index % LABEL_PALETTE.length) + LABEL_PALETTE.length) % LABEL_PALETTE.length]!;
}

/** `{ height, width }`, the `inputImageProperties` of every image annotator's answer. */
export function imageProperties(image: ImageSize): { height: number; width: number } {
  return { height: image.height, width: image.width };
}

/** `[{ x, y }, …]` as answered (whole pixels). */
export function vertices(points: readonly Point[]): Array<{ x: number; y: number }> {
  return points.map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) }));
}

/**
 * Reads `{ x, y }` pairs from a parsed `initial-value` entry (`vertices`, or the entry itself for
 * a keypoint); numbers given as strings are accepted. Returns `undefined` when any is missing.
 */
export function readPoints(raw: unknown): Point[] | undefined {
  const list = Array.isArray(raw) ? raw : [raw];
  const points: Point[] = [];
  for (const item of list) {
    if (item === undefined) continue; // an array hole, as in the polyline doc's example
    if (item === null || typeof item !== 'object') return undefined;
    const x = Number((item as { x?: unknown }).x);
    const y = Number((item as { y?: unknown }).y);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return undefined;
    points.push({ x, y });
  }
  return points;
}
