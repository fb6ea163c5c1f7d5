/**
 * Console single sign-on against a real OpenID Connect provider (oidc-provider on loopback, its
 * login and consent pages driven by HTTP form posts): the admin group gives role admin, the
 * viewer group role viewer, anyone else is refused; a password admin's email is not taken over;
 * a callback that does not belong to the started sign-in signs no one in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addAdmin } from '../../src/operations/admins.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { HttpBrowser, type Page } from '../support/http-browser.js';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.js';
import { startTestTandem, type TestTandem } from '../support/tandem.js';

const CLIENT_ID = 'tandem-console';

for (const dialect of DIALECTS) {
  describe(`console single sign-on (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let idp: TestProvider;
    let tandem: TestTandem;

    before(async () => {
      idp = await startTestProvider();
      tandem = await startTestTandem(dialect, { oidcIssuer: idp.issuer, oidcClientId: CLIENT_ID, oidcAdminGroup: 'tandem-admins', oidcViewerGroup: 'tandem-viewers' });
      idp.register({ client_id: CLIENT_ID, token_endpoint_auth_method: 'none', redirect_uris: [`${tandem.url}/portal/sso/callback`, `${tandem.url}/console/sso/callback`] });
      idp.accounts.set('olga', { email: 'Olga@Example.com', 'sagemaker:groups': ['staff', 'tandem-admins'] });
      idp.accounts.set('vic', { email: 'vic@example.com', 'sagemaker:groups': 'tandem-viewers' });
      idp.accounts.set('rae', { email: 'rae@example.com', 'sagemaker:groups': ['reviewers'] });
      idp.accounts.set('pat', { email: 'pat@example.com', 'sagemaker:groups': ['tandem-admins'] });
    });
    after(async () => {
      await tandem?.close();
      await idp?.close();
    });

    /** Starts sign-in at the console, logs in at the provider as `login`, consents, follows the redirects back. */
    async function signIn(browser: HttpBrowser, login: string): Promise<Page> {
      const loginPage = await browser.navigate(`${tandem.url}/console/sso/start`);
      assert.ok(loginPage.url.startsWith(`${idp.issuer}/interaction/`), `the provider's login page, not ${loginPage.url}`);
      const authorize = new URL(loginPage.trail[1]!);
      assert.equal(authorize.searchParams.get('redirect_uri'), `${tandem.url}/console/sso/callback`);
      const consent = await browser.submitForm(loginPage, { login, password: 'any password' });
      return browser.submitForm(consent, {});
    }

    const consoleCookie = (browser: HttpBrowser) => browser.cookie(`${tandem.url}/console/loops`, 'tandem_console');

    test('the sign-in page offers single sign-on; the admin group signs in as admin, recorded in the audit log', async () => {
      const signInPage = await fetch(`${tandem.url}/console`);
      assert.match(await signInPage.text(), /<a [^>]*href="\/console\/sso\/start"[^>]*>Sign in with single sign-on<\/a>/);
      const browser = new HttpBrowser();
      const landed = await signIn(browser, 'olga');
      assert.equal(landed.status, 200, landed.body);
      assert.match(landed.body, /Signed in as olga@example\.com \(admin\)/);
      const cookie = consoleCookie(browser);
      assert.ok(cookie, 'a console session');
      const loops = await fetch(`${tandem.url}/console/loops`, { headers: { cookie: `tandem_console=${cookie}` } });
      assert.equal(loops.status, 200);
      const audit = await (await fetch(`${tandem.url}/console/audit`, { headers: { cookie: `tandem_console=${cookie}` } })).text();
      assert.match(audit, /console\.sign-in[\s\S]*olga@example\.com[\s\S]*single sign-on/);
      const row = await tandem.resources.store.db.selectFrom('admins').selectAll().where('email', '=', 'olga@example.com').executeTakeFirstOrThrow();
      assert.equal(row.role, 'admin');
      assert.equal(row.password_hash, null);
    });

    test('the viewer group signs in as viewer and cannot change anything; the role follows the groups at each sign-in', async () => {
      const browser = new HttpBrowser();
      assert.match((await signIn(browser, 'vic')).body, /\(viewer\)/);
      const cookie = consoleCookie(browser)!;
      const page = await (await fetch(`${tandem.url}/console/keys`, { headers: { cookie: `tandem_console=${cookie}` } })).text();
      const csrf = /<meta name="tandem-csrf-token" content="([^"]+)">/.exec(page)?.[1] ?? '';
      const create = await fetch(`${tandem.url}/console/keys`, {
        method: 'POST',
        headers: { cookie: `tandem_console=${cookie}`, 'content-type': 'application/x-www-form-urlencoded', origin: tandem.url },
        body: `_csrf=${encodeURIComponent(csrf)}&description=nope`,
        redirect: 'manual',
      });
      assert.equal(create.status, 403);
      // Promoted at the provider: the next sign-in is an admin.
      idp.accounts.set('vic', { email: 'vic@example.com', 'sagemaker:groups': ['tandem-viewers', 'tandem-admins'] });
      assert.match((await signIn(new HttpBrowser(), 'vic')).body, /\(admin\)/);
    });

    test('someone in neither group is refused, and so is an email that belongs to a password admin', async () => {
      const outsider = await signIn(new HttpBrowser(), 'rae');
      assert.equal(outsider.status, 403);
      assert.match(outsider.body, /not in a group that may use the Tandem console/);
      assert.equal(await tandem.resources.store.db.selectFrom('admins').select('id').where('email', '=', 'rae@example.com').executeTakeFirst(), undefined);

      await addAdmin(tandem.resources, { email: 'pat@example.com', role: 'viewer', accountId: tandem.accountId, password: 'a long enough password' });
      const browser = new HttpBrowser();
      const takeover = await signIn(browser, 'pat');
      assert.equal(takeover.status, 409);
      assert.match(takeover.body, /signs in with a password/);
      assert.equal(consoleCookie(browser), undefined);
    });

    test('a callback that does not belong to the started sign-in signs no one in', async () => {
      const forged = await fetch(`${tandem.url}/console/sso/callback?code=stolen&state=guessed`);
      assert.equal(forged.status, 400);
      assert.match(await forged.text(), /took too long or was started in another browser/);
      assert.equal(forged.headers.getSetCookie().some((c) => c.startsWith('tandem_console=') && !c.startsWith('tandem_console=;')), false);
    });
  });
}
