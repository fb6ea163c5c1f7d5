/**
 * Console admins: people who run Tandem from the browser. Separate from workers (who answer tasks)
 * and from access keys (programs). An admin belongs to one account, or is a Tandem-wide operator
 * (`accountId: null`) who can switch the console between accounts. Roles: `admin` may change
 * anything in its account(s), `viewer` only looks.
 *
 * Sessions mirror the portal's (worker-sessions.ts): a random cookie token whose SHA-256 is
 * stored, a per-session CSRF token, a 12-hour lifetime.
 *
 * @example
 * await addAdmin(resources, { email: 'ops@example.com', role: 'admin', accountId: null, password: '…' });
 * const outcome = await signInAdmin(resources, 'ops@example.com', '…');
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '../api/aws/errors.js';
import type { Resources } from '../resources.js';
import { hashPassword, passwordProblem, verifyNothing, verifyPassword } from '../security/passwords.js';
import { accountExists, getSetting } from '../store/accounts.js';
import * as admins from '../store/admins.js';
import { appendAudit, type AuditEntry } from '../store/audit-log.js';
import type { AdminRole, AdminRow } from '../store/schema.js';
import { INVITE_TTL_MS, normalizeEmail } from './workers.js';

export const ADMIN_SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const ADMIN_ROLES: readonly AdminRole[] = ['admin', 'viewer'];

export interface ConsoleSession {
  token: string;
  csrfToken: string;
  expiresAt: number;
  /** The account the console shows and acts in. */
  accountId: string;
  admin: AdminRow;
}

export interface AddAdminRequest {
  email: string;
  role: string;
  /** The admin's account; null for a Tandem-wide operator. */
  accountId: string | null;
  /** Sets the password now; otherwise an invite link is made. */
  password?: string | undefined;
}

export async function addAdmin(resources: Resources, request: AddAdminRequest): Promise<{ admin: AdminRow; inviteUrl?: string }> {
  const email = normalizeEmail(request.email);
  if (!ADMIN_ROLES.includes(request.role as AdminRole)) throw new ValidationError(`The role must be admin or viewer, not '${request.role}'.`);
  if (request.accountId !== null && !(await accountExists(resources.store.db, request.accountId))) {
    throw new NotFoundError(`Account ${request.accountId} does not exist.`);
  }
  let passwordHash: string | null = null;
  if (request.password !== undefined) {
    const problem = passwordProblem(request.password);
    if (problem) throw new ValidationError(problem);
    passwordHash = await hashPassword(request.password);
  }
  const now = resources.clock.now();
  const invite = passwordHash === null ? newInvite(resources, now) : undefined;
  const admin: AdminRow = {
    id: randomBytes(8).toString('hex'),
    email,
    role: request.role as AdminRole,
    account_id: request.accountId,
    password_hash: passwordHash,
    status: 'active',
    invite_token_hash: invite?.hash ?? null,
    invite_expires_at: invite?.expiresAt ?? null,
    created_at: now,
  };
  if (await admins.findAdminByEmail(resources.store.db, email)) throw new ConflictError(`An admin with email ${email} already exists.`);
  try {
    await admins.insertAdmin(resources.store.db, admin);
  } catch (error) {
    // A concurrent add of the same email lost the unique index race.
    if (await admins.findAdminByEmail(resources.store.db, email)) throw new ConflictError(`An admin with email ${email} already exists.`);
    throw error;
  }
  return invite ? { admin, inviteUrl: `${resources.config.publicUrl}/console/invite/${invite.token}` } : { admin };
}

/** The admin an invite token belongs to while it is valid. */
export async function findInvitedAdmin(resources: Resources, token: string): Promise<AdminRow | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const admin = await admins.findAdminByInviteHash(resources.store.db, inviteHash(resources, token));
  if (!admin || admin.status !== 'active' || (admin.invite_expires_at ?? 0) <= resources.clock.now()) return undefined;
  return admin;
}

export async function acceptAdminInvite(resources: Resources, token: string, password: string): Promise<AdminRow> {
  const admin = await findInvitedAdmin(resources, token);
  if (!admin) throw new NotFoundError('This invite link is invalid, was already used, or has expired.');
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError(problem);
  const passwordHash = await hashPassword(password);
  await admins.updateAdmin(resources.store.db, admin.id, { password_hash: passwordHash, invite_token_hash: null, invite_expires_at: null });
  return { ...admin, password_hash: passwordHash, invite_token_hash: null, invite_expires_at: null };
}

