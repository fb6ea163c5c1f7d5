/**
 * Who may reach which console route. Every route declares its access in `config.access`:
 * - `public`: anyone (the sign-in page and form, invites, assets);
 * - `viewer`: any signed-in admin, including a viewer (every page; a few POSTs that change
 *   nothing stored: sign-out, the template preview, switching the account in view);
 * - `admin`: a signed-in admin with role `admin`.
 * A route that says nothing is `viewer` for GET and `admin` for anything else, so a new
 * state-changing route is closed to viewers unless it says otherwise. Every POST also needs the
 * session's CSRF token and a same-site origin (the portal's rules, session-guard.ts).
 *
 * Worker sessions (`tandem_session`, path /portal) and access keys mean nothing here: the console
 * reads only its own cookie, looked up in `admin_sessions`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { consoleCsrfMatches, resumeAdminSession, type ConsoleSession } from '../../operations/admins.js';
import type { Caller, Resources } from '../../resources.js';
import { checkOrigin, CSRF_FIELD, CSRF_HEADER, CSRF_MISMATCH, PortalError, readCookie } from '../portal/session-guard.js';

export const CONSOLE_COOKIE = 'tandem_console';
export type Access = 'public' | 'viewer' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Console routes: who may call it (guard.ts). */
    access?: Access;
  }
}

const sessions = new WeakMap<FastifyRequest, ConsoleSession>();

export function accessOf(request: FastifyRequest): Access {
  const declared = request.routeOptions.config.access;
  if (declared) return declared;
  return request.method === 'GET' || request.method === 'HEAD' ? 'viewer' : 'admin';
}

/** The console's preHandler: resolves the session and enforces the route's access. */
export async function guardConsoleRequest(resources: Resources, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const access = accessOf(request);
  const isRead = request.method === 'GET' || request.method === 'HEAD';
  if (!isRead) checkOrigin(resources, request);
  if (access === 'public') return;
  const session = await resumeAdminSession(resources, readCookie(request, CONSOLE_COOKIE));
  if (!session) {
    if (isRead && !request.url.startsWith('/console/api/')) {
      await reply.redirect('/console?ended', 303);
      return;
    }
    throw new PortalError(401, 'Your console session has ended. Sign in again.');
  }
  if (!isRead) {
    const body = request.body as Record<string, unknown> | undefined;
    const presented = request.headers[CSRF_HEADER] ?? (body && typeof body === 'object' ? body[CSRF_FIELD] : undefined);
    if (!consoleCsrfMatches(session, presented)) throw new PortalError(403, CSRF_MISMATCH);
  }
  if (access === 'admin' && session.admin.role !== 'admin') {
    throw new PortalError(403, 'Your role is viewer: you can look at everything in this account but change nothing.');
  }
  sessions.set(request, session);
}

/** The session the guard resolved (only on routes that are not public). */
export function consoleSession(request: FastifyRequest): ConsoleSession {
  const session = sessions.get(request);
  if (!session) throw new PortalError(401, 'Your console session has ended. Sign in again.');
  return session;
}

/** The account in view, as the operations' caller: every lookup is scoped to it. */
export function callerOf(resources: Resources, request: FastifyRequest): Caller {
  return { accountId: consoleSession(request).accountId, region: resources.config.region };
}

export function setConsoleCookie(resources: Resources, reply: FastifyReply, session: ConsoleSession | undefined): void {
  const secure = resources.config.publicUrl.startsWith('https:') ? '; Secure' : '';
  const maxAge = session ? Math.max(0, Math.floor((session.expiresAt - resources.clock.now()) / 1000)) : 0;
  // SameSite=Strict: the console is never entered from another site's link with a session.
  reply.header('set-cookie', `${CONSOLE_COOKIE}=${session?.token ?? ''}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`);
}
