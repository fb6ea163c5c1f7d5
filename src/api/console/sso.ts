/**
 * Console single sign-on: `GET /console/sso/start` sends the browser to the OpenID Connect
 * provider (the same one workers use), `GET /console/sso/callback` is where it comes back and a
 * person in the admin or viewer group becomes a console session. Register
 * `{public URL}/console/sso/callback` at the provider next to the portal's callback.
 *
 * The attempt's state travels in its own cookie (security/sso-flow.ts), and the callback accepts
 * only a response whose `state` equals the cookie's: a forged or replayed callback signs no one
 * in. The console cookie is SameSite=Strict, which a browser does not send on a redirect chain
 * that began at the provider, so the callback answers with a page that moves on to the console
 * (a same-site navigation) instead of a redirect.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { recordAudit } from '../../operations/admins.js';
import { signInAdminWithOidc, type AdminSsoRefusal } from '../../operations/admin-sso.js';
import type { Resources } from '../../resources.js';
import { beginAuthorization, oidcSettings, OidcSignInError, type OidcFailureReason, type OidcSettings } from '../../security/oidc-client.js';
import { checkSsoCallback, ssoFlowCookie, type SsoFlowCookie } from '../../security/sso-flow.js';
import { readCookie } from '../portal/session-guard.js';
import { setConsoleCookie } from './guard.js';
import { consolePage, escapeHtml } from './layout.js';
import { sendPage } from './respond.js';

export const CONSOLE_SSO_CALLBACK_PATH = '/console/sso/callback';
const FLOW_COOKIE: SsoFlowCookie = { name: 'tandem_console_sso', path: '/console/sso', purpose: 'console-sso-flow' };

const STATUS_BY_REASON: Record<OidcFailureReason, number> = {
  denied: 403,
  'exchange-failed': 400,
  'invalid-response': 400,
  misconfigured: 502,
  unavailable: 502,
};
const STATUS_BY_REFUSAL: Record<AdminSsoRefusal, number> = { 'no-group': 403, 'no-email': 403, inactive: 403, 'password-admin': 409 };

/** Single sign-on for the console is on when the provider is configured and an admin or viewer group is named. */
export function consoleSsoSettings(resources: Resources): OidcSettings | undefined {
  const { oidcAdminGroup, oidcViewerGroup, publicUrl } = resources.config;
  if (oidcAdminGroup === undefined && oidcViewerGroup === undefined) return undefined;
  const settings = oidcSettings(resources.config);
  return settings && { ...settings, redirectUri: `${publicUrl}${CONSOLE_SSO_CALLBACK_PATH}` };
}

export async function registerConsoleSso(app: FastifyInstance, resources: Resources) {
  app.get('/sso/start', { config: { access: 'public' } }, async (_request, reply) => {
    const settings = consoleSsoSettings(resources);
    if (!settings) return refusal(reply, 404, 'Single sign-on is off', 'Single sign-on is not configured for the console. Sign in with your email and password.');
    let authorization;
    try {
      authorization = await beginAuthorization(settings);
    } catch (error) {
      return failure(resources, reply, error);
    }
    const { url, ...pending } = authorization;
    reply.header('set-cookie', ssoFlowCookie(resources, FLOW_COOKIE, pending));
    return reply.headers({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).redirect(url, 303);
  });

  app.get<{ Querystring: Record<string, string | undefined> }>(CONSOLE_SSO_CALLBACK_PATH.slice('/console'.length), { config: { access: 'public' } }, async (request, reply) => {
    const settings = consoleSsoSettings(resources);
    if (!settings) return refusal(reply, 404, 'Single sign-on is off', 'Single sign-on is not configured for the console.');
    // Whatever happens next, this attempt is over: its cookie goes.
    reply.header('set-cookie', ssoFlowCookie(resources, FLOW_COOKIE, undefined));
    const query = request.url.indexOf('?');
    let check;
    try {
      check = await checkSsoCallback(resources, FLOW_COOKIE, settings, readCookie(request, FLOW_COOKIE.name), query === -1 ? '' : request.url.slice(query), request.query.state);
    } catch (error) {
      return failure(resources, reply, error);
    }
    if (!check.ok) return refusal(reply, check.status, check.title, check.message);
    const identity = check.identity;
    const outcome = await signInAdminWithOidc(resources, identity);
    if (!outcome.ok) return refusal(reply, STATUS_BY_REFUSAL[outcome.reason], 'Sign-in refused', outcome.message);
    setConsoleCookie(resources, reply, outcome.session);
    await recordAudit(resources, outcome.session, request.ip, { action: 'console.sign-in', target: outcome.session.admin.email, detail: 'single sign-on' });
    const body = `<div class="narrow"><h1>Signed in</h1><p>Signed in as ${escapeHtml(outcome.session.admin.email)} (${escapeHtml(outcome.session.admin.role)}).</p>
<p><a class="button" href="/console/loops" id="continue">Continue to the console</a></p></div>`;
    reply.header('refresh', '0; url=/console/loops');
    return sendPage(reply, consolePage({ title: 'Signed in', body }));
  });
}

function failure(resources: Resources, reply: FastifyReply, error: unknown) {
  if (!(error instanceof OidcSignInError)) throw error;
  const status = STATUS_BY_REASON[error.reason];
  resources.logger[status >= 500 ? 'error' : 'info']({ err: error.cause ?? error, reason: error.reason }, 'console single sign-on failed');
  const title = error.reason === 'denied' ? 'Sign-in cancelled' : status >= 500 ? 'Sign-in unavailable' : 'Sign-in refused';
  return refusal(reply, status, title, error.message);
}

function refusal(reply: FastifyReply, status: number, title: string, message: string) {
  const body = `<div class="narrow"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/console">Back to sign-in</a></p></div>`;
  return sendPage(reply, consolePage({ title, body }), status);
}
