/**
 * Tandem as an OpenID Connect relying party, for workers' single sign-on: the authorization code
 * flow with PKCE (S256), `state` and `nonce`, on openid-client. openid-client does every check of
 * the provider's answers (the authorization response's state and `iss`, the code exchange, the
 * ID token's signature, issuer, audience, nonce and expiry); this module adds the settings, a
 * discovery cache, the claims Tandem needs, and errors a worker can be shown.
 *
 * @example
 * const settings = oidcSettings(resources.config); // undefined when single sign-on is off
 * const request = await beginAuthorization(settings);   // redirect to request.url, keep the rest
 * // …the provider redirects back to settings.redirectUri…
 * const identity = await completeAuthorization(settings, callbackUrl, request);
 */
import * as client from 'openid-client';
import type { TandemConfig } from '../config.js';

/** Where the provider sends the browser back to, under the public URL. */
export const SSO_CALLBACK_PATH = '/portal/sso/callback';

/** How long a discovered provider configuration is reused before it is fetched again. */
const DISCOVERY_TTL_MS = 60 * 60 * 1000;
/** Seconds before a request to the provider is given up. */
const PROVIDER_TIMEOUT_SECONDS = 10;

/** Single sign-on settings, from the configuration. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE only). */
  clientSecret: string | undefined;
  /** Space-separated; includes `openid`. */
  scopes: string;
  groupsClaim: string;
  /** `{publicUrl}/portal/sso/callback`; register it at the provider. */
  redirectUri: string;
}

/** What the browser must carry from the start of sign-in to the callback (kept in a signed cookie). */
export interface PendingAuthorization {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface AuthorizationRequest extends PendingAuthorization {
  /** The provider's authorization endpoint with every parameter; redirect the browser here. */
  url: string;
}

/** A signed-in person as the provider vouches for them. */
export interface OidcIdentity {
  /** The ID token's `iss`. */
  issuer: string;
  /** The ID token's `sub`: stable and unique at the issuer. */
  subject: string;
  email: string | undefined;
  name: string | undefined;
  /** The groups claim's strings; empty when the claim is absent. */
  groups: string[];
}

export type OidcFailureReason =
  /** The person declined, or the provider refused the request (`error=` in the callback). */
  | 'denied'
  /** The code could not be exchanged (already used, expired, or the client is misconfigured). */
  | 'exchange-failed'
  /** The provider's answer failed a check (state, issuer, audience, nonce, expiry, signature). */
  | 'invalid-response'
  /** The provider does not accept Tandem's client (wrong id or secret, redirect URI not registered). */
  | 'misconfigured'
  /** The provider could not be reached or its discovery document is unusable. */
  | 'unavailable';

export class OidcSignInError extends Error {
  constructor(
    readonly reason: OidcFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The settings when single sign-on is configured, else undefined. */
export function oidcSettings(config: TandemConfig): OidcSettings | undefined {
  if (!config.oidcIssuer || !config.oidcClientId) return undefined;
  return {
    issuer: config.oidcIssuer,
    clientId: config.oidcClientId,
    clientSecret: config.oidcClientSecret,
    scopes: config.oidcScopes,
    groupsClaim: config.oidcGroupsClaim,
    redirectUri: `${config.publicUrl}${SSO_CALLBACK_PATH}`,
  };
}

/** A fresh state, nonce and PKCE verifier, and the authorization URL that carries them. */
export async function beginAuthorization(settings: OidcSettings): Promise<AuthorizationRequest> {
  const config = await discover(settings);
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: settings.redirectUri,
    scope: settings.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: url.href, state, nonce, codeVerifier };
}

/**
 * Checks the provider's redirect back (`callbackUrl`: the redirect URI with the query the browser
 * brought) against what `beginAuthorization` issued, exchanges the code, and returns who signed
 * in. The email, name and groups come from the ID token, or from the UserInfo endpoint when the
 * ID token lacks them (many providers put scope claims only there).
 * @throws {OidcSignInError} with the reason a worker can be told.
 */
export async function completeAuthorization(settings: OidcSettings, callbackUrl: URL, pending: PendingAuthorization): Promise<OidcIdentity> {
  const config = await discover(settings);
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    throw classify(error);
  }
  const idClaims = tokens.claims();
  if (!idClaims) throw new OidcSignInError('invalid-response', 'The sign-in provider sent no ID token.');
  let claims: Record<string, unknown> = idClaims;
  const lacksSome = idClaims.email === undefined || idClaims[settings.groupsClaim] === undefined;
  if (lacksSome && config.serverMetadata().userinfo_endpoint) {
    try {
      const userInfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      claims = { ...userInfo, ...idClaims };
    } catch (error) {
      throw classify(error);
    }
  }
  return {
    issuer: idClaims.iss,
    subject: idClaims.sub,
    email: stringClaim(claims.email) ?? emailShaped(stringClaim(claims.preferred_username)),
    name: stringClaim(claims.name),
    groups: groupsOf(claims[settings.groupsClaim]),
  };
}

/**
 * A groups claim as a list: an array's strings, or a single string as a list of one (some
 * providers send one group that way). Anything else is no groups.
 */
export function groupsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.length > 0 ? [value] : [];
  if (!Array.isArray(value)) return [];
  return [...new Set(value.filter((g): g is string => typeof g === 'string' && g.length > 0))];
}

