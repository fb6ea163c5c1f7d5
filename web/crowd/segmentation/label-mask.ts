/**
 * The pure half of the segmentation elements: a mask of the source image's own pixel grid where
 * each pixel holds a class number (0 = not labelled), painted with a round brush or by filling a
 * polygon. It is rasterised here, not by a canvas, because a canvas anti-aliases edges and the
 * answer's PNG must hold only the exact colours of its label mappings.
 *
 * Every edit returns a {@link Patch} (the changed rectangle before and after), which is what undo
 * and redo swap back, so history costs the size of the edits, not of the image.
 */
import type { Point } from '../annotation/geometry.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One edit: the rectangle it touched and its class numbers before and after, row by row. */
export interface Patch {
  rect: Rect;
  before: Uint16Array;
  after: Uint16Array;
}

export class LabelMask {
  readonly data: Uint16Array;

  constructor(
    readonly width: number,
    readonly height: number,
    data?: Uint16Array,
  ) {
    this.data = data ?? new Uint16Array(width * height);
  }

  at(x: number, y: number): number {
    return this.data[y * this.width + x] ?? 0;
  }

  /** A copy of the rectangle `rect` (which lies inside the mask), row by row. */
  read(rect: Rect): Uint16Array {
    const out = new Uint16Array(rect.width * rect.height);
    for (let row = 0; row < rect.height; row++) {
      const start = (rect.y + row) * this.width + rect.x;
      out.set(this.data.subarray(start, start + rect.width), row * rect.width);
    }
    return out;
  }

  write(rect: Rect, values: Uint16Array): void {
    for (let row = 0; row < rect.height; row++) {
      this.data.set(values.subarray(row * rect.width, (row + 1) * rect.width), (rect.y + row) * this.width + rect.x);
    }
  }

  /** Puts a patch's `before` (undo) or `after` (redo) back. */
  apply(patch: Patch, side: 'before' | 'after'): void {
    this.write(patch.rect, patch[side]);
  }

  /** The class numbers that cover at least one pixel. */
  usedValues(): Set<number> {
    const used = new Set<number>();
    for (const value of this.data) if (value !== 0) used.add(value);
    return used;
  }

  equals(other: LabelMask): boolean {
    if (other.width !== this.width || other.height !== this.height) return false;
    for (let i = 0; i < this.data.length; i++) if (this.data[i] !== other.data[i]) return false;
    return true;
  }

  /**
   * Paints a stroke: discs of `radius` pixels (centre to edge) along the segment `from`→`to`
   * (a dab when they are equal). A pixel is painted when its centre lies inside a disc.
   * Returns the rectangle touched, or null when the stroke lies outside the image.
   */
  paintStroke(from: Point, to: Point, radius: number, value: number): Rect | null {
    const r = Math.max(0.5, radius);
    const rect = this.clip({
      x: Math.floor(Math.min(from.x, to.x) - r),
      y: Math.floor(Math.min(from.y, to.y) - r),
      width: Math.ceil(Math.abs(from.x - to.x) + 2 * r) + 2,
      height: Math.ceil(Math.abs(from.y - to.y) + 2 * r) + 2,
    });
    if (!rect) return null;
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const length2 = dx * dx + dy * dy;
    const r2 = r * r;
    for (let y = rect.y; y < rect.y + rect.height; y++) {
      for (let x = rect.x; x < rect.x + rect.width; x++) {
        const px = x + 0.5 - from.x;
        const py = y + 0.5 - from.y;
        // Distance from the pixel centre to the segment (a capsule is a stroke of discs).
        const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, (px * dx + py * dy) / length2));
        const ex = px - t * dx;
        const ey = py - t * dy;
        if (ex * ex + ey * ey <= r2) this.data[y * this.width + x] = value;
      }
    }
    return rect;
  }

  /**
   * Fills the polygon `points` (even-odd rule; a pixel is inside when its centre is).
   * Returns the rectangle touched, or null when nothing was.
   */
  fillPolygon(points: readonly Point[], value: number): Rect | null {
    if (points.length < 3) return null;
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const rect = this.clip({
      x: Math.floor(Math.min(...xs)),
      y: Math.floor(Math.min(...ys)),
      width: Math.ceil(Math.max(...xs)) - Math.floor(Math.min(...xs)) + 1,
      height: Math.ceil(Math.max(...ys)) - Math.floor(Math.min(...ys)) + 1,
    });
    if (!rect) return null;
    const crossings: number[] = [];
    for (let y = rect.y; y < rect.y + rect.height; y++) {
      const cy = y + 0.5;
      crossings.length = 0;
      for (let i = 0; i < points.length; i++) {
        const a = points[i]!;
        const b = points[(i + 1) % points.length]!;
        if ((a.y <= cy && b.y > cy) || (b.y <= cy && a.y > cy)) crossings.push(a.x + ((cy - a.y) * (b.x - a.x)) / (b.y - a.y));
      }
      crossings.sort((p, q) => p - q);
      for (let k = 0; k + 1 < crossings.length; k += 2) {
        // Pixel centres x + 0.5 within [left, right).
        const from = Math.max(rect.x, Math.ceil(crossings[k]! - 0.5));
        const to = Math.min(rect.x + rect.width - 1, Math.ceil(crossings[k + 1]! - 0.5) - 1);
        for (let x = from; x <= to; x++) this.data[y * this.width + x] = value;
      }
    }
    return rect;
  }

  /** Every pixel holding `from` gets `to` (a class removed or merged). Returns whether any did. */
  replaceValue(from: number, to: number): boolean {
    let changed = false;
    for (let i = 0; i < this.data.length; i++) {
      if (this.data[i] === from) {
        this.data[i] = to;
        changed = true;
      }
    }
    return changed;
  }

  /** `rect` cut to the mask, or null when nothing of it is inside. */
  clip(rect: Rect): Rect | null {
    const x = Math.max(0, rect.x);
    const y = Math.max(0, rect.y);
    const right = Math.min(this.width, rect.x + rect.width);
    const bottom = Math.min(this.height, rect.y + rect.height);
    return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
  }
}

