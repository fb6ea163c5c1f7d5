/**
 * Single sign-on routes: `GET /portal/sso/start` sends the browser to the OpenID Connect provider;
 * `GET /portal/sso/callback` is where the provider sends it back, and where a verified person
 * becomes a portal session (the same cookie as the password sign-in) or reads why not.
 *
 * Between the two, the state, nonce and PKCE verifier travel in the `tandem_sso` cookie:
 * HMAC-signed with the master key, HttpOnly, SameSite=Lax (sent on the provider's top-level
 * redirect back, not on cross-site subrequests), Path=/portal/sso, ten minutes. The callback
 * accepts only a response whose `state` equals the cookie's, so a forged or replayed callback
 * cannot sign anyone in (login CSRF), and the cookie is cleared whatever the outcome.
 *
 * Refusals are pages with a link back to the sign-in page: 4xx for the worker's side (declined
 * consent, a stale or forged response, no team for their groups), 502 when the provider is
 * unreachable or does not accept Tandem's client (the worker cannot fix either).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { signInWithOidc, type SsoRefusal } from '../../operations/sso-sign-in.js';
import type { Resources } from '../../resources.js';
import {
  beginAuthorization,
  oidcSettings,
  OidcSignInError,
  type OidcFailureReason,
} from '../../security/oidc-client.js';
import { checkSsoCallback, SSO_FLOW_TTL_MS, ssoFlowCookie, type SsoFlowCookie } from '../../security/sso-flow.js';
import { messagePage } from './pages.js';
import { PAGE_HEADERS } from './security-headers.js';
import { readCookie, setSessionCookie } from './session-guard.js';

export const SSO_COOKIE = 'tandem_sso';
const FLOW_COOKIE: SsoFlowCookie = { name: SSO_COOKIE, path: '/portal/sso', purpose: 'sso-flow' };
export { SSO_FLOW_TTL_MS };

const BACK_TO_SIGN_IN = { href: '/portal', text: 'Back to sign-in' };

const STATUS_BY_REASON: Record<OidcFailureReason, number> = {
  denied: 403,
  'exchange-failed': 400,
  'invalid-response': 400,
  misconfigured: 502,
  unavailable: 502,
};

const STATUS_BY_REFUSAL: Record<SsoRefusal, number> = { 'no-team': 403, inactive: 403, 'no-email': 403, 'email-taken': 409 };

export async function registerSsoRoutes(app: FastifyInstance, resources: Resources) {
  app.get('/sso/start', async (_request, reply) => {
    const settings = oidcSettings(resources.config);
    if (!settings) return page(reply, 404, 'Single sign-on is off', 'Single sign-on is not configured on this Tandem. Sign in with your email and password.');
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

  app.get<{ Querystring: Record<string, string | undefined> }>('/sso/callback', async (request, reply) => {
    const settings = oidcSettings(resources.config);
    if (!settings) return page(reply, 404, 'Single sign-on is off', 'Single sign-on is not configured on this Tandem.');
    // Whatever happens next, this attempt is over: its cookie goes.
    reply.header('set-cookie', ssoFlowCookie(resources, FLOW_COOKIE, undefined));
    const query = request.url.indexOf('?');
    let check;
    try {
      check = await checkSsoCallback(resources, FLOW_COOKIE, settings, readCookie(request, SSO_COOKIE), query === -1 ? '' : request.url.slice(query), request.query.state);
    } catch (error) {
      return failure(resources, reply, error);
    }
    if (!check.ok) return page(reply, check.status, check.title, check.message);
    const identity = check.identity;
    const outcome = await signInWithOidc(resources, identity);
    if (!outcome.ok) return page(reply, STATUS_BY_REFUSAL[outcome.reason], 'Sign-in refused', outcome.message);
    setSessionCookie(resources, reply, outcome.session);
    return reply.redirect('/portal/work', 303);
  });
}

function failure(resources: Resources, reply: FastifyReply, error: unknown) {
  if (!(error instanceof OidcSignInError)) throw error;
  const status = STATUS_BY_REASON[error.reason];
  resources.logger[status >= 500 ? 'error' : 'info']({ err: error.cause ?? error, reason: error.reason }, 'single sign-on failed');
  const title = error.reason === 'denied' ? 'Sign-in cancelled' : status >= 500 ? 'Sign-in unavailable' : 'Sign-in refused';
  const hint = error.reason === 'unavailable' ? ' Try again in a moment, or ask your administrator.' : error.reason === 'misconfigured' ? '' : ' Start again.';
  return page(reply, status, title, `${error.message}${hint}`);
}

/** A refusal page; its link leads back to the sign-in page, which offers single sign-on again. */
function page(reply: FastifyReply, status: number, title: string, message: string) {
  return reply.code(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(messagePage(title, message, BACK_TO_SIGN_IN));
}
