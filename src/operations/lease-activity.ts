/**
 * Leases that follow the person (issue 14): the open task page's heartbeat keeps a reviewer's
 * lease; a page that stops beating (closed tab, lost connection, sleeping laptop) loses it after
 * the configured idle time, and a page that says it is closing loses it after a short grace,
 * long before TaskTimeLimitInSeconds. The grace lets a reload take the same task back.
 */
import type { Resources } from '../resources.js';
import * as leaseActivity from '../store/lease-activity.js';
import { findTask } from '../store/tasks.js';
import { NotFoundError } from '../api/aws/errors.js';
import type { WorkerIdentity } from './reviews.js';

/** How long a lease outlives a page that said it was closing (pagehide): enough for a reload to resume it. */
export const LEAVE_GRACE_MS = 10_000;

/** The configured idle time (TANDEM_LEASE_IDLE_TIMEOUT) in milliseconds. */
export function leaseIdleTimeoutMs(resources: Resources): number {
  return resources.config.leaseIdleTimeoutSeconds * 1000;
}

/** How often the page beats: four beats per idle time, so one or two lost requests cost nothing. */
export function heartbeatIntervalMs(resources: Resources): number {
  return Math.floor(leaseIdleTimeoutMs(resources) / 4);
}

export interface LeaseState {
  leaseExpiresAt: number;
  idleReleaseAt: number;
}

/** A heartbeat: the worker's lease on `taskId` is kept for another idle time. NotFound when no longer held. */
export async function keepLease(resources: Resources, worker: WorkerIdentity, taskId: string): Promise<LeaseState> {
  const idleReleaseAt = resources.clock.now() + leaseIdleTimeoutMs(resources);
  return moveIdleRelease(resources, worker, taskId, idleReleaseAt);
}

/** The page is closing: the lease goes back to the queue after {@link LEAVE_GRACE_MS} unless a page resumes it. */
export async function leaveTask(resources: Resources, worker: WorkerIdentity, taskId: string): Promise<LeaseState> {
  const idleReleaseAt = resources.clock.now() + Math.min(LEAVE_GRACE_MS, leaseIdleTimeoutMs(resources));
  return moveIdleRelease(resources, worker, taskId, idleReleaseAt);
}

/** Engine duty: leases past their idle release go back to the queue. */
export async function releaseIdleLeases(resources: Resources, limit = 500): Promise<number> {
  return leaseActivity.releaseIdleLeases(resources.store.db, resources.clock.now(), limit);
}

/**
 * A heartbeat or leave for a task this worker has answered: the page beat once more as the answer
 * was stored. Nothing is wrong, so the portal answers it apart from a lost lease (lease-api.ts).
 */
export class TaskAnsweredError extends NotFoundError {
  readonly code = 'TaskAnswered';
}

async function moveIdleRelease(resources: Resources, worker: WorkerIdentity, taskId: string, idleReleaseAt: number): Promise<LeaseState> {
  const db = resources.store.db;
  const held = await leaseActivity.setIdleRelease(db, taskId, worker.id, resources.clock.now(), idleReleaseAt);
  if (held) return { leaseExpiresAt: held.leaseExpiresAt, idleReleaseAt };
  const task = await findTask(db, taskId);
  if (task?.status === 'done' && task.worker_id === worker.id) throw new TaskAnsweredError('You have answered this task; it needs no heartbeat.');
  throw new NotFoundError('This task is no longer assigned to you: its time ran out, it was answered or withdrawn, or it went back to the queue.');
}
