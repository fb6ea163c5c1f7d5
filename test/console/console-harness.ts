/**
 * In-process console tests: the portal harness's server and helpers (flows, loops, workers), plus
 * console admins and sign-in through the console's form.
 */
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { addAdmin } from '../../src/operations/admins.js';
import { ensureAccount } from '../../src/store/accounts.js';
import type { TestDialect } from '../support/databases.js';
import { openPortalHarness, PASSWORD, postForm, type PortalHarness } from '../portal/portal-harness.js';

export { PASSWORD };

export interface ConsoleSignIn {
  cookie: string;
  csrfToken: string;
}

export interface ConsoleHarness extends PortalHarness {
  /** An admin with {@link PASSWORD}; `accountId` null makes a Tandem-wide operator (default: the harness's account). */
  addAdmin(email: string, role: 'admin' | 'viewer', accountId?: string | null): Promise<void>;
  consoleSignIn(email: string): Promise<ConsoleSignIn>;
  get(url: string, who: ConsoleSignIn): Promise<LightMyRequestResponse>;
  /** A form POST with the session's CSRF token (unless `csrf` is null). */
  post(url: string, who: ConsoleSignIn, fields?: Record<string, string>, csrf?: string | null): Promise<LightMyRequestResponse>;
  createAccount(accountId: string): Promise<void>;
}

export async function openConsoleHarness(dialect: TestDialect): Promise<ConsoleHarness> {
  const h = await openPortalHarness(dialect);
  const get = (url: string, who: ConsoleSignIn) => h.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
  return Object.assign(h, {
    async addAdmin(email: string, role: 'admin' | 'viewer', accountId: string | null = h.resources.caller.accountId) {
      await addAdmin(h.resources, { email, role, accountId, password: PASSWORD });
    },
    async consoleSignIn(email: string) {
      const response = await postForm(h.app, '/console/sign-in', { email, password: PASSWORD });
      assert.equal(response.statusCode, 303, response.body);
      const cookie = consoleCookie(response);
      const page = await get('/console/loops', { cookie, csrfToken: '' });
      assert.equal(page.statusCode, 200, page.body);
      const match = /<meta name="tandem-csrf-token" content="([^"]+)">/.exec(page.body);
      assert.ok(match, 'console pages carry the CSRF token');
      return { cookie, csrfToken: match[1]! };
    },
    get,
    post(url: string, who: ConsoleSignIn, fields: Record<string, string> = {}, csrf: string | null = who.csrfToken) {
      return postForm(h.app, url, csrf === null ? fields : { ...fields, _csrf: csrf }, { cookie: who.cookie });
    },
    async createAccount(accountId: string) {
      await ensureAccount(h.resources.store.db, accountId, h.resources.clock.now());
    },
  });
}

export function consoleCookie(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  const value = (Array.isArray(header) ? header : [header ?? '']).find((c) => c.startsWith('tandem_console='));
  assert.ok(value, 'the response sets tandem_console');
  return value.split(';')[0]!;
}

/** The visible text of a page's notices. */
export function noticesOf(html: string): string {
  return [...html.matchAll(/<p class="notice [a-z]+" role="(?:alert|status)">([^<]*)<\/p>/g)].map((m) => m[1]).join(' | ');
}

/** Loop names in the list page's table, in order. */
export function listedLoops(html: string): string[] {
  return [...html.matchAll(/<td><a href="\/console\/loops\/[^"]+">([^<]+)<\/a><\/td>/g)].map((m) => m[1]!);
}
