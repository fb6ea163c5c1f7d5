/**
 * The task page's JSON API. Every route needs the session; every one changes state (a claim is
 * a lease), so every one needs the `x-csrf-token` header too. Refusals are 4xx with
 * `{ message }`, a sentence the page shows as it is.
 *
 * | Route                                       | Answer                                     |
 * |---------------------------------------------|--------------------------------------------|
 * | `POST /portal/api/tasks/next`               | `{ task: PortalTask \| null, serverNow }`: a task the worker already holds, else a new claim |
 * | `POST /portal/api/tasks/:taskId/resume`     | `{ task: PortalTask, serverNow }` (404 when no longer held) |
 * | `POST /portal/api/tasks/:taskId/answer`     | body `{ answer: {...}, submissionId? }` → `{ loopCompleted, alreadySaved? }` |
 * | `POST /portal/api/tasks/:taskId/release`    | `{ released: true }`                       |
 */
import type { FastifyInstance } from 'fastify';
import {
  claimNextTask,
  getLeasedTask,
  MAX_ANSWER_BYTES,
  releaseTask,
  submitAnswer,
  type AssignedTask,
  type WorkerIdentity,
} from '../../operations/reviews.js';
import { heartbeatIntervalMs, keepLease } from '../../operations/lease-activity.js';
import { workerIdentity } from '../../operations/worker-sessions.js';
import type { Resources } from '../../resources.js';
import { findLeasedTaskIdsOfWorker } from '../../store/workers.js';
import { isTandemError } from '../aws/errors.js';
import { API_HEADERS } from './security-headers.js';
import { PortalError, requireSessionWithCsrf } from './session-guard.js';
import { renderTaskDocument } from './task-frame.js';

/** A task as the page needs it. */
export interface PortalTask {
  taskId: string;
  title: string;
  description: string;
  keywords: string[];
  acceptedAt: number;
  leaseExpiresAt: number;
  timeLimitSeconds: number;
  frameUrl: string;
  /** How often the page must send a heartbeat to keep the lease (see lease-api.ts). */
  heartbeatIntervalMs: number;
  /** Seconds without a heartbeat after which the lease goes back to the queue. */
  idleTimeoutSeconds: number;
  /** Set when the template cannot be rendered: the page shows it and offers Skip. */
  renderError?: string | undefined;
}

type TaskParams = { Params: { taskId: string } };

/** A page-generated submission id (the page uses `crypto.randomUUID()`). */
const SUBMISSION_ID = /^[A-Za-z0-9_-]{8,64}$/;

export async function registerTaskApi(app: FastifyInstance, resources: Resources) {
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(API_HEADERS);
  });

  app.post('/tasks/next', async (request) => {
    const session = await requireSessionWithCsrf(resources, request);
    const worker = workerIdentity(session.worker);
    const started = performance.now();
    const task = (await heldTask(resources, worker)) ?? (await claimNextTask(resources, worker));
    resources.metrics?.claimDuration.observe({ outcome: task ? 'claimed' : 'empty' }, (performance.now() - started) / 1000);
    return { task: task ? await toPortalTask(resources, task) : null, serverNow: resources.clock.now() };
  });

  app.post<TaskParams>('/tasks/:taskId/resume', async (request) => {
    const session = await requireSessionWithCsrf(resources, request);
    const worker = workerIdentity(session.worker);
    const task = await getLeasedTask(resources, worker, request.params.taskId);
    // A reload resumes the lease its closing page gave up (lease-api.ts `leave`).
    await keepLease(resources, worker, task.taskId);
    return { task: await toPortalTask(resources, task), serverNow: resources.clock.now() };
  });

  app.post<TaskParams>('/tasks/:taskId/answer', { bodyLimit: MAX_ANSWER_BYTES + 1024 }, async (request) => {
    const session = await requireSessionWithCsrf(resources, request);
    const body = request.body as { answer?: unknown; submissionId?: unknown } | undefined;
    const answer = body?.answer;
    const submissionId = body?.submissionId;
    if (submissionId !== undefined && (typeof submissionId !== 'string' || !SUBMISSION_ID.test(submissionId))) {
      throw new PortalError(400, 'The submission id must be 8 to 64 letters, digits, - or _; nothing was saved.', 'error.submissionId');
    }
    if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) {
      throw new PortalError(400, 'The answer must be a JSON object of the task’s named fields; nothing was saved.', 'error.answerShape');
    }
    if (Buffer.byteLength(JSON.stringify(answer)) > MAX_ANSWER_BYTES) {
      throw new PortalError(413, `The answer is larger than ${MAX_ANSWER_BYTES / 1024} KiB; nothing was saved.`, 'error.answerTooLarge', { kib: MAX_ANSWER_BYTES / 1024 });
    }
    const started = performance.now();
    let outcome = 'refused';
    try {
      const saved = await submitAnswer(resources, workerIdentity(session.worker), request.params.taskId, answer as Record<string, unknown>, submissionId);
      outcome = saved.loopCompleted ? 'completed_loop' : 'saved';
      return saved;
    } finally {
      resources.metrics?.answerDuration.observe({ outcome }, (performance.now() - started) / 1000);
    }
  });

  app.post<TaskParams>('/tasks/:taskId/release', async (request) => {
    const session = await requireSessionWithCsrf(resources, request);
    await releaseTask(resources, workerIdentity(session.worker), request.params.taskId);
    return { released: true };
  });
}

/** The oldest task the worker still holds (another tab, a reload, a new sign-in), if any. */
async function heldTask(resources: Resources, worker: WorkerIdentity): Promise<AssignedTask | undefined> {
  for (const taskId of await findLeasedTaskIdsOfWorker(resources.store.db, worker.id, resources.clock.now())) {
    try {
      const task = await getLeasedTask(resources, worker, taskId);
      await keepLease(resources, worker, taskId);
      return task;
    } catch (error) {
      // Lost between the two reads (expired, stopped): try the next one.
      if (!isTandemError(error) || error.kind !== 'NotFound') throw error;
    }
  }
  return undefined;
}

async function toPortalTask(resources: Resources, task: AssignedTask): Promise<PortalTask> {
  const rendered = await renderTaskDocument(resources, task);
  return {
    taskId: task.taskId,
    title: task.title,
    description: task.description,
    keywords: task.keywords,
    acceptedAt: task.acceptedAt,
    leaseExpiresAt: task.leaseExpiresAt,
    timeLimitSeconds: task.timeLimitSeconds,
    heartbeatIntervalMs: heartbeatIntervalMs(resources),
    idleTimeoutSeconds: resources.config.leaseIdleTimeoutSeconds,
    frameUrl: `/portal/tasks/${encodeURIComponent(task.taskId)}/frame`,
    renderError: rendered.ok ? undefined : rendered.message,
  };
}
