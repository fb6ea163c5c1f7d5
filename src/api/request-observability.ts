import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Resources } from '../resources.js';
import { redactUrl } from '../security/log-redaction.js';
import { authFailureReason } from './aws/auth-failure-reason.js';
import { AuthenticationError } from './aws/errors.js';
import { operationName } from './operation-name.js';
import { PortalError } from './portal/session-guard.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Why the request was refused (401/403), for the access log; never a secret. */
    refusal?: string;
  }
}

/**
 * Routes a page calls on a timer (the portal's wait for the next task, the task page's
 * heartbeat): an idle tab must not fill the log, so they log at debug unless they fail.
 */
const POLLING_ROUTES = new Set(['POST /portal/api/tasks/next', 'POST /portal/api/tasks/:taskId/heartbeat']);

/**
 * One log line and one duration observation per request, for every route of the server: hooks
 * on the root instance, so every plugin's requests pass through them. Fastify's own two lines
 * per request are turned off (server.ts).
 */
export function registerRequestObservability(app: FastifyInstance, resources: Resources): void {
  app.decorateRequest('refusal', undefined);

  app.addHook('onRequest', async (request, reply) => {
    // Every answer carries the id its log line has, not only the AWS APIs' answers.
    reply.header('x-amzn-requestid', request.id);
  });

  app.addHook('onError', async (request, _reply, error) => {
    if (error instanceof AuthenticationError) request.refusal = authFailureReason(error, authorizationOf(request));
    else if (error instanceof PortalError && (error.status === 401 || error.status === 403)) request.refusal = error.message;
  });

  app.addHook('onResponse', async (request, reply) => {
    const operation = operationName(request);
    const status = reply.statusCode;
    const durationMs = Math.round(reply.elapsedTime * 100) / 100;
    resources.metrics?.httpDuration.observe({ operation, code: String(status) }, durationMs / 1000);
    // The request id is bound to request.log as `requestId` (server.ts).
    const line: Record<string, unknown> = {
      operation,
      account: request.caller?.accountId,
      status,
      durationMs,
      method: request.method,
      path: redactUrl(request.url),
    };
    if (status === 401 || status === 403) line.reason = request.refusal ?? 'refused';
    const route = `${request.method} ${request.routeOptions.url ?? ''}`;
    const message = `${operation} ${status}`;
    if (status >= 500) request.log.error(line, message);
    else if (status === 401 || status === 403) request.log.warn(line, message);
    else if (POLLING_ROUTES.has(route)) request.log.debug(line, message);
    else request.log.info(line, message);
  });
}

function authorizationOf(request: FastifyRequest): string | undefined {
  const value = request.headers.authorization;
  return Array.isArray(value) ? value[0] : value;
}
