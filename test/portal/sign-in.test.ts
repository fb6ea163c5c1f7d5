import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addWorker, deactivateWorker, activateWorker, INVITE_TTL_MS } from '../../src/operations/workers.js';
import { SESSION_TTL_MS } from '../../src/operations/worker-sessions.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { csrfTokenOf, noticesOf, openPortalHarness, PASSWORD, postApi, postForm, sessionCookie, type PortalHarness } from './portal-harness.js';

for (const dialect of DIALECTS) {
  describe(`portal sign-in (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let h: PortalHarness;
    before(async () => {
      h = await openPortalHarness(dialect);
    });
    after(() => h?.close());

    test('the sign-in page has labelled Email and Password fields, a Sign in button and security headers', async () => {
      const page = await h.app.inject({ method: 'GET', url: '/portal' });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<label for="email">Email<\/label>\s*<input id="email" name="email" type="email"/);
      assert.match(page.body, /<label for="password">Password<\/label>\s*<input id="password" name="password" type="password"/);
      assert.match(page.body, /<button type="submit">Sign in<\/button>/);
      assert.match(String(page.headers['content-security-policy']), /script-src 'self'(;|$)/);
      assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.equal(page.headers['x-frame-options'], 'DENY');
      assert.equal(page.headers['referrer-policy'], 'no-referrer');
    });

    test('right password: a HttpOnly, SameSite=Lax session cookie for /portal, 12 h, and the task page', async () => {
      await h.addWorker('ana@example.com');
      const response = await postForm(h.app, '/portal/sign-in', { email: 'Ana@Example.com ', password: PASSWORD });
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, '/portal/work');
      const setCookie = String(response.headers['set-cookie']);
      assert.match(setCookie, /^tandem_session=[A-Za-z0-9_-]{43}; Path=\/portal; HttpOnly; SameSite=Lax; Max-Age=43200$/);
      const work = await h.app.inject({ method: 'GET', url: '/portal/work', headers: { cookie: sessionCookie(response) } });
      assert.equal(work.statusCode, 200);
      assert.match(work.body, /ana@example\.com/);
      assert.match(work.body, /<button type="button" id="submit-task">Submit<\/button>/);
      assert.match(work.body, /<button type="button" id="skip-task" class="secondary">Skip<\/button>/);
      assert.match(work.body, /<kbd>Enter<\/kbd> submits, <kbd>S<\/kbd> or <kbd>Esc<\/kbd> skips/);
      assert.ok(csrfTokenOf(work.body).length >= 43);
      // The store keeps a hash of the cookie value, never the value itself.
      const token = sessionCookie(response).split('=')[1]!;
      const rows = await h.resources.store.db.selectFrom('sessions').select('id_hash').execute();
      assert.ok(rows.every((r) => r.id_hash !== token));
    });

    test('the cookie is Secure when the public URL is https', async () => {
      await h.addWorker('sec@example.com');
      const original = h.resources.config;
      h.resources.config = { ...original, publicUrl: 'https://tandem.example.com' };
      try {
        const response = await postForm(h.app, '/portal/sign-in', { email: 'sec@example.com', password: PASSWORD });
        assert.equal(response.statusCode, 303);
        assert.match(String(response.headers['set-cookie']), /; HttpOnly; SameSite=Lax; Max-Age=43200; Secure$/);
      } finally {
        h.resources.config = original;
      }
    });

    test('a wrong password or unknown email: 401 with a message, no cookie', async () => {
      await h.addWorker('bo@example.com');
      for (const fields of [
        { email: 'bo@example.com', password: 'wrong password!' },
        { email: 'nobody@example.com', password: PASSWORD },
      ]) {
        const response = await postForm(h.app, '/portal/sign-in', fields);
        assert.equal(response.statusCode, 401);
        assert.equal(response.headers['set-cookie'], undefined);
        assert.match(noticesOf(response.body), /The email or password is incorrect\./);
      }
    });

    test('the task page without a session redirects to sign-in', async () => {
      const response = await h.app.inject({ method: 'GET', url: '/portal/work' });
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, '/portal?ended');
    });

    test('sign-in is rate-limited per address and email: the 11th attempt in 15 min gets 429, even with the right password', async () => {
      await h.addWorker('cy@example.com');
      const from = { 'x-forwarded-for': 'ignored' };
      for (let i = 0; i < 10; i++) {
        const response = await postForm(h.app, '/portal/sign-in', { email: 'cy@example.com', password: `wrong-${i}-password` }, from);
        assert.equal(response.statusCode, 401);
      }
      const blocked = await postForm(h.app, '/portal/sign-in', { email: 'cy@example.com', password: PASSWORD }, from);
      assert.equal(blocked.statusCode, 429);
      assert.match(noticesOf(blocked.body), /Too many sign-in attempts\. Try again in \d+ minutes?\./);
      assert.ok(Number(blocked.headers['retry-after']) > 0);
      // Another email from the same address is not blocked by this one's failures.
      await h.addWorker('cy2@example.com');
      assert.equal((await postForm(h.app, '/portal/sign-in', { email: 'cy2@example.com', password: PASSWORD })).statusCode, 303);
      h.resources.clock.advance(15 * 60 * 1000 + 1);
      assert.equal((await postForm(h.app, '/portal/sign-in', { email: 'cy@example.com', password: PASSWORD })).statusCode, 303);
    });

    test('CSRF: a state-changing request without the token or with a forged one gets 403 and changes nothing', async () => {
      await h.addWorker('di@example.com');
      const session = await h.signIn('di@example.com');
      // The last character changed to another one (a fixed 'A' equals the real token 1 time in 64).
      const tampered = session.csrfToken.slice(0, -1) + (session.csrfToken.endsWith('A') ? 'B' : 'A');
      for (const token of [null, 'forged-token', tampered]) {
        const response = await postApi(h.app, '/portal/api/tasks/next', session, {}, token);
        assert.equal(response.statusCode, 403);
        assert.match(response.json().message, /security token is missing or wrong/);
      }
      const signOut = await postForm(h.app, '/portal/sign-out', { _csrf: 'forged' }, { cookie: session.cookie });
      assert.equal(signOut.statusCode, 403);
      assert.match(signOut.body, /security token is missing or wrong/);
      // Still signed in: the forged sign-out did nothing.
      assert.equal((await h.app.inject({ method: 'GET', url: '/portal/work', headers: { cookie: session.cookie } })).statusCode, 200);
    });

    test('a cross-site form post is refused by its Sec-Fetch-Site or Origin', async () => {
      const foreign: Record<string, string>[] = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site', origin: 'null' }];
      for (const headers of foreign) {
        const response = await postForm(h.app, '/portal/sign-in', { email: 'di@example.com', password: PASSWORD }, headers);
        assert.equal(response.statusCode, 403);
        assert.match(response.body, /came from another site/);
        assert.equal(response.headers['set-cookie'], undefined);
      }
      const sameOrigin = { 'sec-fetch-site': 'same-origin', origin: 'null' };
      assert.equal((await postForm(h.app, '/portal/sign-in', { email: 'di@example.com', password: PASSWORD }, sameOrigin)).statusCode, 303);
    });

    test('sign-out with the token ends the session', async () => {
      await h.addWorker('ed@example.com');
      const session = await h.signIn('ed@example.com');
      const response = await postForm(h.app, '/portal/sign-out', { _csrf: session.csrfToken }, { cookie: session.cookie });
      assert.equal(response.statusCode, 303);
      assert.match(String(response.headers['set-cookie']), /Max-Age=0/);
      assert.equal((await h.app.inject({ method: 'GET', url: '/portal/work', headers: { cookie: session.cookie } })).statusCode, 303);
      const api = await postApi(h.app, '/portal/api/tasks/next', session);
      assert.equal(api.statusCode, 401);
      assert.equal(api.json().message, 'Your session has ended. Sign in again.');
    });

    test('a session ends after 12 hours', async () => {
      await h.addWorker('fa@example.com');
      const session = await h.signIn('fa@example.com');
      h.resources.clock.advance(SESSION_TTL_MS - 1000);
      assert.equal((await postApi(h.app, '/portal/api/tasks/next', session)).statusCode, 200);
      h.resources.clock.advance(1000);
      const expired = await postApi(h.app, '/portal/api/tasks/next', session);
      assert.equal(expired.statusCode, 401);
      const page = await h.app.inject({ method: 'GET', url: '/portal', headers: { cookie: session.cookie } });
      assert.match(noticesOf(page.body), /Your session has ended\. Sign in again\./);
    });

    test('invite: the link shows Password and Confirm password, sets the password once and signs the worker in', async () => {
      const { inviteUrl, worker } = await addWorker(h.resources, { accountId: h.resources.caller.accountId, email: 'gu@example.com', teams: [h.team] });
      assert.ok(inviteUrl);
      assert.equal(worker.passwordSet, false);
      const path = new URL(inviteUrl).pathname;
      assert.match(path, /^\/portal\/invite\/[A-Za-z0-9_-]{43}$/);
      const page = await h.app.inject({ method: 'GET', url: path });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<label for="password">Password<\/label>/);
      assert.match(page.body, /<label for="confirm">Confirm password<\/label>/);

      const mismatch = await postForm(h.app, path, { password: 'long enough 1', confirm: 'long enough 2' });
      assert.equal(mismatch.statusCode, 400);
      assert.match(noticesOf(mismatch.body), /The two passwords differ/);
      const short = await postForm(h.app, path, { password: 'short', confirm: 'short' });
      assert.equal(short.statusCode, 400);
      assert.match(noticesOf(short.body), /at least 10 characters/);

      const accepted = await postForm(h.app, path, { password: 'a brand new password', confirm: 'a brand new password' });
      assert.equal(accepted.statusCode, 303);
      assert.equal(accepted.headers.location, '/portal/work');
      const work = await h.app.inject({ method: 'GET', url: '/portal/work', headers: { cookie: sessionCookie(accepted) } });
      assert.equal(work.statusCode, 200);

      const again = await h.app.inject({ method: 'GET', url: path });
      assert.equal(again.statusCode, 404);
      assert.match(noticesOf(again.body), /invalid, was already used, or has expired/);
      assert.equal((await postForm(h.app, '/portal/sign-in', { email: 'gu@example.com', password: 'a brand new password' })).statusCode, 303);
    });

    test('an invite expires after 7 days', async () => {
      const { inviteUrl } = await addWorker(h.resources, { accountId: h.resources.caller.accountId, email: 'ha@example.com', teams: [h.team] });
      h.resources.clock.advance(INVITE_TTL_MS);
      const page = await h.app.inject({ method: 'GET', url: new URL(inviteUrl!).pathname });
      assert.equal(page.statusCode, 404);
    });

    test('a deactivated worker cannot sign in and loses their sessions; reactivated, they can', async () => {
      const workerId = await h.addWorker('io@example.com');
      const session = await h.signIn('io@example.com');
      await deactivateWorker(h.resources, h.resources.caller.accountId, workerId);
      assert.equal((await postApi(h.app, '/portal/api/tasks/next', session)).statusCode, 401);
      const refused = await postForm(h.app, '/portal/sign-in', { email: 'io@example.com', password: PASSWORD });
      assert.equal(refused.statusCode, 403);
      assert.match(noticesOf(refused.body), /deactivated/);
      assert.equal(refused.headers['set-cookie'], undefined);
      await activateWorker(h.resources, h.resources.caller.accountId, workerId);
      assert.equal((await postForm(h.app, '/portal/sign-in', { email: 'io@example.com', password: PASSWORD })).statusCode, 303);
    });

    test('unknown portal paths get a portal page, not an AWS error', async () => {
      const response = await h.app.inject({ method: 'GET', url: '/portal/nothing-here' });
      assert.equal(response.statusCode, 404);
      assert.match(response.headers['content-type'] as string, /text\/html/);
      assert.match(response.body, /There is no such page\./);
    });
  });
}
