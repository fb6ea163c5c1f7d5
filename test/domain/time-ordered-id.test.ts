import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeOrderedId } from '../../src/domain/time-ordered-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('a version 7 UUID whose first 48 bits are the given time in milliseconds', () => {
  const at = Date.parse('2026-11-30T05:00:00.123Z');
  const id = timeOrderedId(at);
  assert.match(id, UUID_V7);
  assert.equal(parseInt(id.replace('-', '').slice(0, 12), 16), at);
});

test('ids of later milliseconds sort after earlier ones as text; ids of one millisecond differ', () => {
  const at = Date.parse('2026-11-30T05:00:00.000Z');
  const ids = [at, at + 1, at + 1000, at + 86_400_000].map((time) => timeOrderedId(time));
  assert.deepEqual([...ids].sort(), ids);
  const sameMillisecond = new Set(Array.from({ length: 1000 }, () => timeOrderedId(at)));
  assert.equal(sameMillisecond.size, 1000);
});

test('defaults to the current time', () => {
  const before = Date.now();
  const id = timeOrderedId();
  const time = parseInt(id.replace('-', '').slice(0, 12), 16);
  assert.ok(time >= before && time <= Date.now());
});
