/**
 * Workers: the people who answer tasks in the portal. An admin adds a worker to one or more work
 * teams (CLI `tandem workers add`, or `POST /admin/workers`) and hands them the one-time invite
 * link; the worker sets a password through it. Team membership (`workteam_members`) decides
 * which flow definitions' tasks the worker is offered.
 *
 * @example
 * const { worker, inviteUrl } = await addWorker(resources, { accountId, email: 'ana@example.com', teams: ['reviewers'] });
 * // later, from the invite page:
 * await acceptInvite(resources, tokenFromUrl, 'a long passphrase');
 */
import { randomBytes } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '../api/aws/errors.js';
import type { Resources } from '../resources.js';
import { hashPassword, passwordProblem } from '../security/passwords.js';
import type { WorkerRow } from '../store/schema.js';
import { deleteWorkerSessions } from '../store/sessions.js';
import * as workers from '../store/workers.js';
import { releaseWorkerLeases } from './reviews.js';

/** How long an invite link works. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_EMAIL_LENGTH = 254;
const MAX_NAME_LENGTH = 200;
const MAX_TEAMS = 25;
/** Deliberately loose: one @, no spaces, a dot in the domain. The invite proves the address. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A worker as the admin API and CLI show it (never the password hash or invite token). */
export interface WorkerSummary {
  workerId: string;
  accountId: string;
  email: string;
  name: string | null;
  status: 'active' | 'inactive';
  identityProvider: 'Tandem' | 'Oidc';
  teams: string[];
  passwordSet: boolean;
  /** When the pending invite expires (ms), null when none is pending. */
  inviteExpiresAt: number | null;
  createdAt: number;
}

export interface AddWorkerRequest {
  accountId: string;
  email: string;
  teams: string[];
  name?: string | undefined;
  /** Sets the password now (for automation); no invite link is made then. */
  password?: string | undefined;
}

export interface AddedWorker {
  worker: WorkerSummary;
  /** The one-time link that lets the worker set a password; absent when a password was given. */
  inviteUrl?: string | undefined;
}

export async function addWorker(resources: Resources, request: AddWorkerRequest): Promise<AddedWorker> {
  const email = normalizeEmail(request.email);
  const teams = normalizeTeams(request.teams);
  if (teams.length === 0) throw new ValidationError('A worker must belong to at least one work team.');
  const name = normalizeName(request.name);
  let passwordHash: string | null = null;
  if (request.password !== undefined) {
    const problem = passwordProblem(request.password);
    if (problem) throw new ValidationError(problem);
    passwordHash = await hashPassword(request.password);
  }
  const now = resources.clock.now();
  const invite = passwordHash === null ? newInvite(resources, now) : undefined;
  const row: WorkerRow = {
    id: randomBytes(8).toString('hex'),
    account_id: request.accountId,
    email,
    display_name: name,
    password_hash: passwordHash,
    status: 'active',
    identity_provider: 'Tandem',
    oidc_issuer: null,
    oidc_subject: null,
    invite_token_hash: invite?.hash ?? null,
    invite_expires_at: invite?.expiresAt ?? null,
    created_at: now,
  };
  await resources.store.db.transaction().execute(async (tx) => {
    await requireTeams(tx, request.accountId, teams);
    if (await workers.findWorkerByEmail(tx, request.accountId, email)) {
      throw new ConflictError(`A worker with email ${email} already exists in account ${request.accountId}.`);
    }
    await workers.insertWorker(tx, row);
    await workers.replaceWorkerTeams(tx, request.accountId, row.id, teams);
  });
  return { worker: summarize(row, teams), inviteUrl: invite ? inviteUrl(resources, invite.token) : undefined };
}

/**
 * A fresh invite link for an existing worker (the first was lost or expired); it replaces any
 * earlier link. The worker's current password, if any, keeps working until the new one is set.
 */
export async function reissueInvite(resources: Resources, accountId: string, workerId: string): Promise<string> {
  const worker = await requireWorker(resources, accountId, workerId);
  if (worker.identity_provider !== 'Tandem') throw new ValidationError(`${worker.email} signs in through single sign-on and has no password.`);
  const invite = newInvite(resources, resources.clock.now());
  await workers.updateWorker(resources.store.db, worker.id, { invite_token_hash: invite.hash, invite_expires_at: invite.expiresAt });
  return inviteUrl(resources, invite.token);
}

/** The worker an invite token belongs to, when the token is valid now; undefined otherwise. */
export async function findInvitedWorker(resources: Resources, token: string): Promise<WorkerRow | undefined> {
  if (!isTokenShaped(token)) return undefined;
  const worker = await workers.findWorkerByInviteHash(resources.store.db, inviteHash(resources, token));
  if (!worker || worker.status !== 'active' || (worker.invite_expires_at ?? 0) <= resources.clock.now()) return undefined;
  return worker;
}

/** Sets the worker's password from an invite token; the token works once. Returns the worker. */
export async function acceptInvite(resources: Resources, token: string, password: string): Promise<WorkerRow> {
  const worker = await findInvitedWorker(resources, token);
  if (!worker) throw new NotFoundError(INVALID_INVITE);
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError(problem);
  const passwordHash = await hashPassword(password);
  const consumed = await workers.consumeInvite(resources.store.db, worker.id, inviteHash(resources, token), passwordHash, resources.clock.now());
  if (!consumed) throw new NotFoundError(INVALID_INVITE);
  return { ...worker, password_hash: passwordHash, invite_token_hash: null, invite_expires_at: null };
}

