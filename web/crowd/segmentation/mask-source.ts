/**
 * Reading the mask an `initial-value` or a saved draft describes: a PNG (`src` URL, or the
 * answer's `labeledImage.pngImageData` base64) and what its colours stand for
 * (`labelMappings: { <label>: { color } }` or `instances: [{ color, label }]`).
 */
import { LABEL_PALETTE } from '../annotation/geometry.js';
import type { LooseValue } from '../literal.js';

type LooseObject = { [key: string]: LooseValue };

function isObject(value: LooseValue): value is LooseObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The PNG's URL: `src`, or the answer's base64 data as a data: URL; undefined when neither. */
export function maskPngUrl(parsed: LooseValue): string | undefined {
  if (!isObject(parsed)) return undefined;
  if (typeof parsed.src === 'string' && parsed.src !== '') return parsed.src;
  const labeled = parsed.labeledImage;
  const data = isObject(labeled) ? labeled.pngImageData : undefined;
  return typeof data === 'string' && data !== '' ? `data:image/png;base64,${data}` : undefined;
}

/** `labelMappings` as label → colour (entries without a colour are skipped). */
export function readLabelMappings(parsed: LooseValue): Map<string, string> {
  const mappings = isObject(parsed) ? parsed.labelMappings : undefined;
  const colors = new Map<string, string>();
  if (!isObject(mappings)) return colors;
  for (const [label, entry] of Object.entries(mappings)) {
    const color = isObject(entry) ? entry.color : undefined;
    if (typeof color === 'string' && isHexColor(color)) colors.set(label, color);
  }
  return colors;
}

/** `instances` as `{ color, label }` entries (malformed ones are skipped). */
export function readInstances(parsed: LooseValue): Array<{ color: string; label: string }> {
  const list = isObject(parsed) ? parsed.instances : undefined;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry) =>
    isObject(entry) && typeof entry.label === 'string' && typeof entry.color === 'string' && isHexColor(entry.color) ? [{ color: entry.color, label: entry.label }] : [],
  );
}

export function isHexColor(color: string): boolean {
  return /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(color);
}

/**
 * A colour for a new instance: the first of the category10 palette not yet taken, then colours
 * spread around the hue circle (golden angle) so neighbours stay tellable apart.
 */
export function nextInstanceColor(taken: ReadonlySet<string>): string {
  const free = LABEL_PALETTE.find((c) => !taken.has(c.toLowerCase()));
  if (free) return free;
  for (let n = taken.size; ; n++) {
    const color = hslToHex((n * 137.508) % 360, 0.65, 0.5);
    if (!taken.has(color)) return color;
  }
}

function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return `#${[channel(0), channel(8), channel(4)].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
