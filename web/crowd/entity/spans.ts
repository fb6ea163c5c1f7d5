/**
 * The pure half of crowd-entity-annotation: cutting the text into the pieces a worker selects
 * (words, numbers, single punctuation marks) and keeping labelled spans consistent. Offsets are
 * UTF-16 code units, i.e. JavaScript string indices (UNCONFIRMED: the docs say "unicode offset";
 * they differ from code points only for characters outside the Basic Multilingual Plane), and
 * `endOffset` is the offset of the first character after the span (entity doc).
 */

export interface Entity {
  label: string;
  startOffset: number;
  endOffset: number;
}

/** A selectable piece of the text: [start, end) offsets. */
export interface Piece {
  start: number;
  end: number;
}

const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['’._-][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;

/**
 * The selectable pieces of `text`: its tokens, further cut at every entity boundary so an
 * entity given by offsets (initial-value) that ends inside a word still lines up with pieces.
 */
export function piecesOf(text: string, entities: readonly Entity[]): Piece[] {
  const cuts = new Set<number>();
  for (const e of entities) {
    cuts.add(e.startOffset);
    cuts.add(e.endOffset);
  }
  const pieces: Piece[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    let from = start;
    for (let i = start + 1; i < end; i++) {
      if (cuts.has(i)) {
        pieces.push({ start: from, end: i });
        from = i;
      }
    }
    pieces.push({ start: from, end });
  }
  return pieces;
}

/** Whether two spans share at least one character. */
export function overlaps(a: { startOffset: number; endOffset: number }, b: { startOffset: number; endOffset: number }): boolean {
  return a.startOffset < b.endOffset && b.startOffset < a.endOffset;
}

/**
 * `entities` with `added` in place: spans it overlaps are replaced (a worker relabelling a
 * stretch of text means the new label). The result is in document order.
 */
export function withEntity(entities: readonly Entity[], added: Entity): Entity[] {
  return sortEntities([...entities.filter((e) => !overlaps(e, added)), added]);
}

/** Document order (then shorter first), as in every documented example. */
export function sortEntities(entities: readonly Entity[]): Entity[] {
  return [...entities].sort((a, b) => a.startOffset - b.startOffset || a.endOffset - b.endOffset);
}

/** Keeps entities that lie inside `text` with a start before their end. */
export function validEntities(entities: readonly Entity[], text: string): Entity[] {
  return entities.filter(
    (e) => Number.isInteger(e.startOffset) && Number.isInteger(e.endOffset) && e.startOffset >= 0 && e.endOffset <= text.length && e.startOffset < e.endOffset,
  );
}
