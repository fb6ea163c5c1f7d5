/**
 * Console single sign-on: a person the OpenID Connect provider vouches for becomes a console
 * session when their groups claim names the configured admin group (role `admin`) or viewer
 * group (role `viewer`). The provider is the source of truth for the role: it is recomputed at
 * every sign-in, and someone in neither group is refused even if they signed in before.
 *
 * Admins are identified by email (one admin per email across Tandem). An email that belongs to a
 * password admin, or to one with an open invite, is refused rather than linked: otherwise whoever
 * controls that address at the provider would take over an admin who never used single sign-on.
 * Admins created here have no password; they belong to the default account.
 */
import { randomBytes } from 'node:crypto';
import type { Resources } from '../resources.js';
import type { OidcIdentity } from '../security/oidc-client.js';
import { getSetting } from '../store/accounts.js';
import * as admins from '../store/admins.js';
import type { AdminRole, AdminRow } from '../store/schema.js';
import { startAdminSession, type ConsoleSession } from './admins.js';

export type AdminSsoRefusal = 'no-group' | 'no-email' | 'inactive' | 'password-admin';

export type AdminSsoOutcome = { ok: true; session: ConsoleSession; created: boolean } | { ok: false; reason: AdminSsoRefusal; message: string };

/** The role the configured groups give these groups, or undefined. `admin` wins over `viewer`. */
export function roleFromGroups(groups: readonly string[], adminGroup: string | undefined, viewerGroup: string | undefined): AdminRole | undefined {
  if (adminGroup !== undefined && groups.includes(adminGroup)) return 'admin';
  if (viewerGroup !== undefined && groups.includes(viewerGroup)) return 'viewer';
  return undefined;
}

export async function signInAdminWithOidc(resources: Resources, identity: OidcIdentity): Promise<AdminSsoOutcome> {
  const refuse = (reason: AdminSsoRefusal, message: string): AdminSsoOutcome => {
    resources.logger.info({ issuer: identity.issuer, subject: identity.subject, reason }, 'console single sign-on refused');
    return { ok: false, reason, message };
  };
  const { oidcAdminGroup, oidcViewerGroup } = resources.config;
  const role = roleFromGroups(identity.groups, oidcAdminGroup, oidcViewerGroup);
  if (!role) return refuse('no-group', 'Your account at the sign-in provider is not in a group that may use the Tandem console. Ask your administrator.');
  const email = identity.email?.trim().toLowerCase();
  if (!email || email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    return refuse('no-email', 'The sign-in provider did not tell Tandem your email address, which the console needs.');
  }
  const db = resources.store.db;
  const existing = await admins.findAdminByEmail(db, email);
  if (existing && (existing.password_hash !== null || existing.invite_token_hash !== null)) {
    return refuse('password-admin', `${email} is a console admin who signs in with a password; single sign-on does not take over that account.`);
  }
  if (existing && existing.status !== 'active') return refuse('inactive', 'This admin account has been deactivated.');
  let admin: AdminRow;
  let created = false;
  if (existing) {
    admin = existing.role === role ? existing : { ...existing, role };
    if (existing.role !== role) await admins.updateAdmin(db, existing.id, { role });
  } else {
    const accountId = await getSetting(db, 'default_account_id');
    if (!accountId) throw new Error('The store has no default account.');
    admin = {
      id: randomBytes(8).toString('hex'),
      email,
      role,
      account_id: accountId,
      password_hash: null,
      status: 'active',
      invite_token_hash: null,
      invite_expires_at: null,
      created_at: resources.clock.now(),
    };
    try {
      await admins.insertAdmin(db, admin);
      created = true;
    } catch (error) {
      // Two first sign-ins of one person at once: the other one created the row.
      const raced = await admins.findAdminByEmail(db, email);
      if (!raced || raced.password_hash !== null) throw error;
      admin = raced;
    }
  }
  resources.logger.info({ adminId: admin.id, role: admin.role, created }, 'console single sign-on');
  return { ok: true, session: await startAdminSession(resources, admin), created };
}
