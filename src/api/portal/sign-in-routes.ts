/**
 * Sign-in, sign-out and invites: `/portal`, `POST /portal/sign-in`, `POST /portal/sign-out`,
 * `/portal/invite/:token`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isTandemError } from '../aws/errors.js';
import { endSession, signIn, startSession } from '../../operations/worker-sessions.js';
import { releaseWorkerLeases } from '../../operations/reviews.js';
import { acceptInvite, findInvitedWorker } from '../../operations/workers.js';
import { MIN_PASSWORD_LENGTH } from '../../security/passwords.js';
import type { Resources } from '../../resources.js';
import { SignInThrottle } from '../../security/sign-in-throttle.js';
import { pageContext } from './language.js';
import { invitePage, messagePage, signInPage } from './pages.js';
import { PAGE_HEADERS } from './security-headers.js';
import { checkOrigin, clearSessionCookie, readCookie, requireSessionWithCsrf, SESSION_COOKIE, sessionOf, setSessionCookie } from './session-guard.js';

type Form = Record<string, string | undefined>;

export async function registerSignInRoutes(app: FastifyInstance, resources: Resources) {
  const throttle = new SignInThrottle(resources, 'portal');

  app.get<{ Querystring: { ended?: string; signedOut?: string } }>('/', async (request, reply) => {
    if (await sessionOf(resources, request)) return reply.redirect('/portal/work', 303);
    const ctx = pageContext(request);
    const { t } = ctx;
    const hadCookie = Boolean(readCookie(request, SESSION_COOKIE));
    let info: string | undefined;
    if (request.query.signedOut !== undefined) info = t('signIn.signedOut');
    else if (hadCookie || request.query.ended !== undefined) info = t('signIn.sessionEnded');
    if (hadCookie) clearSessionCookie(resources, reply);
    return page(reply, 200, signInPage({ info, singleSignOn: Boolean(resources.config.oidcIssuer) }, ctx));
  });

  app.post<{ Body: Form }>('/sign-in', async (request, reply) => {
    checkOrigin(resources, request);
    const ctx = pageContext(request);
    const { t } = ctx;
    const email = String(request.body?.email ?? '').trim().toLowerCase();
    const password = String(request.body?.password ?? '');
    const waitMs = await throttle.retryAfterMs(request.ip, email);
    if (waitMs > 0) {
      const minutes = Math.ceil(waitMs / 60_000);
      reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
      return page(reply, 429, signInPage({ email, error: t('signIn.tooMany', { count: minutes }) }, ctx));
    }
    if (!email || !password) {
      return page(reply, 400, signInPage({ email, error: t('signIn.missing') }, ctx));
    }
    const outcome = await signIn(resources, email, password);
    if (!outcome.ok) {
      await throttle.recordFailure(request.ip, email);
      const error =
        outcome.reason === 'inactive' ? t('signIn.inactive') : t('signIn.wrong');
      return page(reply, outcome.reason === 'inactive' ? 403 : 401, signInPage({ email, error }, ctx));
    }
    await throttle.recordSuccess(request.ip, email);
    setSessionCookie(resources, reply, outcome.session);
    return reply.redirect('/portal/work', 303);
  });

  app.post('/sign-out', async (request, reply) => {
    checkOrigin(resources, request);
    const session = await requireSessionWithCsrf(resources, request);
    await endSession(resources, session.token);
    // Whatever the reviewer held goes back to the queue now, not at its time limit.
    await releaseWorkerLeases(resources, session.worker.id);
    clearSessionCookie(resources, reply);
    return reply.redirect('/portal?signedOut', 303);
  });

  app.get<{ Params: { token: string } }>('/invite/:token', async (request, reply) => {
    const ctx = pageContext(request);
    const worker = await findInvitedWorker(resources, request.params.token);
    if (!worker) return page(reply, 404, messagePage(ctx.t('invite.invalidTitle'), ctx.t('invite.invalid'), undefined, ctx));
    return page(reply, 200, invitePage({ token: request.params.token, email: worker.email }, ctx));
  });

  app.post<{ Params: { token: string }; Body: Form }>('/invite/:token', async (request, reply) => {
    checkOrigin(resources, request);
    const ctx = pageContext(request);
    const { t } = ctx;
    const { token } = request.params;
    const invalid = () => page(reply, 404, messagePage(t('invite.invalidTitle'), t('invite.invalid'), undefined, ctx));
    const worker = await findInvitedWorker(resources, token);
    if (!worker) return invalid();
    const password = String(request.body?.password ?? '');
    const refuse = (error: string) => page(reply, 400, invitePage({ token, email: worker.email, error }, ctx));
    if (password !== String(request.body?.confirm ?? '')) return refuse(t('invite.differ'));
    if (password.length < MIN_PASSWORD_LENGTH) return refuse(t('invite.tooShort', { min: MIN_PASSWORD_LENGTH }));
    try {
      const accepted = await acceptInvite(resources, token, password);
      setSessionCookie(resources, reply, await startSession(resources, accepted));
      return reply.redirect('/portal/work', 303);
    } catch (error) {
      if (!isTandemError(error)) throw error;
      if (error.kind === 'NotFound') return invalid();
      return refuse(error.message);
    }
  });
}

function page(reply: FastifyReply, status: number, html: string) {
  return reply.code(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(html);
}
