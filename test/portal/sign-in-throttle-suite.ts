/**
 * Shared by sign-in-throttle-sqlite.test.ts and sign-in-throttle-postgres.test.ts.
 * Sign-in throttling behind a reverse proxy (issue 13, item 4), portal and console, on each
 * dialect: failures count per email and per client address, in the store, so processes share
 * them; an email under attack does not lock out others who sign in through the same proxy
 * address, and a busy address costs a correct password at most a short back-off.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server.js';
import { addAdmin } from '../../src/operations/admins.js';
import { DEFAULT_THROTTLE_LIMITS, SignInThrottle } from '../../src/security/sign-in-throttle.js';
import { openStore, type Store } from '../../src/store/database.js';
import { dialectSkip, type TestDialect } from '../support/databases.js';
import { openPortalHarness, PASSWORD, postForm, type PortalHarness } from './portal-harness.js';

const PROXY = '10.0.0.5';
const REALMS = [
  { realm: 'portal', url: '/portal/sign-in' },
  { realm: 'console', url: '/console/sign-in' },
] as const;

/** The suite on one dialect; a test file per dialect keeps each under the per-file timeout (scrypt per failure). */
export function describeSignInThrottle(dialect: TestDialect): void {
  describe(`sign-in throttle (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let h: PortalHarness;
    /** A second "process": its own store connection(s) and server on the same database. */
    let otherStore: Store;
    let other: FastifyInstance;
    before(async () => {
      h = await openPortalHarness(dialect);
      otherStore = await openStore({ databaseUrl: h.resources.database.databaseUrl, sqliteFile: join(h.resources.database.dataDir, 'tandem.db') });
      other = await buildServer({ ...h.resources, store: otherStore, logger: pino({ level: 'silent' }) });
      for (const who of ['ana', 'bob', 'cy', 'dee', 'eve']) {
        await h.addWorker(`${who}@example.com`);
        await addAdmin(h.resources, { email: `${who}@example.com`, role: 'viewer', accountId: h.resources.caller.accountId, password: PASSWORD });
      }
    });
    after(async () => {
      await other?.close();
      await otherStore?.close();
      await h?.close();
    });

    for (const { realm, url } of REALMS) {
      test(`${realm}: 50 failures against one email (and 40 more on others) from the proxy address do not lock out another worker behind it`, async () => {
        // No trusted proxy: every request comes from the proxy's socket address.
        const fromProxy = { remoteAddress: PROXY };
        for (let i = 0; i < 50; i++) {
          const response = await h.app.inject({ method: 'POST', url, ...form({ email: 'ana@example.com', password: `wrong-${i}-password` }), ...fromProxy });
          assert.equal(response.statusCode, i < DEFAULT_THROTTLE_LIMITS.perEmail ? 401 : 429, `attempt ${i + 1}`);
        }
        // Workers behind the proxy mistyping their own passwords add 40 more failures from that address.
        for (let i = 0; i < 40; i++) {
          const response = await h.app.inject({ method: 'POST', url, ...form({ email: `typist-${i % 4}@example.com`, password: 'not my password' }), ...fromProxy });
          assert.equal(response.statusCode, 401);
        }
        const bob = await h.app.inject({ method: 'POST', url, ...form({ email: 'bob@example.com', password: PASSWORD }), ...fromProxy });
        assert.equal(bob.statusCode, 303, 'another worker signs in from the same address');
        // The attacked email itself waits for the window, whoever asks.
        const ana = await h.app.inject({ method: 'POST', url, ...form({ email: 'ana@example.com', password: PASSWORD }), remoteAddress: '198.51.100.1' });
        assert.equal(ana.statusCode, 429);
        assert.ok(Number(ana.headers['retry-after']) > 60);
      });

      test(`${realm}: two processes on one store share the counter`, async () => {
        const servers = [h.app, other];
        for (let i = 0; i < DEFAULT_THROTTLE_LIMITS.perEmail; i++) {
          const response = await postForm(servers[i % 2]!, url, { email: 'cy@example.com', password: `wrong-${i}-password` });
          assert.equal(response.statusCode, 401, `attempt ${i + 1}`);
        }
        for (const server of servers) {
          assert.equal((await postForm(server, url, { email: 'cy@example.com', password: PASSWORD })).statusCode, 429);
        }
        assert.equal((await postForm(other, url, { email: 'dee@example.com', password: PASSWORD })).statusCode, 303);
      });
    }

    test('many failures across emails from one address: a correct password waits a short back-off only', async () => {
      const throttle = new SignInThrottle(h.resources, 'portal');
      const address = '203.0.113.9';
      for (let i = 0; i < DEFAULT_THROTTLE_LIMITS.perAddress; i++) await throttle.recordFailure(address, `sprayed-${i}@example.com`);
      const wait = await throttle.retryAfterMs(address, 'eve@example.com');
      assert.ok(wait > 0 && wait <= DEFAULT_THROTTLE_LIMITS.addressBackoffMs, `waits ${wait} ms`);
      assert.equal(await throttle.retryAfterMs('203.0.113.10', 'eve@example.com'), 0, 'another address is not affected');
      h.resources.clock.advance(DEFAULT_THROTTLE_LIMITS.addressBackoffMs);
      assert.equal(await throttle.retryAfterMs(address, 'eve@example.com'), 0);
      const signedIn = await h.app.inject({ method: 'POST', url: '/portal/sign-in', ...form({ email: 'eve@example.com', password: PASSWORD }), remoteAddress: address });
      assert.equal(signedIn.statusCode, 303);
    });

    test('the window ends: an attacked email signs in again after 15 minutes', async () => {
      h.resources.clock.advance(DEFAULT_THROTTLE_LIMITS.windowMs);
      for (const { url } of REALMS) {
        assert.equal((await postForm(h.app, url, { email: 'ana@example.com', password: PASSWORD })).statusCode, 303);
      }
    });
  });
}

function form(fields: Record<string, string>) {
  return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() };
}
