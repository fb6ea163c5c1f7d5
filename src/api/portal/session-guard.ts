/**
 * The portal's request guards: the session cookie, the CSRF token, and the Origin check that
 * protects the forms posted before a session exists (sign-in, invite).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfTokenMatches, resumeSession, type PortalSession } from '../../operations/worker-sessions.js';
import type { MessageKey, MessageParams } from '../../i18n/portal-messages.js';
import type { Resources } from '../../resources.js';

export const SESSION_COOKIE = 'tandem_session';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

/**
 * A portal refusal: the status, and the message shown to the worker (page) or sent as
 * `{message}` (API); with a `messageKey`, in the reviewer's language (the English `message` is for logs).
 */
export class PortalError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly messageKey?: MessageKey,
    readonly messageParams?: MessageParams,
  ) {
    super(message);
  }
}

export const SESSION_ENDED = 'Your session has ended. Sign in again.';
export const CSRF_MISMATCH = 'This request could not be verified (its security token is missing or wrong). Reload the page and try again.';
const FOREIGN_ORIGIN = 'This request came from another site and was refused.';

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at === -1) continue;
    if (part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export function setSessionCookie(resources: Resources, reply: FastifyReply, session: PortalSession): void {
  const maxAge = Math.max(0, Math.floor((session.expiresAt - resources.clock.now()) / 1000));
  reply.header('set-cookie', cookie(resources, session.token, maxAge));
}

export function clearSessionCookie(resources: Resources, reply: FastifyReply): void {
  reply.header('set-cookie', cookie(resources, '', 0));
}

function cookie(resources: Resources, value: string, maxAgeSeconds: number): string {
  const secure = resources.config.publicUrl.startsWith('https:') ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/portal; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

/** The request's live session, or undefined (no cookie, expired, signed out, worker deactivated). */
export async function sessionOf(resources: Resources, request: FastifyRequest): Promise<PortalSession | undefined> {
  return resumeSession(resources, readCookie(request, SESSION_COOKIE));
}

/** The session, or a 401 PortalError. */
export async function requireSession(resources: Resources, request: FastifyRequest): Promise<PortalSession> {
  const session = await sessionOf(resources, request);
  if (!session) throw new PortalError(401, SESSION_ENDED, 'error.sessionEnded');
  return session;
}

/** For state-changing routes: the session, whose CSRF token the request must carry (header or form field). */
export async function requireSessionWithCsrf(resources: Resources, request: FastifyRequest): Promise<PortalSession> {
  checkOrigin(resources, request);
  const session = await requireSession(resources, request);
  const body = request.body as Record<string, unknown> | undefined;
  const presented = request.headers[CSRF_HEADER] ?? (body && typeof body === 'object' ? body[CSRF_FIELD] : undefined);
  if (!csrfTokenMatches(session, presented)) throw new PortalError(403, CSRF_MISMATCH, 'error.csrf');
  return session;
}

/**
 * Refuses a state-changing request sent by another site (or by a sandboxed task frame, whose
 * origin is opaque). Browsers say where a request comes from in `Sec-Fetch-Site`; `Origin` is
 * checked too for browsers without it. The portal's `Referrer-Policy: no-referrer` makes
 * browsers send `Origin: null` on the portal's own form posts, so `null` alone proves nothing and
 * passes; requests with neither header (curl, tests) pass, since without a browser there is no
 * cross-site forgery.
 */
export function checkOrigin(resources: Resources, request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') throw new PortalError(403, FOREIGN_ORIGIN, 'error.foreignOrigin');
  const origin = request.headers.origin;
  if (origin === undefined || origin === 'null') return;
  const allowed = new Set([new URL(resources.config.publicUrl).origin]);
  const host = request.headers.host;
  if (host) allowed.add(`${request.protocol}://${host}`);
  if (!allowed.has(origin)) throw new PortalError(403, FOREIGN_ORIGIN, 'error.foreignOrigin');
}
