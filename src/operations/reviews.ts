import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { NotFoundError, ValidationError } from '../api/aws/errors.js';
import type { Resources } from '../resources.js';
import * as answers from '../store/answers.js';
import { findFlowDefinition } from '../store/flow-definitions.js';
import { findHumanTaskUi } from '../store/human-task-uis.js';
import { transitionHumanLoop } from '../store/human-loops.js';
import { appendEvent } from '../store/outbox.js';
import { appendTaskEvents } from '../store/task-events.js';
import type { Database, HumanLoopRow, TaskRow } from '../store/schema.js';
import * as tasks from '../store/tasks.js';
import { loopEvent, type LoopStartedHook } from './human-loops.js';
import { completeLoop } from './completion.js';
import { explainUnavailable } from '../domain/task-assignment.js';
import { templateTaskInput } from '../domain/built-in-input.js';
import type { HumanLoopConfig } from './flow-definitions.js';
import { findTemplateProblems } from '../templates/template-check.js';
import { holdLoopForTemplate } from './template-holds.js';
import { recordLoopEnded } from '../observability/loop-lifecycle.js';

/** The signed-in reviewer, as the portal knows them. */
export interface WorkerIdentity {
  id: string;
  accountId: string;
  identityProvider: 'Tandem' | 'Oidc';
  issuer?: string | undefined;
  subject?: string | undefined;
}

/** A slot leased to a worker, with what the portal needs to show it. */
export interface AssignedTask {
  taskId: string;
  /** The loop's account: its template may grant read access to this account's objects only. */
  accountId: string;
  humanLoopName: string;
  flowDefinitionName: string;
  title: string;
  description: string;
  keywords: string[];
  acceptedAt: number;
  leaseExpiresAt: number;
  timeLimitSeconds: number;
  input: unknown;
  template: string;
}

/** Largest answer accepted from a worker, as serialized JSON. */
export const MAX_ANSWER_BYTES = 512 * 1024;

/**
 * A new loop's review slots: TaskCount open `tasks` rows (slot 0…N-1) for the flow definition's
 * team, each leased for TaskTimeLimitInSeconds and open until the loop's creation time +
 * TaskAvailabilityLifetimeInSeconds. The store writes them with the loop, in the same statement
 * on PostgreSQL and the same transaction on SQLite (`startLoop`, store/human-loop-start.ts), so a
 * loop never exists without its tasks.
 */
export const createReviewSlots: LoopStartedHook = { reviewSlots: true };

/** How many loops with an unusable template one claim may hold before it gives up for now. */
const MAX_HOLDS_PER_CLAIM = 20;

export async function claimNextTask(resources: Resources, worker: WorkerIdentity): Promise<AssignedTask | undefined> {
  const { db, dialect } = resources.store;
  for (let attempt = 0, holds = 0; attempt < 3; ) {
    try {
      const now = resources.clock.now();
      // The lease also ends when the task page stops beating (operations/lease-activity.ts).
      const task = await db.transaction().execute(async (tx) => {
        const leased = await tasks.claimNextTask(tx, dialect, worker, now, now + resources.config.leaseIdleTimeoutSeconds * 1000);
        if (leased) await appendTaskEvents(tx, [leased], now, () => ({ topic: 'task.leased' }));
        return leased;
      });
      if (!task) return undefined;
      const assigned = await describeAssignment(resources, task);
      // A template that would lose answers is never shown: its loop waits (template-holds.ts).
      const problems = findTemplateProblems(assigned.template);
      if (problems.length === 0) return assigned;
      await holdLoopForTemplate(resources, task, assigned.humanLoopName, problems);
      if (++holds >= MAX_HOLDS_PER_CLAIM) return undefined;
    } catch (error) {
      attempt++;
      // The same worker claiming twice at once can race to two slots of one loop; the unique
      // index refuses the second, and the retry finds another loop.
      if (attempt === 3 || !isUniqueViolation(error)) throw error;
    }
  }
  return undefined;
}

export async function getLeasedTask(resources: Resources, worker: WorkerIdentity, taskId: string): Promise<AssignedTask> {
  const task = await tasks.findHeldTask(resources.store.db, taskId, worker.id, resources.clock.now());
  if (!task) throw await notHeld(resources.store.db, taskId, worker);
  return describeAssignment(resources, task);
}

