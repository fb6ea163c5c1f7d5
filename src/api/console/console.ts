/**
 * The admin console under `/console`: server-rendered pages (forms posting with the session's
 * CSRF token) plus a small script for the template editor's live preview and the queue page's
 * live refresh. Every action calls the same operation the AWS APIs call (src/operations/*), in
 * the account in view (guard.ts `callerOf`), and is written to the audit log.
 *
 * Refusals are pages with a 4xx status (`{message}` JSON under /console/api); operation errors
 * map by kind as in the portal.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { exceedsJsonDepth, jsonTooDeepMessage } from '../../domain/json-text.js';
import type { Resources } from '../../resources.js';
import { isTandemError, type ErrorKind } from '../aws/errors.js';
import { API_HEADERS } from '../portal/security-headers.js';
import { PortalError } from '../portal/session-guard.js';
import { registerConsoleAssets } from './assets.js';
import { registerAuditPage } from './audit.js';
import { guardConsoleRequest, type Access } from './guard.js';
import { consolePage, escapeHtml, notice } from './layout.js';
import { registerFlowPages } from './flows.js';
import { registerKeyPages } from './keys.js';
import { registerLoopPages } from './loops.js';
import { registerQueuePages } from './queues.js';
import { registerTeamPages } from './teams.js';
import { sendPage } from './respond.js';
import { registerConsoleSignIn } from './sign-in.js';
import { registerTaskUiPages } from './task-uis.js';

const FORM_BODY_LIMIT = 4 * 1024 * 1024;

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  Validation: 400,
  Serialization: 400,
  NotFound: 404,
  Conflict: 409,
  InUse: 409,
  LimitExceeded: 429,
  Throttled: 429,
  Authentication: 403,
  UnknownOperation: 404,
  PayloadTooLarge: 413,
  Unavailable: 503,
};

/** Every console route and its access, as registered (tests check that viewers are refused on each `admin` one). */
export const CONSOLE_ROUTES: Array<{ method: string; url: string; access: Access }> = [];

export async function registerConsole(app: FastifyInstance, { resources }: { resources: Resources }) {
  // `GET /` used to answer a 403 JSON error (it is no AWS operation): send people to the console.
  app.get('/', async (_request, reply) => reply.redirect('/console', 302));

  await app.register(
    async (consoleApp) => {
      consoleApp.removeAllContentTypeParsers();
      consoleApp.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) => {
        if (exceedsJsonDepth(body as string)) {
          done(new PortalError(400, `${jsonTooDeepMessage('The request body')} Nothing was saved.`), undefined);
          return;
        }
        try {
          done(null, body === '' ? {} : JSON.parse(body as string));
        } catch {
          done(new PortalError(400, 'The request body is not valid JSON; nothing was saved.'), undefined);
        }
      });
      consoleApp.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
        (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
      );
      consoleApp.addHook('onRoute', (route) => {
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        for (const method of methods) {
          if (method === 'HEAD') continue;
          const access = route.config?.access ?? (method === 'GET' ? 'viewer' : 'admin');
          if (!CONSOLE_ROUTES.some((r) => r.method === method && r.url === route.url)) CONSOLE_ROUTES.push({ method, url: route.url, access });
        }
      });
      consoleApp.addHook('preHandler', (request, reply) => guardConsoleRequest(resources, request, reply));
      consoleApp.setErrorHandler((error, request, reply) => sendConsoleError(request, reply, error));
      consoleApp.setNotFoundHandler(async (request, reply) => sendConsoleError(request, reply, new PortalError(404, 'There is no such console page.')));

      await registerConsoleAssets(consoleApp);
      await registerConsoleSignIn(consoleApp, resources);
      await registerLoopPages(consoleApp, resources);
      await registerAuditPage(consoleApp, resources);
      await registerTaskUiPages(consoleApp, resources);
      await registerFlowPages(consoleApp, resources);
      await registerTeamPages(consoleApp, resources);
      await registerQueuePages(consoleApp, resources);
      await registerKeyPages(consoleApp, resources);
    },
    { prefix: '/console' },
  );
}

function sendConsoleError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const [status, message] = describe(error);
  if (status >= 500) request.log.error({ err: error }, 'console request failed');
  if (request.url.startsWith('/console/api/')) {
    return reply.code(status).headers(API_HEADERS).type('application/json; charset=utf-8').send({ message });
  }
  const title = status === 401 ? 'Signed out' : status >= 500 ? 'Something went wrong' : 'Request refused';
  const back = status === 401 ? '<a href="/console">Sign in</a>' : '<a href="/console/loops">Back to the console</a>';
  return sendPage(reply, consolePage({ title, body: `<h1>${escapeHtml(title)}</h1>${notice(message)}<p>${back}</p>` }), status);
}

function describe(error: unknown): [number, string] {
  if (error instanceof PortalError) return [error.status, error.message];
  if (isTandemError(error)) return [STATUS_BY_KIND[error.kind], error.message];
  const code = (error as FastifyError | null)?.code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return [413, 'The request is too large; nothing was saved.'];
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return [415, 'Unsupported content type; send a form or JSON.'];
  const status = (error as FastifyError | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return [status, 'The request was not understood.'];
  return [500, 'Something went wrong on the server. Try again in a moment.'];
}