const discoveries = new Map<string, { config: Promise<client.Configuration>; at: number }>();

/**
 * The provider's configuration, discovered once and reused for {@link DISCOVERY_TTL_MS} (its
 * signing keys are fetched and refreshed by openid-client). A failed discovery is not cached.
 * An `http:` issuer (a provider on loopback or a private network) is allowed because it was
 * configured so; use `https:` anywhere else.
 */
async function discover(settings: OidcSettings): Promise<client.Configuration> {
  const key = [settings.issuer, settings.clientId, settings.clientSecret ?? ''].join('\n');
  const cached = discoveries.get(key);
  if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.config;
  const insecure = new URL(settings.issuer).protocol === 'http:';
  const config = client
    .discovery(
      new URL(settings.issuer),
      settings.clientId,
      settings.clientSecret === undefined ? { token_endpoint_auth_method: 'none' } : undefined,
      settings.clientSecret === undefined ? client.None() : client.ClientSecretBasic(settings.clientSecret),
      { timeout: PROVIDER_TIMEOUT_SECONDS, ...(insecure ? { execute: [client.allowInsecureRequests] } : {}) },
    )
    .catch((error: unknown) => {
      if (discoveries.get(key) === entry) discoveries.delete(key);
      throw new OidcSignInError('unavailable', `The sign-in provider (${settings.issuer}) could not be reached or answered unexpectedly.`, { cause: error });
    });
  const entry = { config, at: Date.now() };
  discoveries.set(key, entry);
  return config;
}

/** openid-client's errors, as the reason the worker is told. */
function classify(error: unknown): OidcSignInError {
  if (error instanceof OidcSignInError) return error;
  if (error instanceof client.AuthorizationResponseError) {
    const detail = error.error_description ? `: ${error.error_description}` : '';
    const message =
      error.error === 'access_denied'
        ? `Sign-in was cancelled at the provider, or access was not granted${detail}.`
        : `The sign-in provider refused the request (${error.error}${detail}).`;
    return new OidcSignInError('denied', message, { cause: error });
  }
  // A rejected client comes back as a JSON error, or as a 401 with a WWW-Authenticate challenge.
  const code =
    error instanceof client.ResponseBodyError
      ? error.error
      : error instanceof client.WWWAuthenticateChallengeError
        ? (error.cause.find((c) => c.parameters.error)?.parameters.error ?? 'invalid_client')
        : undefined;
  if (code === 'invalid_client' || code === 'unauthorized_client') {
    return new OidcSignInError('misconfigured', `Single sign-on is misconfigured: the provider does not accept Tandem’s client (${code}). Ask your administrator.`, { cause: error });
  }
  if (error instanceof client.ResponseBodyError) {
    return new OidcSignInError('exchange-failed', `The sign-in could not be completed (${error.error}); it may have been used already or expired.`, { cause: error });
  }
  if (error instanceof TypeError && /fetch failed|aborted|timeout/i.test(error.message)) {
    return new OidcSignInError('unavailable', 'The sign-in provider could not be reached.', { cause: error });
  }
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new OidcSignInError('unavailable', 'The sign-in provider did not answer in time.', { cause: error });
  }
  return new OidcSignInError('invalid-response', 'The sign-in provider’s answer could not be verified.', { cause: error });
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 ? value.trim() : undefined;
}

function emailShaped(value: string | undefined): string | undefined {
  return value !== undefined && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? value : undefined;
}
