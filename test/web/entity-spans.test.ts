/** The pure rules of crowd-entity-annotation (web/crowd/entity/spans.ts). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { piecesOf, validEntities, withEntity } from '../../web/crowd/entity/spans.js';

describe('entity spans', () => {
  test('pieces are words, numbers and single punctuation marks, with offsets as string indices', () => {
    const text = 'Sift 3 cups of flour into the bowl.';
    const pieces = piecesOf(text, []).map((p) => text.slice(p.start, p.end));
    assert.deepEqual(pieces, ['Sift', '3', 'cups', 'of', 'flour', 'into', 'the', 'bowl', '.']);
    assert.deepEqual(piecesOf(text, [])[0], { start: 0, end: 4 }); // the documented "Sift" span
  });

  test('an entity boundary inside a word cuts the word', () => {
    const pieces = piecesOf('New-Yorkers', [{ label: 'place', startOffset: 0, endOffset: 8 }]);
    assert.deepEqual(pieces, [{ start: 0, end: 8 }, { start: 8, end: 11 }]);
  });

  test('a new span replaces the spans it overlaps; the list stays in document order', () => {
    const a = { label: 'verb', startOffset: 0, endOffset: 4 };
    const b = { label: 'object', startOffset: 15, endOffset: 20 };
    const c = { label: 'number', startOffset: 5, endOffset: 11 };
    assert.deepEqual(withEntity([b, a], c), [a, c, b]);
    assert.deepEqual(withEntity([a, b], { label: 'x', startOffset: 2, endOffset: 16 }), [{ label: 'x', startOffset: 2, endOffset: 16 }]);
  });

  test('entities outside the text or empty are dropped', () => {
    const kept = validEntities(
      [
        { label: 'a', startOffset: 0, endOffset: 3 },
        { label: 'b', startOffset: 2, endOffset: 2 },
        { label: 'c', startOffset: 1, endOffset: 99 },
      ],
      'hello',
    );
    assert.deepEqual(kept.map((e) => e.label), ['a']);
  });
});
