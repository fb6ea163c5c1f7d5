/**
 * Portal sessions: sign-in with email and password, the session behind the `tandem_session`
 * cookie, and sign-out. The cookie holds a random token; the store keeps only its SHA-256, and a
 * per-session CSRF token that every state-changing portal request must echo.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Resources } from '../resources.js';
import { verifyNothing, verifyPassword } from '../security/passwords.js';
import type { WorkerRow } from '../store/schema.js';
import * as sessions from '../store/sessions.js';
import { findPasswordWorkersByEmail } from '../store/workers.js';
import type { WorkerIdentity } from './reviews.js';

/** How long a session lasts from sign-in. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface PortalSession {
  /** The cookie value (only the caller ever sees it; the store has its hash). */
  token: string;
  csrfToken: string;
  expiresAt: number;
  worker: WorkerRow;
}

export type SignInOutcome =
  | { ok: true; session: PortalSession }
  | { ok: false; reason: 'invalid' | 'inactive' };

/**
 * Checks an email and password. Every failure takes about as long as a success (a dummy hash is
 * computed when no worker has the email), so timing does not reveal which emails exist.
 */
export async function signIn(resources: Resources, email: string, password: string): Promise<SignInOutcome> {
  const candidates = email ? await findPasswordWorkersByEmail(resources.store.db, email) : [];
  let inactiveMatch = false;
  let checked = false;
  for (const worker of candidates) {
    if (worker.password_hash === null) continue;
    checked = true;
    if (!(await verifyPassword(password, worker.password_hash))) continue;
    if (worker.status !== 'active') {
      inactiveMatch = true;
      continue;
    }
    return { ok: true, session: await startSession(resources, worker) };
  }
  if (!checked) await verifyNothing(password);
  return { ok: false, reason: inactiveMatch ? 'inactive' : 'invalid' };
}

/** Starts a session for a worker who just proved who they are (password, invite, single sign-on). */
export async function startSession(resources: Resources, worker: WorkerRow): Promise<PortalSession> {
  const now = resources.clock.now();
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = now + SESSION_TTL_MS;
  await sessions.insertSession(resources.store.db, { idHash: hashToken(token), workerId: worker.id, csrfToken, createdAt: now, expiresAt });
  // Housekeeping rides along with sign-ins: expired rows are useless and otherwise never read.
  await sessions.deleteExpiredSessions(resources.store.db, now);
  return { token, csrfToken, expiresAt, worker };
}

/** The live session of an active worker behind this cookie value, or undefined. */
export async function resumeSession(resources: Resources, token: string | undefined): Promise<PortalSession | undefined> {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const found = await sessions.findLiveSession(resources.store.db, hashToken(token), resources.clock.now());
  if (!found || found.worker.status !== 'active') return undefined;
  return { token, csrfToken: found.csrfToken, expiresAt: found.expiresAt, worker: found.worker };
}

export async function endSession(resources: Resources, token: string): Promise<void> {
  await sessions.deleteSession(resources.store.db, hashToken(token));
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfTokenMatches(session: PortalSession, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(session.csrfToken);
  const actual = Buffer.from(presented);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** What the review engine needs to know about the signed-in worker. */
export function workerIdentity(worker: WorkerRow): WorkerIdentity {
  return {
    id: worker.id,
    accountId: worker.account_id,
    identityProvider: worker.identity_provider,
    issuer: worker.oidc_issuer ?? undefined,
    subject: worker.oidc_subject ?? undefined,
  };
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
