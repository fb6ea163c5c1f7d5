/**
 * Behind a TLS-terminating reverse proxy (issue 13, item 13): X-Forwarded-For and
 * X-Forwarded-Proto are believed only from TANDEM_TRUSTED_PROXIES, and session cookies are
 * `Secure` when the public URL is https.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildServer } from '../../src/api/server.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { openConsoleHarness, PASSWORD, type ConsoleHarness } from '../console/console-harness.js';

const PROXY = '10.0.0.5';

function signIn(app: FastifyInstance, url: string, email: string, remoteAddress: string, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url,
    remoteAddress,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams({ email, password: PASSWORD }).toString(),
  });
}

function cookies(response: LightMyRequestResponse): string[] {
  const header = response.headers['set-cookie'];
  return Array.isArray(header) ? header : header ? [header] : [];
}

for (const dialect of DIALECTS) {
  describe(`behind a reverse proxy (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let h: ConsoleHarness;
    /** TANDEM_TRUSTED_PROXIES=10.0.0.5, TANDEM_PUBLIC_URL=https://tandem.example.com */
    let proxied: FastifyInstance;
    before(async () => {
      h = await openConsoleHarness(dialect);
      await h.addAdmin('root@example.com', 'admin');
      await h.addWorker('ana@example.com');
      proxied = await buildServer({ ...h.resources, config: { ...h.resources.config, trustedProxies: [PROXY], publicUrl: 'https://tandem.example.com' } });
    });
    after(async () => {
      await proxied?.close();
      await h?.close();
    });

    test('X-Forwarded-For is the client address only when the proxy is trusted (the audit log shows it)', async () => {
      const forwarded = { 'x-forwarded-for': '198.51.100.7' };
      assert.equal((await signIn(proxied, '/console/sign-in', 'root@example.com', PROXY, forwarded)).statusCode, 303);
      assert.equal((await signIn(proxied, '/console/sign-in', 'root@example.com', '10.0.0.6', forwarded)).statusCode, 303);
      assert.equal((await signIn(h.app, '/console/sign-in', 'root@example.com', PROXY, forwarded)).statusCode, 303);
      const rows = await h.resources.store.db
        .selectFrom('audit_log')
        .select('source_address')
        .where('action', '=', 'console.sign-in')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        rows.map((r) => r.source_address),
        ['198.51.100.7', '10.0.0.6', PROXY],
      );
    });

    test('X-Forwarded-Proto is believed only from the proxy (origin check of the https site)', async () => {
      const fromSite = { host: 'tandem.internal', origin: 'https://tandem.internal', 'x-forwarded-proto': 'https' };
      // Public URL http://…:8080 on h.app: the https origin passes only through the trusted proxy.
      const config = { ...h.resources.config, trustedProxies: [PROXY] };
      const app = await buildServer({ ...h.resources, config });
      try {
        assert.equal((await signIn(app, '/portal/sign-in', 'ana@example.com', PROXY, fromSite)).statusCode, 303);
        assert.equal((await signIn(app, '/portal/sign-in', 'ana@example.com', '10.0.0.6', fromSite)).statusCode, 403);
      } finally {
        await app.close();
      }
    });

    test('session cookies are Secure when the public URL is https, and only then', async () => {
      for (const [url, email] of [
        ['/portal/sign-in', 'ana@example.com'],
        ['/console/sign-in', 'root@example.com'],
      ] as const) {
        const secure = cookies(await signIn(proxied, url, email, PROXY));
        assert.ok(secure.length > 0 && secure.every((c) => /;\s*Secure/i.test(c)), secure.join(' | '));
        const plain = cookies(await signIn(h.app, url, email, '127.0.0.1'));
        assert.ok(plain.length > 0 && plain.every((c) => !/;\s*Secure/i.test(c)), plain.join(' | '));
      }
    });
  });
}
