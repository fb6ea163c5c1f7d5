/**
 * Single sign-on: a person the OpenID Connect provider vouched for becomes a portal session.
 *
 * A2I's rule: a work team whose MemberDefinitions hold `OidcMemberDefinition: { Groups }` admits
 * everyone whose groups claim names one of those Groups. The provider is the source of truth, so
 * each sign-in recomputes the worker's teams from the claim and replaces their `workteam_members`
 * rows with exactly those teams (the review engine offers tasks by those rows). Someone in none
 * of the account's OIDC teams' groups is refused, and an existing worker's memberships are then
 * emptied, so a session that outlives their removal at the provider sees no new tasks.
 *
 * Workers are found by (issuer, subject), never by email: linking an account by email would let
 * whoever controls that address at the provider take over a password worker. An email already
 * used by another worker of the account is therefore a refusal, not a merge.
 *
 * @example
 * const outcome = await signInWithOidc(resources, { issuer, subject, email, name, groups: ['reviewers'] });
 * if (outcome.ok) setSessionCookie(resources, reply, outcome.session);
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Resources } from '../resources.js';
import type { OidcIdentity } from '../security/oidc-client.js';
import { getSetting } from '../store/accounts.js';
import type { Database, WorkerRow } from '../store/schema.js';
import * as workers from '../store/workers.js';
import { startSession, type PortalSession } from './worker-sessions.js';
import type { MemberDefinition } from './workteams.js';

export type SsoRefusal = 'no-team' | 'inactive' | 'no-email' | 'email-taken';

export type SsoSignInOutcome =
  | { ok: true; session: PortalSession; teams: string[]; created: boolean }
  | { ok: false; reason: SsoRefusal; message: string };

const MAX_EMAIL_LENGTH = 254;
const MAX_NAME_LENGTH = 200;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Two first sign-ins of one person, or two sign-ins rewriting one worker's teams, can collide once. */
const ATTEMPTS = 3;

type Decision =
  | { ok: true; worker: WorkerRow; teams: string[]; created: boolean }
  | { ok: false; reason: SsoRefusal; message: string };

/**
 * Finds or creates the worker for `identity` in the default account, sets their teams from their
 * groups (one transaction), and starts a portal session; or says why not.
 */
export async function signInWithOidc(resources: Resources, identity: OidcIdentity): Promise<SsoSignInOutcome> {
  const accountId = await defaultAccountId(resources);
  const email = identity.email?.trim().toLowerCase();
  for (let attempt = 1; ; attempt++) {
    try {
      const decision = await resources.store.db.transaction().execute((tx) => decide(resources, tx, accountId, identity, email));
      if (!decision.ok) {
        resources.logger.info({ issuer: identity.issuer, subject: identity.subject, reason: decision.reason }, 'single sign-on refused');
        return decision;
      }
      const { worker, teams, created } = decision;
      resources.logger.info({ workerId: worker.id, teams, created }, 'single sign-on');
      return { ok: true, session: await startSession(resources, worker), teams, created };
    } catch (error) {
      if (attempt >= ATTEMPTS || !isUniqueViolation(error)) throw error;
    }
  }
}

async function decide(resources: Resources, tx: Kysely<Database>, accountId: string, identity: OidcIdentity, email: string | undefined): Promise<Decision> {
  const emailValid = email !== undefined && email.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(email);
  // The email's holder is read first, on purpose: under READ COMMITTED each statement sees what
  // committed before it began, so a concurrent first sign-in of this same person that the holder
  // read sees is seen by the identity read too, and is never mistaken for someone else's email.
  const holder = emailValid ? await workers.findWorkerByEmail(tx, accountId, email) : undefined;
  const existing = await workers.findOidcWorker(tx, accountId, identity.issuer, identity.subject, resources.store.dialect);
  if (existing && existing.status !== 'active') {
    return { ok: false, reason: 'inactive', message: 'Your account has been deactivated. Ask your administrator to reactivate it.' };
  }
  const teams = teamsForGroups(await workers.workteamMemberDefinitions(tx, accountId), identity.groups);
  if (teams.length === 0) {
    if (existing) await workers.replaceWorkerTeams(tx, accountId, existing.id, []);
    const why =
      identity.groups.length > 0
        ? `Your groups (${identity.groups.join(', ')}) match no work team here`
        : `Your sign-in provider lists no groups for you (claim ${resources.config.oidcGroupsClaim}), so no work team here admits you`;
    return {
      ok: false,
      reason: 'no-team',
      message: `${why}. Ask your administrator to add you to a group of a work team.`,
    };
  }
  if (!emailValid) {
    return {
      ok: false,
      reason: 'no-email',
      message: 'Your sign-in provider did not share a valid email address, which Tandem needs. Ask your administrator to release the email claim to Tandem.',
    };
  }
  if (holder && holder.id !== existing?.id) {
    const how = holder.identity_provider === 'Tandem' ? 'who signs in with a password' : 'who signs in with another single sign-on identity';
    return {
      ok: false,
      reason: 'email-taken',
      message: `The email ${email} already belongs to another worker here, ${how}. Ask your administrator to remove that worker, or sign in the way that worker does.`,
    };
  }
  const name = identity.name ? identity.name.slice(0, MAX_NAME_LENGTH) : null;
  let worker: WorkerRow;
  if (existing) {
    worker = { ...existing, email, display_name: name ?? existing.display_name };
    if (worker.email !== existing.email || worker.display_name !== existing.display_name) {
      await workers.updateWorker(tx, existing.id, { email: worker.email, display_name: worker.display_name });
    }
  } else {
    worker = {
      id: randomBytes(8).toString('hex'),
      account_id: accountId,
      email,
      display_name: name,
      password_hash: null,
      status: 'active',
      identity_provider: 'Oidc',
      oidc_issuer: identity.issuer,
      oidc_subject: identity.subject,
      invite_token_hash: null,
      invite_expires_at: null,
      created_at: resources.clock.now(),
    };
    await workers.insertWorker(tx, worker);
  }
  await workers.replaceWorkerTeams(tx, accountId, worker.id, teams);
  return { ok: true, worker, teams, created: !existing };
}

/**
 * The names of the teams that admit someone in `groups`: those with an OidcMemberDefinition whose
 * Groups share a member with `groups` (exact, case-sensitive, as group names are at providers).
 * Teams with unreadable MemberDefinitions admit no one.
 */
export function teamsForGroups(teams: ReadonlyArray<{ name: string; member_definitions: string }>, groups: readonly string[]): string[] {
  const mine = new Set(groups);
  if (mine.size === 0) return [];
  return teams
    .filter((team) => oidcGroupsOf(team.member_definitions).some((group) => mine.has(group)))
    .map((team) => team.name)
    .sort();
}

function oidcGroupsOf(memberDefinitionsJson: string): string[] {
  let members: unknown;
  try {
    members = JSON.parse(memberDefinitionsJson);
  } catch {
    return [];
  }
  if (!Array.isArray(members)) return [];
  return (members as MemberDefinition[]).flatMap((member) => {
    const groups = member?.OidcMemberDefinition?.Groups;
    return Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [];
  });
}

/** The account single sign-on admits workers to: the configured one, or the one the first start created. */
async function defaultAccountId(resources: Resources): Promise<string> {
  const accountId = resources.config.accountId ?? (await getSetting(resources.store.db, 'default_account_id'));
  if (!accountId) throw new Error('the default account is not set up yet (ensureDefaultAccount has not run)');
  return accountId;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || /UNIQUE constraint failed/.test(String(e?.message));
}
