/**
 * The state of one single sign-on attempt between its start and the provider's redirect back:
 * state, nonce and PKCE verifier in a cookie HMAC-signed with the master key, HttpOnly,
 * SameSite=Lax (sent on the provider's top-level redirect back, not on cross-site subrequests),
 * scoped to the sign-on routes' path, ten minutes. The portal and the console each keep their own
 * cookie (name, path and signing purpose), so one's attempt can never complete the other's.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Resources } from '../resources.js';
import { completeAuthorization, type OidcIdentity, type OidcSettings, type PendingAuthorization } from './oidc-client.js';

/** How long a started sign-in may take at the provider. */
export const SSO_FLOW_TTL_MS = 10 * 60 * 1000;

export interface SsoFlowCookie {
  /** Cookie name, e.g. `tandem_sso`. */
  name: string;
  /** Cookie path: the start and callback routes' common prefix. */
  path: string;
  /** Separates the signatures of different cookies under the same master key. */
  purpose: string;
}

interface Flow extends PendingAuthorization {
  /** Expiry, ms since the epoch. */
  exp: number;
}

/** The Set-Cookie value that stores `pending` (or, with `undefined`, clears the cookie). */
export function ssoFlowCookie(resources: Resources, cookie: SsoFlowCookie, pending: PendingAuthorization | undefined): string {
  const secure = resources.config.publicUrl.startsWith('https:') ? '; Secure' : '';
  const value = pending ? seal(resources, cookie, { ...pending, exp: resources.clock.now() + SSO_FLOW_TTL_MS }) : '';
  const maxAge = pending ? SSO_FLOW_TTL_MS / 1000 : 0;
  return `${cookie.name}=${value}; Path=${cookie.path}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

/** The attempt in a cookie value, when its signature is right and it has not expired; else undefined. */
export function openSsoFlow(resources: Resources, cookie: SsoFlowCookie, value: string | undefined): PendingAuthorization | undefined {
  const [payload, presented, extra] = (value ?? '').split('.');
  if (!payload || !presented || extra !== undefined || !sameText(presented, signature(resources, cookie, payload))) return undefined;
  let flow: Partial<Flow>;
  try {
    flow = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Flow>;
  } catch {
    return undefined;
  }
  const { state, nonce, codeVerifier, exp } = flow;
  if (typeof state !== 'string' || typeof nonce !== 'string' || typeof codeVerifier !== 'string' || typeof exp !== 'number') return undefined;
  if (exp <= resources.clock.now()) return undefined;
  return { state, nonce, codeVerifier };
}

/** Constant-time equality of two strings (a presented state or signature and the expected one). */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `payload.signature`, both base64url. */
function seal(resources: Resources, cookie: SsoFlowCookie, flow: Flow): string {
  const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
  return `${payload}.${signature(resources, cookie, payload)}`;
}

function signature(resources: Resources, cookie: SsoFlowCookie, payload: string): string {
  return resources.secrets.mac(`${cookie.purpose}:${payload}`).toString('base64url');
}

export type SsoCallbackCheck = { ok: true; identity: OidcIdentity } | { ok: false; status: number; title: string; message: string };

/**
 * The provider's redirect back, checked against the attempt in its cookie (`cookieValue`) and
 * exchanged for who signed in: a missing or expired attempt, or a `state` that is not the
 * attempt's (a forged or replayed callback), signs no one in. `query` is the callback URL's query
 * string including its `?`. Errors from the exchange are thrown as {@link OidcSignInError}.
 */
export async function checkSsoCallback(
  resources: Resources,
  cookie: SsoFlowCookie,
  settings: OidcSettings,
  cookieValue: string | undefined,
  query: string,
  state: unknown,
): Promise<SsoCallbackCheck> {
  const flow = openSsoFlow(resources, cookie, cookieValue);
  if (!flow) return { ok: false, status: 400, title: 'Sign-in expired', message: 'This sign-in took too long or was started in another browser or tab. Start again.' };
  if (typeof state !== 'string' || !sameText(state, flow.state)) {
    return {
      ok: false,
      status: 400,
      title: 'Sign-in refused',
      message: 'This sign-in response does not belong to the sign-in you started (it may have been forged). Nothing was signed in. Start again.',
    };
  }
  // openid-client must see the registered redirect URI with the query the browser brought.
  const callbackUrl = new URL(settings.redirectUri);
  callbackUrl.search = query;
  return { ok: true, identity: await completeAuthorization(settings, callbackUrl, flow) };
}