/** Skip: the slot goes back to the queue and this worker is not offered the loop again. */
export async function releaseTask(resources: Resources, worker: WorkerIdentity, taskId: string): Promise<void> {
  await resources.store.db.transaction().execute(async (tx) => {
    const task = await tasks.findTask(tx, taskId);
    if (!task || task.worker_id !== worker.id || !(await tasks.releaseTask(tx, taskId, worker.id))) {
      throw await notHeld(tx, taskId, worker);
    }
    const now = resources.clock.now();
    await tasks.recordSkip(tx, task.human_loop_id, worker.id, now);
    await appendTaskEvents(tx, [task], now, () => ({ topic: 'task.returned', reason: 'skipped' }));
  });
}

export async function releaseWorkerLeases(resources: Resources, workerId: string): Promise<number> {
  return tasks.releaseLeasesOfWorker(resources.store.db, workerId, resources.clock.now());
}

/**
 * Stores a worker's answer. The slot must still be leased to them, unexpired, on an InProgress
 * loop. The N-th answer marks the loop's answers complete in the same transaction; output.json
 * is then written and the loop turns Completed (retried by the engine if the write fails).
 */
export async function submitAnswer(
  resources: Resources,
  worker: WorkerIdentity,
  taskId: string,
  answer: Record<string, unknown>,
  /** The page's id for this submit; a retry with the same id after the answer was stored succeeds again instead of failing. */
  submissionId?: string,
): Promise<{ loopCompleted: boolean; alreadySaved?: boolean }> {
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) {
    throw new ValidationError('The answer must be a JSON object.');
  }
  const content = JSON.stringify(answer);
  if (Buffer.byteLength(content) > MAX_ANSWER_BYTES) {
    throw new ValidationError(`The answer is larger than ${MAX_ANSWER_BYTES / 1024} KiB.`);
  }
  const now = resources.clock.now();
  let loopId: string | undefined;
  try {
    loopId = await storeAnswer(resources, worker, taskId, content, now, submissionId);
  } catch (error) {
    // A retry of a submit whose first attempt was stored (its response was lost on the way back).
    if (submissionId === undefined || !(error instanceof NotFoundError)) throw error;
    const stored = await answers.findAnswerOfSubmission(resources.store.db, taskId, worker.id, submissionId);
    if (!stored) throw error;
    return { loopCompleted: stored.loopStatus === 'Completed', alreadySaved: true };
  }
  if (!loopId) return { loopCompleted: false };
  try {
    // A failed write is recorded for the engine's completion task to retry (or fail the loop).
    return { loopCompleted: (await completeLoop(resources, loopId)) === 'completed' };
  } catch (error) {
    // The answers are committed; the engine's completion task retries the output write.
    resources.logger.warn({ err: error, loopId }, 'output write failed; will retry');
    return { loopCompleted: false };
  }
}

