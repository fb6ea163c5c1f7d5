import type { TaskStatus } from '../store/schema.js';

/**
 * The assignment rules that are not a single SQL statement, as pure functions: when a lease
 * ends, and what a worker is told when a slot is no longer theirs to answer.
 */
export function leaseDeadline(leasedAt: number, timeLimitSeconds: number): number {
  return leasedAt + timeLimitSeconds * 1000;
}

export interface SlotView {
  accountId: string;
  status: TaskStatus;
  workerId: string | null;
  leaseExpiresAt: number | null;
}

/** True when `workerId` may answer the slot at `now`. */
export function holdsLease(slot: SlotView, workerId: string, now: number): boolean {
  return slot.status === 'leased' && slot.workerId === workerId && slot.leaseExpiresAt !== null && slot.leaseExpiresAt > now;
}

/** Why a worker cannot act on a slot, in words they can act on; undefined when they can. */
export function explainUnavailable(slot: SlotView | undefined, worker: { id: string; accountId: string }, now: number): string | undefined {
  if (!slot || slot.accountId !== worker.accountId) return 'This task does not exist.';
  if (holdsLease(slot, worker.id, now)) return undefined;
  if (slot.status === 'cancelled') return 'This task was withdrawn: its human loop was stopped or expired.';
  if (slot.workerId !== worker.id) return 'This task is not assigned to you (your time may have run out).';
  if (slot.status === 'done') return 'You already submitted this task.';
  return 'Your time for this task ran out; it went back to the queue.';
}
