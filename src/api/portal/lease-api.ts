/**
 * The task page's lease calls (issue 14), beside task-api.ts. Both need the session and the CSRF
 * token: a header from `fetch`, or the `_csrf` form field from `navigator.sendBeacon`, which
 * cannot set headers.
 *
 * | Route                                      | Answer |
 * |--------------------------------------------|--------|
 * | `POST /portal/api/tasks/:taskId/heartbeat` | `{ leaseExpiresAt, idleReleaseAt, serverNow }`; 404 when the task is no longer held; 410 `{ code: 'TaskAnswered' }` when this worker answered it |
 * | `POST /portal/api/tasks/:taskId/leave`     | the same; the lease goes back to the queue after a short grace unless a page resumes it |
 */
import type { FastifyInstance } from 'fastify';
import { keepLease, leaveTask, TaskAnsweredError } from '../../operations/lease-activity.js';
import { workerIdentity } from '../../operations/worker-sessions.js';
import type { Resources } from '../../resources.js';
import { API_HEADERS } from './security-headers.js';
import { requireSessionWithCsrf } from './session-guard.js';

type TaskParams = { Params: { taskId: string } };

export async function registerLeaseApi(app: FastifyInstance, resources: Resources) {
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(API_HEADERS);
  });

  app.post<TaskParams>('/tasks/:taskId/heartbeat', async (request, reply) => {
    const session = await requireSessionWithCsrf(resources, request);
    try {
      const lease = await keepLease(resources, workerIdentity(session.worker), request.params.taskId);
      return { ...lease, serverNow: resources.clock.now() };
    } catch (error) {
      // Not a lost lease: the page's last beat crossed its own answer. 410 with a code the page ignores.
      if (!(error instanceof TaskAnsweredError)) throw error;
      return reply.code(410).send({ code: error.code, message: error.message });
    }
  });

  app.post<TaskParams>('/tasks/:taskId/leave', async (request) => {
    const session = await requireSessionWithCsrf(resources, request);
    const lease = await leaveTask(resources, workerIdentity(session.worker), request.params.taskId);
    return { ...lease, serverNow: resources.clock.now() };
  });
}
