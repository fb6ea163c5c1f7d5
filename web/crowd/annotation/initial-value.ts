/**
 * Reading `initial-value` entries, leniently: the documents show both a bare array and an object
 * holding one (`{ lines: [...] }`), with numbers sometimes quoted. Entries without a label or
 * with unreadable coordinates are skipped rather than failing the whole element.
 */
import type { LooseValue } from '../literal.js';
import type { InitialShape } from './annotator-base.js';
import { readPoints, type Point } from './geometry.js';

/** The entries: `parsed` itself when it is an array, else `parsed[key]` when that is. */
export function initialEntries(parsed: LooseValue, key: string): Array<{ [key: string]: LooseValue }> {
  const list = Array.isArray(parsed) ? parsed : parsed && typeof parsed === 'object' ? parsed[key] : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter((e): e is { [key: string]: LooseValue } => e !== null && typeof e === 'object' && !Array.isArray(e));
}

/** Entries with a `label` and points read by `points`. */
export function initialShapes(parsed: LooseValue, key: string, points: (entry: { [key: string]: LooseValue }) => Point[] | undefined): InitialShape[] {
  return initialEntries(parsed, key).flatMap((entry) => {
    const read = points(entry);
    return typeof entry.label === 'string' && read && read.length > 0 ? [{ label: entry.label, points: read }] : [];
  });
}

/** Points from an entry's `vertices`. */
export const vertexPoints = (entry: { [key: string]: LooseValue }): Point[] | undefined => readPoints(entry.vertices);
