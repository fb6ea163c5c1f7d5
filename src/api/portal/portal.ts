/**
 * The worker portal under `/portal`: sign-in and invites (sign-in-routes.ts), the task page and
 * task frame (task-frame.ts), its JSON API under `/portal/api` (task-api.ts) and its static
 * assets (assets.ts). See ARCHITECTURE.md, "Worker templates in the browser".
 *
 * Refusals: pages show a message with a 4xx status; the JSON API answers 4xx `{ message }`.
 * Review-engine errors map by kind: NotFound 404, Validation/Serialization 400, Conflict/InUse
 * 409, PayloadTooLarge 413, Throttled 429.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { exceedsJsonDepth, jsonTooDeepMessage } from '../../domain/json-text.js';
import type { Resources } from '../../resources.js';
import type { MessageKey, Translate } from '../../i18n/portal-messages.js';
import { isTandemError, type ErrorKind } from '../aws/errors.js';
import { registerAssets } from './assets.js';
import { pageContext, registerLanguageRoute, translatorFor } from './language.js';
import { registerLeaseApi } from './lease-api.js';
import { messagePage } from './pages.js';
import { API_HEADERS, PAGE_HEADERS } from './security-headers.js';
import { PortalError } from './session-guard.js';
import { registerSignInRoutes } from './sign-in-routes.js';
import { registerSsoRoutes } from './sso.js';
import { registerTaskApi } from './task-api.js';
import { registerTaskPages } from './task-frame.js';
import { registerOverviewPages } from './overview-pages.js';

const FORM_BODY_LIMIT = 16 * 1024;

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

/** Fastify's own body errors, in the portal's words. */
const FRAMEWORK_MESSAGES: Record<string, [number, MessageKey]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'error.tooLarge'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'error.mediaType'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'error.emptyBody'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'error.contentLength'],
};

export async function registerPortal(app: FastifyInstance, { resources }: { resources: Resources }) {
  await app.register(
    async (portal) => {
      portal.removeAllContentTypeParsers();
      portal.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
        if (exceedsJsonDepth(body as string)) {
          done(new PortalError(400, `${jsonTooDeepMessage('The request body')} Nothing was saved.`), undefined);
          return;
        }
        try {
          done(null, body === '' ? {} : JSON.parse(body as string));
        } catch {
          done(new PortalError(400, 'The request body is not valid JSON; nothing was saved.', 'error.notJson'), undefined);
        }
      });
      portal.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
        (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
      );

      portal.setErrorHandler((error, request, reply) => sendPortalError(request, reply, error));
      portal.setNotFoundHandler(async (request, reply) => sendPortalError(request, reply, new PortalError(404, 'There is no such page.', 'error.noSuchPage')));

      await registerSignInRoutes(portal, resources);
      await registerLanguageRoute(portal, resources);
      await registerOverviewPages(portal, resources);
      await registerSsoRoutes(portal, resources);
      await registerTaskPages(portal, resources);
      await registerAssets(portal, resources);
      await portal.register(async (api) => registerTaskApi(api, resources), { prefix: '/api' });
      await portal.register(async (api) => registerLeaseApi(api, resources), { prefix: '/api' });
    },
    { prefix: '/portal' },
  );
}

function sendPortalError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const t = translatorFor(request);
  const [status, message] = describe(error, t);
  if (status >= 500) request.log.error({ err: error }, 'portal request failed');
  if (request.url.startsWith('/portal/api/')) {
    return reply.code(status).headers(API_HEADERS).type('application/json; charset=utf-8').send({ message });
  }
  const title = t(status === 401 ? 'error.signedOut' : status >= 500 ? 'error.server' : 'error.refused');
  const link = status === 401 ? { href: '/portal', text: t('signIn.submit') } : undefined;
  return reply.code(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(messagePage(title, message, link, pageContext(request)));
}

/** Status and message; the portal's own refusals in the reviewer's language, the review engine's as it words them. */
function describe(error: unknown, t: Translate): [number, string] {
  if (error instanceof PortalError) return [error.status, error.messageKey ? t(error.messageKey, error.messageParams) : error.message];
  if (isTandemError(error)) return [STATUS_BY_KIND[error.kind], error.message];
  const code = (error as FastifyError | null)?.code;
  const known = typeof code === 'string' ? FRAMEWORK_MESSAGES[code] : undefined;
  if (known) return [known[0], t(known[1])];
  const status = (error as FastifyError | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return [status, t('error.notUnderstood')];
  return [500, t('error.internal')];
}