export const INVALID_INVITE = 'This invite link is invalid, was already used, or has expired. Ask your administrator for a new one.';

/**
 * Deactivates a worker: they can no longer sign in, their sessions end now, and every task they
 * hold goes back to the queue. Returns the number of leases released.
 */
export async function deactivateWorker(resources: Resources, accountId: string, workerId: string): Promise<{ releasedLeases: number }> {
  const worker = await requireWorker(resources, accountId, workerId);
  await resources.store.db.transaction().execute(async (tx) => {
    await workers.updateWorker(tx, worker.id, { status: 'inactive' });
    await deleteWorkerSessions(tx, worker.id);
  });
  // After the commit: no session can claim again, so nothing is leased after this release.
  const releasedLeases = await releaseWorkerLeases(resources, worker.id);
  return { releasedLeases };
}

export async function activateWorker(resources: Resources, accountId: string, workerId: string): Promise<void> {
  const worker = await requireWorker(resources, accountId, workerId);
  await workers.updateWorker(resources.store.db, worker.id, { status: 'active' });
}

/** Replaces the worker's work teams. Tasks already leased stay with the worker until answered or expired. */
export async function setWorkerTeams(resources: Resources, accountId: string, workerId: string, teamNames: string[]): Promise<void> {
  const worker = await requireWorker(resources, accountId, workerId);
  const teams = normalizeTeams(teamNames);
  await resources.store.db.transaction().execute(async (tx) => {
    await requireTeams(tx, accountId, teams);
    await workers.replaceWorkerTeams(tx, accountId, worker.id, teams);
  });
}

export async function listWorkers(resources: Resources, accountId: string): Promise<WorkerSummary[]> {
  const rows = await workers.listWorkersOfAccount(resources.store.db, accountId);
  const teams = await workers.teamsByWorker(resources.store.db, rows.map((r) => r.id));
  return rows.map((row) => summarize(row, teams.get(row.id) ?? []));
}

export async function describeWorker(resources: Resources, accountId: string, workerId: string): Promise<WorkerSummary> {
  const row = await requireWorker(resources, accountId, workerId);
  const teams = await workers.teamsByWorker(resources.store.db, [row.id]);
  return summarize(row, teams.get(row.id) ?? []);
}

/** The id of the account's worker with this email (CLI commands name workers by email). */
export async function workerIdByEmail(resources: Resources, accountId: string, email: string): Promise<string> {
  const normalized = normalizeEmail(email);
  const row = await workers.findWorkerByEmail(resources.store.db, accountId, normalized);
  if (!row) throw new NotFoundError(`No worker with email ${normalized} in account ${accountId}.`);
  return row.id;
}

export function normalizeEmail(email: string): string {
  const trimmed = String(email ?? '').trim().toLowerCase();
  if (trimmed.length === 0) throw new ValidationError('An email address is required.');
  if (trimmed.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(trimmed)) {
    throw new ValidationError(`"${trimmed.slice(0, 100)}" is not a valid email address.`);
  }
  return trimmed;
}

function normalizeTeams(teams: string[]): string[] {
  if (!Array.isArray(teams) || teams.some((t) => typeof t !== 'string')) throw new ValidationError('Teams must be a list of work team names.');
  const unique = [...new Set(teams.map((t) => t.trim()).filter((t) => t.length > 0))];
  if (unique.length > MAX_TEAMS) throw new ValidationError(`A worker can belong to at most ${MAX_TEAMS} work teams.`);
  return unique.sort();
}

function normalizeName(name: string | undefined): string | null {
  if (name === undefined || name === null) return null;
  if (typeof name !== 'string') throw new ValidationError('The name must be a string.');
  const trimmed = name.trim();
  if (trimmed.length > MAX_NAME_LENGTH) throw new ValidationError(`The name must be at most ${MAX_NAME_LENGTH} characters long.`);
  return trimmed.length === 0 ? null : trimmed;
}

async function requireTeams(db: Resources['store']['db'], accountId: string, teams: string[]): Promise<void> {
  const existing = await workers.existingWorkteams(db, accountId, teams);
  const missing = teams.filter((t) => !existing.has(t));
  if (missing.length > 0) {
    throw new NotFoundError(`No work team named ${missing.map((t) => `'${t}'`).join(', ')} in account ${accountId}. Create it first (CreateWorkteam).`);
  }
}

async function requireWorker(resources: Resources, accountId: string, workerId: string): Promise<WorkerRow> {
  const row = await workers.findWorkerById(resources.store.db, workerId);
  if (!row || row.account_id !== accountId) throw new NotFoundError(`No worker with id ${workerId} in account ${accountId}.`);
  return row;
}

function newInvite(resources: Resources, now: number) {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: inviteHash(resources, token), expiresAt: now + INVITE_TTL_MS };
}

/** Only the HMAC of a token is stored: a copy of the database holds no usable invite. */
function inviteHash(resources: Resources, token: string): string {
  return resources.secrets.mac(`invite:${token}`).toString('hex');
}

function isTokenShaped(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

function inviteUrl(resources: Resources, token: string): string {
  return `${resources.config.publicUrl}/portal/invite/${token}`;
}

function summarize(row: WorkerRow, teams: string[]): WorkerSummary {
  return {
    workerId: row.id,
    accountId: row.account_id,
    email: row.email,
    name: row.display_name,
    status: row.status,
    identityProvider: row.identity_provider,
    teams,
    passwordSet: row.password_hash !== null,
    inviteExpiresAt: row.invite_token_hash !== null ? row.invite_expires_at : null,
    createdAt: row.created_at,
  };
}
