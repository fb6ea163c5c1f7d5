/**
 * Console sign-in and sign-out (`/console`, `POST /console/sign-in`, `POST /console/sign-out`),
 * admin invites (`/console/invite/:token`) and an operator's account switch
 * (`POST /console/account`). Sign-in is throttled like the portal's (its own counters, in the store).
 */
import type { FastifyInstance } from 'fastify';
import {
  acceptAdminInvite,
  endAdminSession,
  findInvitedAdmin,
  recordAudit,
  resumeAdminSession,
  signInAdmin,
  startAdminSession,
  switchAccount,
} from '../../operations/admins.js';
import type { Resources } from '../../resources.js';
import { SignInThrottle } from '../../security/sign-in-throttle.js';
import { isTandemError } from '../aws/errors.js';
import { readCookie } from '../portal/session-guard.js';
import { sendPage } from './respond.js';
import { consoleSsoSettings } from './sso.js';
import { CONSOLE_COOKIE, consoleSession, setConsoleCookie } from './guard.js';
import { consolePage, escapeHtml, notice } from './layout.js';

type Form = Record<string, string | undefined>;

export async function registerConsoleSignIn(app: FastifyInstance, resources: Resources) {
  const throttle = new SignInThrottle(resources, 'console');
  const sso = consoleSsoSettings(resources) !== undefined;

  app.get<{ Querystring: { ended?: string; signedOut?: string } }>('/', { config: { access: 'public' } }, async (request, reply) => {
    const cookie = readCookie(request, CONSOLE_COOKIE);
    if (await resumeAdminSession(resources, cookie)) return reply.redirect('/console/loops', 303);
    let info: string | undefined;
    if (request.query.signedOut !== undefined) info = 'You are signed out.';
    else if (cookie || request.query.ended !== undefined) info = 'Your console session has ended. Sign in again.';
    if (cookie) setConsoleCookie(resources, reply, undefined);
    return sendPage(reply, signInPage({ sso, info }));
  });

  app.post<{ Body: Form }>('/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    const email = String(request.body?.email ?? '').trim().toLowerCase();
    const password = String(request.body?.password ?? '');
    const waitMs = await throttle.retryAfterMs(request.ip, email);
    if (waitMs > 0) {
      const minutes = Math.ceil(waitMs / 60_000);
      reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
      return sendPage(reply, signInPage({ sso, email, error: `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.` }), 429);
    }
    if (!email || !password) return sendPage(reply, signInPage({ sso, email, error: 'Enter your email and your password.' }), 400);
    const outcome = await signInAdmin(resources, email, password);
    if (!outcome.ok) {
      await throttle.recordFailure(request.ip, email);
      const error = outcome.reason === 'inactive' ? 'This admin account has been deactivated.' : 'The email or password is incorrect.';
      return sendPage(reply, signInPage({ sso, email, error }), outcome.reason === 'inactive' ? 403 : 401);
    }
    await throttle.recordSuccess(request.ip, email);
    setConsoleCookie(resources, reply, outcome.session);
    await recordAudit(resources, outcome.session, request.ip, { action: 'console.sign-in', target: outcome.session.admin.email });
    return reply.redirect('/console/loops', 303);
  });

  app.post('/sign-out', { config: { access: 'viewer' } }, async (request, reply) => {
    await endAdminSession(resources, consoleSession(request).token);
    setConsoleCookie(resources, reply, undefined);
    return reply.redirect('/console?signedOut', 303);
  });

  app.post<{ Body: Form }>('/account', { config: { access: 'viewer' } }, async (request, reply) => {
    const session = consoleSession(request);
    const accountId = String(request.body?.accountId ?? '');
    await switchAccount(resources, session, accountId);
    await recordAudit(resources, { ...session, accountId }, request.ip, { action: 'console.switch-account', target: accountId });
    return reply.redirect('/console/loops', 303);
  });

  app.get<{ Params: { token: string } }>('/invite/:token', { config: { access: 'public' } }, async (request, reply) => {
    const admin = await findInvitedAdmin(resources, request.params.token);
    if (!admin) return sendPage(reply, consolePage({ title: 'Invite link not valid', body: `<h1>Invite link not valid</h1>${notice(INVALID)}` }), 404);
    return sendPage(reply, invitePage(request.params.token, admin.email));
  });

  app.post<{ Params: { token: string }; Body: Form }>('/invite/:token', { config: { access: 'public' } }, async (request, reply) => {
    const { token } = request.params;
    const admin = await findInvitedAdmin(resources, token);
    if (!admin) return sendPage(reply, consolePage({ title: 'Invite link not valid', body: `<h1>Invite link not valid</h1>${notice(INVALID)}` }), 404);
    const password = String(request.body?.password ?? '');
    if (password !== String(request.body?.confirm ?? '')) return sendPage(reply, invitePage(token, admin.email, 'The two passwords differ.'), 400);
    try {
      const accepted = await acceptAdminInvite(resources, token, password);
      setConsoleCookie(resources, reply, await startAdminSession(resources, accepted));
      return reply.redirect('/console/loops', 303);
    } catch (error) {
      if (!isTandemError(error)) throw error;
      return sendPage(reply, invitePage(token, admin.email, error.message), 400);
    }
  });
}

const INVALID = 'This invite link is invalid, was already used, or has expired. Ask an administrator for a new one.';

function signInPage(options: { email?: string; error?: string | undefined; info?: string | undefined; sso?: boolean }): string {
  return consolePage({
    title: 'Sign in',
    body: `<div class="narrow">
<h1>Sign in to the console</h1>
${notice(options.error)}${notice(options.info, 'info')}
<form method="post" action="/console/sign-in" class="stack">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(options.email ?? '')}" autofocus>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>
${options.sso ? '<p><a class="button" href="/console/sso/start">Sign in with single sign-on</a></p>' : ''}
<p class="hint">Admins are added with <code>tandem admins add</code> or invited from the console. Reviewers sign in at <a href="/portal">the worker portal</a>.</p>
</div>`,
  });
}

function invitePage(token: string, email: string, error?: string): string {
  return consolePage({
    title: 'Set your password',
    body: `<div class="narrow">
<h1>Set your console password</h1>
<p>Welcome, ${escapeHtml(email)}. Choose a password of at least 10 characters.</p>
${notice(error)}
<form method="post" action="/console/invite/${escapeHtml(token)}" class="stack">
  <input type="text" name="username" autocomplete="username" value="${escapeHtml(email)}" hidden>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="new-password" minlength="10" required autofocus>
  <label for="confirm">Confirm password</label>
  <input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="10" required>
  <button type="submit">Set password and sign in</button>
</form>
</div>`,
  });
}
