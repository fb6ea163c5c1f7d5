import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainUnavailable, holdsLease, leaseDeadline, type SlotView } from '../../src/domain/task-assignment.js';

const worker = { id: 'w1', accountId: '111122223333' };
const leased: SlotView = { accountId: '111122223333', status: 'leased', workerId: 'w1', leaseExpiresAt: 2_000 };

test('a lease lasts TaskTimeLimitInSeconds from its start', () => {
  assert.equal(leaseDeadline(1_000, 30), 31_000);
});

test('a worker holds a slot only while leased to them and unexpired', () => {
  assert.equal(holdsLease(leased, 'w1', 1_999), true);
  assert.equal(holdsLease(leased, 'w1', 2_000), false, 'the deadline itself is expired');
  assert.equal(holdsLease(leased, 'w2', 1_000), false);
  assert.equal(holdsLease({ ...leased, status: 'done' }, 'w1', 1_000), false);
});

test('each reason a worker cannot answer is told in words they can act on', () => {
  assert.equal(explainUnavailable(leased, worker, 1_000), undefined);
  assert.equal(explainUnavailable(undefined, worker, 1_000), 'This task does not exist.');
  assert.equal(explainUnavailable({ ...leased, accountId: '999988887777' }, worker, 1_000), 'This task does not exist.', 'another account\'s slot is not revealed');
  assert.match(explainUnavailable({ ...leased, status: 'cancelled' }, worker, 1_000)!, /withdrawn/);
  assert.match(explainUnavailable({ ...leased, workerId: 'w2' }, worker, 1_000)!, /not assigned to you/);
  assert.match(explainUnavailable({ ...leased, status: 'done' }, worker, 1_000)!, /already submitted/);
  assert.match(explainUnavailable(leased, worker, 5_000)!, /ran out/);
});