export type AdminSignInOutcome = { ok: true; session: ConsoleSession } | { ok: false; reason: 'invalid' | 'inactive' };

/** Email and password; a missing admin costs the time of a hash, so timing reveals no emails. */
export async function signInAdmin(resources: Resources, email: string, password: string): Promise<AdminSignInOutcome> {
  const admin = email ? await admins.findAdminByEmail(resources.store.db, normalizeEmail(email)) : undefined;
  if (!admin?.password_hash) {
    await verifyNothing(password);
    return { ok: false, reason: 'invalid' };
  }
  if (!(await verifyPassword(password, admin.password_hash))) return { ok: false, reason: 'invalid' };
  if (admin.status !== 'active') return { ok: false, reason: 'inactive' };
  return { ok: true, session: await startAdminSession(resources, admin) };
}

export async function startAdminSession(resources: Resources, admin: AdminRow): Promise<ConsoleSession> {
  const now = resources.clock.now();
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = now + ADMIN_SESSION_TTL_MS;
  const accountId = admin.account_id ?? (await defaultAccountId(resources));
  await admins.insertAdminSession(resources.store.db, { idHash: hashToken(token), adminId: admin.id, csrfToken, accountId, createdAt: now, expiresAt });
  await admins.deleteExpiredAdminSessions(resources.store.db, now);
  return { token, csrfToken, expiresAt, accountId, admin };
}

export async function resumeAdminSession(resources: Resources, token: string | undefined): Promise<ConsoleSession | undefined> {
  if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const found = await admins.findLiveAdminSession(resources.store.db, hashToken(token), resources.clock.now());
  if (!found || found.admin.status !== 'active') return undefined;
  // An account admin's session can only ever show its own account.
  const accountId = found.admin.account_id ?? found.accountId;
  return { token, csrfToken: found.csrfToken, expiresAt: found.expiresAt, accountId, admin: found.admin };
}

export async function endAdminSession(resources: Resources, token: string): Promise<void> {
  await admins.deleteAdminSession(resources.store.db, hashToken(token));
}

/** A Tandem-wide operator moves the console to another account. */
export async function switchAccount(resources: Resources, session: ConsoleSession, accountId: string): Promise<void> {
  if (session.admin.account_id !== null) throw new ValidationError('Only a Tandem-wide operator can switch accounts.');
  if (!(await accountExists(resources.store.db, accountId))) throw new NotFoundError(`Account ${accountId} does not exist.`);
  await admins.setAdminSessionAccount(resources.store.db, hashToken(session.token), accountId);
}

export function consoleCsrfMatches(session: ConsoleSession, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(session.csrfToken);
  const actual = Buffer.from(presented);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Records an admin action (after the operation it describes has committed). */
export async function recordAudit(
  resources: Resources,
  session: ConsoleSession,
  sourceAddress: string,
  entry: Pick<AuditEntry, 'action' | 'target' | 'detail'>,
): Promise<void> {
  await appendAudit(resources.store.db, {
    ...entry,
    accountId: session.accountId,
    adminId: session.admin.id,
    adminEmail: session.admin.email,
    sourceAddress,
    createdAt: resources.clock.now(),
  });
}

/** Where an operator's console opens: the configured default account, else the one start-up made. */
async function defaultAccountId(resources: Resources): Promise<string> {
  const configured = resources.config.accountId ?? (await getSetting(resources.store.db, 'default_account_id'));
  if (configured) return configured;
  const first = await resources.store.db.selectFrom('accounts').select('id').orderBy('created_at').orderBy('id').executeTakeFirst();
  if (!first) throw new NotFoundError('There is no account yet; start Tandem once to create one.');
  return first.id;
}

function newInvite(resources: Resources, now: number) {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: inviteHash(resources, token), expiresAt: now + INVITE_TTL_MS };
}

function inviteHash(resources: Resources, token: string): string {
  return resources.secrets.mac(`admin-invite:${token}`).toString('hex');
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