/** The smallest rectangle holding both (either may be null). */
export function unionRect(a: Rect | null, b: Rect | null): Rect | null {
  if (!a) return b;
  if (!b) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

/** `#rrggbb` (or `#rgb`) as [r, g, b]; black when unreadable. */
export function parseHexColor(color: string): [number, number, number] {
  let hex = color.trim().replace(/^#/, '');
  if (/^[0-9a-f]{3}$/i.test(hex)) hex = [...hex].map((c) => c + c).join('');
  if (!/^[0-9a-f]{6}/i.test(hex)) return [0, 0, 0];
  return [parseInt(hex.slice(0, 2), 16), parseInt(hex.slice(2, 4), 16), parseInt(hex.slice(4, 6), 16)];
}

/**
 * The RGBA pixels of `rect` for drawing or encoding: class `n` gets `colors[n - 1]` fully
 * opaque, unlabelled pixels are transparent black.
 */
export function maskPixels(mask: LabelMask, rect: Rect, colors: ReadonlyArray<readonly [number, number, number]>): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(rect.width * rect.height * 4);
  for (let row = 0; row < rect.height; row++) {
    let source = (rect.y + row) * mask.width + rect.x;
    let target = row * rect.width * 4;
    for (let col = 0; col < rect.width; col++, source++, target += 4) {
      const value = mask.data[source]!;
      const rgb = value === 0 ? undefined : colors[value - 1];
      if (!rgb) continue;
      out[target] = rgb[0];
      out[target + 1] = rgb[1];
      out[target + 2] = rgb[2];
      out[target + 3] = 255;
    }
  }
  return out;
}

/**
 * Reads a mask back from RGBA pixels (an `initial-value` PNG or a restored draft): a pixel whose
 * colour is exactly one of `colors` (and not transparent) gets that class; others stay 0.
 */
export function maskFromPixels(width: number, height: number, rgba: Uint8ClampedArray, colors: ReadonlyArray<readonly [number, number, number]>): LabelMask {
  const byColor = new Map<number, number>();
  colors.forEach(([r, g, b], i) => {
    const key = (r << 16) | (g << 8) | b;
    if (!byColor.has(key)) byColor.set(key, i + 1);
  });
  const mask = new LabelMask(width, height);
  for (let i = 0, p = 0; i < mask.data.length; i++, p += 4) {
    if (rgba[p + 3]! < 128) continue;
    mask.data[i] = byColor.get((rgba[p]! << 16) | (rgba[p + 1]! << 8) | rgba[p + 2]!) ?? 0;
  }
  return mask;
}
