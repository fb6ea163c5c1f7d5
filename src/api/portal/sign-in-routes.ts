/**
 * Sign-in, sign-out and invites: `/portal`, `POST /portal/sign-in`, `POST /portal/sign-out`,
 * `/portal/invite/:token`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isTandemError } from '../aws/errors.js';
import { endSession, signIn, startSession } from '../../operations/worker-sessions.js';
import { releaseWorkerLeases } from '../../operations/reviews.js';
import { acceptInvite, findInvitedWorker, INVALID_INVITE } from '../../operations/workers.js';
import type { Resources } from '../../resources.js';
import { SignInThrottle } from '../../security/sign-in-throttle.js';
import { invitePage, messagePage, signInPage } from './pages.js';
import { PAGE_HEADERS } from './security-headers.js';
import { checkOrigin, clearSessionCookie, readCookie, requireSessionWithCsrf, SESSION_COOKIE, sessionOf, setSessionCookie } from './session-guard.js';

type Form = Record<string, string | undefined>;

export async function registerSignInRoutes(app: FastifyInstance, resources: Resources) {
  const throttle = new SignInThrottle(resources, 'portal');

  app.get<{ Querystring: { ended?: string; signedOut?: string } }>('/', async (request, reply) => {
    if (await sessionOf(resources, request)) return reply.redirect('/portal/work', 303);
    const hadCookie = Boolean(readCookie(request, SESSION_COOKIE));
    let info: string | undefined;
    if (request.query.signedOut !== undefined) info = 'You are signed out.';
    else if (hadCookie || request.query.ended !== undefined) info = 'Your session has ended. Sign in again.';
    if (hadCookie) clearSessionCookie(resources, reply);
    return page(reply, 200, signInPage({ info, singleSignOn: Boolean(resources.config.oidcIssuer) }));
  });

  app.post<{ Body: Form }>('/sign-in', async (request, reply) => {
    checkOrigin(resources, request);
    const email = String(request.body?.email ?? '').trim().toLowerCase();
    const password = String(request.body?.password ?? '');
    const waitMs = await throttle.retryAfterMs(request.ip, email);
    if (waitMs > 0) {
      const minutes = Math.ceil(waitMs / 60_000);
      reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
      return page(reply, 429, signInPage({ email, error: `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.` }));
    }
    if (!email || !password) {
      return page(reply, 400, signInPage({ email, error: 'Enter your email and your password.' }));
    }
    const outcome = await signIn(resources, email, password);
    if (!outcome.ok) {
      await throttle.recordFailure(request.ip, email);
      const error =
        outcome.reason === 'inactive'
          ? 'Your account has been deactivated. Ask your administrator to reactivate it.'
          : 'The email or password is incorrect.';
      return page(reply, outcome.reason === 'inactive' ? 403 : 401, signInPage({ email, error }));
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
    const worker = await findInvitedWorker(resources, request.params.token);
    if (!worker) return page(reply, 404, messagePage('Invite link not valid', INVALID_INVITE));
    return page(reply, 200, invitePage({ token: request.params.token, email: worker.email }));
  });

  app.post<{ Params: { token: string }; Body: Form }>('/invite/:token', async (request, reply) => {
    checkOrigin(resources, request);
    const { token } = request.params;
    const worker = await findInvitedWorker(resources, token);
    if (!worker) return page(reply, 404, messagePage('Invite link not valid', INVALID_INVITE));
    const password = String(request.body?.password ?? '');
    if (password !== String(request.body?.confirm ?? '')) {
      return page(reply, 400, invitePage({ token, email: worker.email, error: 'The two passwords differ. Type the same password twice.' }));
    }
    try {
      const accepted = await acceptInvite(resources, token, password);
      setSessionCookie(resources, reply, await startSession(resources, accepted));
      return reply.redirect('/portal/work', 303);
    } catch (error) {
      if (!isTandemError(error)) throw error;
      if (error.kind === 'NotFound') return page(reply, 404, messagePage('Invite link not valid', error.message));
      return page(reply, 400, invitePage({ token, email: worker.email, error: error.message }));
    }
  });
}

function page(reply: FastifyReply, status: number, html: string) {
  return reply.code(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(html);
}
