import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CONSOLE_ROUTES } from '../../src/api/console/console.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { postForm } from '../portal/portal-harness.js';
import { noticesOf, openConsoleHarness, PASSWORD, type ConsoleHarness, type ConsoleSignIn } from './console-harness.js';

/** A concrete URL for a route pattern (`:name` → a loop that exists). */
function concrete(url: string): string {
  return url.replace(/:name/g, 'loop-1').replace(/:token/g, 'x'.repeat(43)).replace(/:[a-zA-Z]+/g, 'x');
}

for (const dialect of DIALECTS) {
  describe(`console access (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let h: ConsoleHarness;
    let admin: ConsoleSignIn;
    let viewer: ConsoleSignIn;
    before(async () => {
      h = await openConsoleHarness(dialect);
      await h.addAdmin('root@example.com', 'admin');
      await h.addAdmin('look@example.com', 'viewer');
      await h.createFlow('flow-a');
      await h.startLoop('flow-a', 'loop-1');
      admin = await h.consoleSignIn('root@example.com');
      viewer = await h.consoleSignIn('look@example.com');
    });
    after(() => h?.close());

    test('GET / redirects to the console, which shows its sign-in page', async () => {
      const root = await h.app.inject({ method: 'GET', url: '/' });
      assert.equal(root.statusCode, 302);
      assert.equal(root.headers.location, '/console');
      const page = await h.app.inject({ method: 'GET', url: '/console' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1>Sign in to the console<\/h1>/);
      assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
    });

    test('the session cookie is HttpOnly, SameSite=Strict, scoped to /console; a wrong password is 401', async () => {
      const ok = await postForm(h.app, '/console/sign-in', { email: 'ROOT@example.com', password: PASSWORD });
      assert.match(String(ok.headers['set-cookie']), /^tandem_console=[A-Za-z0-9_-]{43}; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=43200$/);
      const wrong = await postForm(h.app, '/console/sign-in', { email: 'root@example.com', password: 'not the password' });
      assert.equal(wrong.statusCode, 401);
      assert.match(noticesOf(wrong.body), /The email or password is incorrect/);
      assert.equal(wrong.headers['set-cookie'], undefined);
    });

    test('sign-in is throttled like the portal: the 11th failure from one address is 429, even with the right password', async () => {
      const fields = { email: 'look@example.com', password: 'wrong wrong wrong' };
      for (let i = 0; i < 10; i++) {
        const r = await postForm(h.app, '/console/sign-in', fields, { 'x-forwarded-for': '1.1.1.1' });
        assert.equal(r.statusCode, 401);
      }
      // inject's remote address is the same for every request, so the counter is per email here.
      const blocked = await postForm(h.app, '/console/sign-in', { email: 'look@example.com', password: PASSWORD });
      assert.equal(blocked.statusCode, 429);
      assert.ok(Number(blocked.headers['retry-after']) > 0);
      h.resources.clock.advance(16 * 60 * 1000);
      const later = await postForm(h.app, '/console/sign-in', { email: 'look@example.com', password: PASSWORD });
      assert.equal(later.statusCode, 303);
    });

    test('a viewer is refused on every state-changing route, and nothing changes', async () => {
      const adminRoutes = CONSOLE_ROUTES.filter((r) => r.access === 'admin');
      assert.ok(adminRoutes.length >= 5, `admin routes: ${adminRoutes.map((r) => r.url).join(', ')}`);
      for (const route of adminRoutes) {
        const path = concrete(route.url);
        const response =
          route.method === 'GET'
            ? await h.get(path, viewer)
            : await h.post(path, viewer, { action: 'stop', confirm: 'yes', flow: 'flow-a', name: 'x', input: '{}', template: 'x', email: 'a@b.cd', role: 'admin' });
        assert.equal(response.statusCode, 403, `${route.method} ${path}: ${response.statusCode}`);
        assert.match(noticesOf(response.body), /Your role is viewer/);
      }
      const loop = await h.resources.store.db.selectFrom('human_loops').select('status').where('name', '=', 'loop-1').executeTakeFirstOrThrow();
      assert.equal(loop.status, 'InProgress');
      // Pages a viewer may see do not offer the buttons.
      const detail = await h.get('/console/loops/loop-1', viewer);
      assert.equal(detail.statusCode, 200);
      assert.doesNotMatch(detail.body, />Stop<\/button>/);
    });

    test('state-changing routes need the CSRF token and a same-site origin', async () => {
      const noToken = await h.post('/console/loops/loop-1/stop', admin, {}, null);
      assert.equal(noToken.statusCode, 403);
      const forged = await h.post('/console/loops/loop-1/stop', admin, {}, `${admin.csrfToken.slice(0, -1)}${admin.csrfToken.endsWith('A') ? 'B' : 'A'}`);
      assert.equal(forged.statusCode, 403);
      const crossSite = await postForm(h.app, '/console/loops/loop-1/stop', { _csrf: admin.csrfToken }, { cookie: admin.cookie, 'sec-fetch-site': 'cross-site' });
      assert.equal(crossSite.statusCode, 403);
      const loop = await h.resources.store.db.selectFrom('human_loops').select('status').where('name', '=', 'loop-1').executeTakeFirstOrThrow();
      assert.equal(loop.status, 'InProgress');
    });

    test('worker sessions, API-key signatures and no session at all reach no console page', async () => {
      await h.addWorker('worker@example.com');
      const worker = await h.signIn('worker@example.com');
      const attempts: Array<Record<string, string>> = [{ cookie: worker.cookie }, { cookie: worker.cookie.replace('tandem_session', 'tandem_console') }, { authorization: 'AWS4-HMAC-SHA256 Credential=TNDMTESTROOTKEY00001/20261125/us-east-1/sagemaker/aws4_request, SignedHeaders=host, Signature=00' } , {}];
      for (const headers of attempts) {
        const page = await h.app.inject({ method: 'GET', url: '/console/loops', headers });
        assert.equal(page.statusCode, 303);
        assert.match(String(page.headers.location), /^\/console\?ended/);
        const stop = await postForm(h.app, '/console/loops/loop-1/stop', { _csrf: worker.csrfToken }, headers);
        assert.equal(stop.statusCode, 401);
      }
    });

    test("an account's admin sees nothing of another account", async () => {
      await h.createAccount('444455556666');
      await h.addAdmin('other@example.com', 'admin', '444455556666');
      const other = await h.consoleSignIn('other@example.com');
      const list = await h.get('/console/loops', other);
      assert.doesNotMatch(list.body, /loop-1|flow-a/);
      assert.equal((await h.get('/console/loops/loop-1', other)).statusCode, 404);
      assert.equal((await h.post('/console/loops/loop-1/stop', other)).statusCode, 404);
      assert.equal((await h.get('/console/loops?flow=flow-a', other)).body.includes('loop-1'), false);
      // An account admin cannot switch accounts.
      assert.equal((await h.post('/console/account', other, { accountId: h.resources.caller.accountId })).statusCode, 400);
      assert.doesNotMatch((await h.get('/console/loops', other)).body, /loop-1/);
    });

    test('a Tandem-wide operator switches accounts', async () => {
      await h.addAdmin('ops@example.com', 'admin', null);
      const ops = await h.consoleSignIn('ops@example.com');
      await h.createAccount('777788889999');
      const switched = await h.post('/console/account', ops, { accountId: '777788889999' });
      assert.equal(switched.statusCode, 303);
      const list = await h.get('/console/loops', ops);
      assert.match(list.body, /<option selected>777788889999<\/option>/);
      assert.doesNotMatch(list.body, /loop-1/);
      await h.post('/console/account', ops, { accountId: h.resources.caller.accountId });
      assert.match((await h.get('/console/loops', ops)).body, /loop-1/);
    });

    test('the audit log records who did what, when and from where', async () => {
      await h.startLoop('flow-a', 'loop-audit');
      const stop = await h.post('/console/loops/loop-audit/stop', admin);
      assert.equal(stop.statusCode, 303);
      const audit = await h.get('/console/audit', viewer);
      assert.equal(audit.statusCode, 200);
      assert.match(audit.body, /root@example\.com<\/td><td><code>human-loop\.stop<\/code><\/td><td>loop-audit<\/td><td><\/td><td>127\.0\.0\.1<\/td>/);
    });

    test('sign-out ends the session', async () => {
      const session = await h.consoleSignIn('look@example.com');
      const out = await h.post('/console/sign-out', session);
      assert.equal(out.statusCode, 303);
      assert.equal((await h.get('/console/loops', session)).statusCode, 303);
    });
  });
}