/** The answer's transaction; returns the loop id when this answer was the loop's last. */
async function storeAnswer(
  resources: Resources,
  worker: WorkerIdentity,
  taskId: string,
  content: string,
  now: number,
  submissionId: string | undefined,
): Promise<string | undefined> {
  return resources.store.db.transaction().execute(async (tx) => {
    const task = await tasks.findHeldTask(tx, taskId, worker.id, now);
    if (!task) throw await notHeld(tx, taskId, worker);
    // On PostgreSQL the loop row is locked until commit, so a concurrent StopHumanLoop either
    // happens before this answer (which is then refused) or after it, never in between.
    const query = tx.selectFrom('human_loops').selectAll().where('id', '=', task.human_loop_id);
    const loop = await (resources.store.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
    if (!loop || loop.status !== 'InProgress') {
      throw new ValidationError(`This task's human loop is ${loop?.status ?? 'deleted'}; no more answers are accepted.`);
    }
    if (!(await tasks.markTaskDone(tx, taskId, worker.id, now))) throw await notHeld(tx, taskId, worker);
    const timeSpentInSeconds = Math.round(now - (task.leased_at ?? now)) / 1000;
    await appendTaskEvents(tx, [task], now, () => ({ topic: 'task.answered', submittedAt: now, timeSpentInSeconds }));
    await answers.insertAnswer(tx, {
      id: randomUUID(),
      account_id: task.account_id,
      human_loop_id: task.human_loop_id,
      task_id: task.id,
      worker_id: worker.id,
      answer_content: content,
      worker_metadata: JSON.stringify(workerMetadata(resources, worker)),
      accepted_at: task.leased_at ?? now,
      submitted_at: now,
      time_spent_seconds: timeSpentInSeconds,
      submission_id: submissionId ?? null,
    });
    const flow = await findFlowDefinition(tx, loop.account_id, loop.flow_definition_name);
    const done = await tasks.countDoneTasks(tx, loop.id);
    if (done < (flow?.task_count ?? 1)) return undefined;
    await tx.updateTable('human_loops').set({ answers_complete_at: now }).where('id', '=', loop.id).execute();
    return loop.id;
  });
}

/** Stop: no slot of the loop is offered or accepted any more. */
export async function cancelReviewSlots(tx: Kysely<Database>, loop: HumanLoopRow): Promise<void> {
  await tasks.cancelOpenTasks(tx, loop.id);
}

/** Loops whose availability lifetime passed before TaskCount answers: Failed, `Expired`. */
export async function expireOverdueLoops(resources: Resources, limit = 100): Promise<number> {
  const now = resources.clock.now();
  const ids = await tasks.findExpiredLoopIds(resources.store.db, now, limit);
  let expired = 0;
  for (const id of ids) {
    let ended: Parameters<typeof recordLoopEnded>[1] | undefined;
    await resources.store.db.transaction().execute(async (tx) => {
      const loop = await tx.selectFrom('human_loops').selectAll().where('id', '=', id).executeTakeFirst();
      if (!loop || loop.status !== 'InProgress' || loop.answers_complete_at !== null) {
        await tasks.cancelOpenTasks(tx, id);
        return;
      }
      const failure = {
        failure_code: 'Expired',
        failure_reason: 'The human loop expired: its TaskAvailabilityLifetimeInSeconds passed before all review tasks were answered.',
      };
      if (!(await transitionHumanLoop(tx, id, ['InProgress'], { status: 'Failed', failed_at: now, ...failure }))) return;
      await tasks.cancelOpenTasks(tx, id);
      await appendEvent(tx, loopEvent({ ...loop, status: 'Failed', ...failure }, 'human-loop.failed', now));
      expired += 1;
      ended = { ...loop, ...failure };
    });
    if (ended) recordLoopEnded(resources, ended, 'Failed', now);
  }
  return expired;
}

async function describeAssignment(resources: Resources, task: TaskRow): Promise<AssignedTask> {
  const db = resources.store.db;
  const loop = await db.selectFrom('human_loops').selectAll().where('id', '=', task.human_loop_id).executeTakeFirstOrThrow();
  const flow = await findFlowDefinition(db, loop.account_id, loop.flow_definition_name);
  if (!flow) throw new NotFoundError(`Flow definition '${loop.flow_definition_arn}' does not exist.`);
  const ui = await findHumanTaskUi(db, loop.account_id, flow.human_task_ui_name);
  const config = JSON.parse(flow.human_loop_config) as HumanLoopConfig;
  return {
    taskId: task.id,
    accountId: loop.account_id,
    humanLoopName: loop.name,
    flowDefinitionName: flow.name,
    title: config.TaskTitle,
    description: config.TaskDescription,
    keywords: config.TaskKeywords ?? [],
    acceptedAt: task.leased_at ?? resources.clock.now(),
    leaseExpiresAt: task.lease_expires_at ?? resources.clock.now(),
    timeLimitSeconds: task.time_limit_seconds,
    input: templateTaskInput(loop.input_content, loop.human_loop_context),
    template: ui?.template ?? '',
  };
}

/** The NotFoundError a worker sees for a slot they cannot act on. */
async function notHeld(db: Kysely<Database>, taskId: string, worker: WorkerIdentity): Promise<NotFoundError> {
  const task = await tasks.findTask(db, taskId);
  const slot = task && { accountId: task.account_id, status: task.status, workerId: task.worker_id, leaseExpiresAt: task.lease_expires_at };
  // `now` = +Infinity: a slot reaching here is already known not to be held, so only the reason matters.
  return new NotFoundError(explainUnavailable(slot, worker, Number.POSITIVE_INFINITY) ?? 'This task is not assigned to you.');
}

function workerMetadata(resources: Resources, worker: WorkerIdentity) {
  return {
    identityData: {
      identityProviderType: worker.identityProvider,
      issuer: worker.issuer ?? resources.config.publicUrl,
      sub: worker.subject ?? worker.id,
    },
  };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(String(e?.message));
}
