/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider on loopback, its own login
 * and consent pages driven by HTTP form posts): a work team with `OidcMemberDefinition` Groups
 * admits exactly the people whose groups claim names one of them, and their answers carry A2I's
 * OIDC identity in output.json.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateFlowDefinitionCommand, CreateHumanTaskUiCommand, CreateWorkteamCommand } from '@aws-sdk/client-sagemaker';
import { DescribeHumanLoopCommand, StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { signInWithOidc, teamsForGroups } from '../../src/operations/sso-sign-in.js';
import { addWorker, deactivateWorker } from '../../src/operations/workers.js';
import { DIALECTS, dialectSkip, type TestDialect } from '../support/databases.js';
import { SIMPLE_TEMPLATE } from '../support/fixtures.js';
import { HttpBrowser, type Page } from '../support/http-browser.js';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.js';
import { startTestTandem, type TestTandem } from '../support/tandem.js';

const CLIENT_ID = 'tandem-portal';
const CALLBACK_PATH = '/portal/sso/callback';

/** Starts a provider, then Tandem pointing at it, then registers Tandem's callback at the provider. */
async function startPair(dialect: TestDialect, options: { secret?: string; registeredSecret?: string; groupsClaim?: string; claimsInIdToken?: boolean } = {}) {
  const idp = await startTestProvider({ claimsInIdToken: options.claimsInIdToken, openidClaims: [options.groupsClaim ?? 'sagemaker:groups'] });
  const tandem = await startTestTandem(dialect, {
    oidcIssuer: idp.issuer,
    oidcClientId: CLIENT_ID,
    oidcClientSecret: options.secret,
    ...(options.groupsClaim ? { oidcGroupsClaim: options.groupsClaim } : {}),
  });
  idp.register({
    client_id: CLIENT_ID,
    redirect_uris: [`${tandem.url}${CALLBACK_PATH}`],
    ...(options.secret
      ? { client_secret: options.registeredSecret ?? options.secret, token_endpoint_auth_method: 'client_secret_basic' }
      : { token_endpoint_auth_method: 'none' }),
  });
  return { idp, tandem };
}

/** A team admitting `groups` by OIDC, a task UI and a flow definition for it; returns the flow's ARN. */
async function createOidcFlow(tandem: TestTandem, prefix: string, groups: string[]): Promise<string> {
  const { WorkteamArn } = await tandem.sagemaker.send(
    new CreateWorkteamCommand({ WorkteamName: `${prefix}-team`, Description: 'SSO reviewers', MemberDefinitions: [{ OidcMemberDefinition: { Groups: groups } }] }),
  );
  const { HumanTaskUiArn } = await tandem.sagemaker.send(new CreateHumanTaskUiCommand({ HumanTaskUiName: `${prefix}-ui`, UiTemplate: { Content: SIMPLE_TEMPLATE } }));
  const { FlowDefinitionArn } = await tandem.sagemaker.send(
    new CreateFlowDefinitionCommand({
      FlowDefinitionName: `${prefix}-flow`,
      RoleArn: 'arn:aws:iam::111122223333:role/tandem-test',
      OutputConfig: { S3OutputPath: 's3://sso-bucket/out' },
      HumanLoopConfig: {
        WorkteamArn: WorkteamArn!,
        HumanTaskUiArn: HumanTaskUiArn!,
        TaskTitle: 'Classify (SSO)',
        TaskDescription: 'Pick the animal',
        TaskCount: 1,
        TaskTimeLimitInSeconds: 300,
        TaskAvailabilityLifetimeInSeconds: 3600,
      },
    }),
  );
  return FlowDefinitionArn!;
}

interface SignInOptions {
  /** Cancel at the provider's consent page instead of continuing. */
  decline?: boolean;
  /** Stop before the browser reaches Tandem's callback; the page is then the provider's redirect to it. */
  stopBeforeCallback?: boolean;
}

/** Starts single sign-on at Tandem, logs in at the provider as `login`, consents, and follows the redirects. */
async function signInAtProvider(browser: HttpBrowser, tandem: TestTandem, idp: TestProvider, login: string, options: SignInOptions = {}): Promise<Page> {
  const loginPage = await browser.navigate(`${tandem.url}/portal/sso/start`);
  assert.equal(loginPage.status, 200, loginPage.body);
  assert.ok(loginPage.url.startsWith(`${idp.issuer}/interaction/`), `the provider's login page, not ${loginPage.url}`);
  const authorize = new URL(loginPage.trail[1]!);
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(authorize.searchParams.get('redirect_uri'), `${tandem.url}${CALLBACK_PATH}`);
  for (const name of ['state', 'nonce', 'code_challenge']) assert.ok(authorize.searchParams.get(name), `${name} is sent`);

  const consentPage = await browser.submitForm(loginPage, { login, password: 'any password' });
  assert.equal(consentPage.status, 200, consentPage.body);
  assert.match(consentPage.body, /name="prompt" value="consent"/);
  const stopBefore = options.stopBeforeCallback ? (url: URL) => url.pathname === CALLBACK_PATH : undefined;
  if (options.decline) return browser.navigate(browser.link(consentPage, /\/abort$/), { stopBefore });
  return browser.submitForm(consentPage, {}, { stopBefore });
}

async function nextTask(tandem: TestTandem, browser: HttpBrowser, workPage: Page) {
  const csrf = /<meta name="tandem-csrf-token" content="([^"]+)">/.exec(workPage.body)?.[1];
  assert.ok(csrf, 'the task page carries a CSRF token');
  const session = browser.cookie(`${tandem.url}/portal/api/`, 'tandem_session');
  assert.ok(session, 'a portal session cookie');
  const post = (path: string, body: unknown) =>
    fetch(`${tandem.url}/portal/api${path}`, {
      method: 'POST',
      headers: { cookie: `tandem_session=${session}`, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const response = await post('/tasks/next', {});
  assert.equal(response.status, 200);
  const { task } = (await response.json()) as { task: { taskId: string; title: string } | null };
  return { task, post };
}

/** The visible notices of a portal page. */
function notices(page: Page): string {
  return [...page.body.matchAll(/<p class="notice [a-z]+" role="(?:alert|status)">([^<]*)<\/p>/g)].map((m) => m[1]).join(' | ');
}

function hasSession(browser: HttpBrowser, tandem: TestTandem): boolean {
  return browser.cookie(`${tandem.url}/portal/work`, 'tandem_session') !== undefined;
}

for (const dialect of DIALECTS) {
  describe(`single sign-on through a real OpenID Connect provider (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let idp: TestProvider;
    let tandem: TestTandem;

    before(async () => {
      ({ idp, tandem } = await startPair(dialect));
      idp.accounts.set('ana', { email: 'Ana@Example.com', name: 'Ana Reviewer', 'sagemaker:groups': ['unrelated', 'reviewers'] });
      idp.accounts.set('bob', { email: 'bob@example.com', 'sagemaker:groups': ['other'] });
      idp.accounts.set('carol', { email: 'carol@example.com', 'sagemaker:groups': 'reviewers' });
      idp.accounts.set('dave', { email: 'dave@example.com', 'sagemaker:groups': ['reviewers'] });
      idp.accounts.set('erin', { email: 'erin@example.com', 'sagemaker:groups': ['reviewers'] });
      const flow = await createOidcFlow(tandem, 'sso', ['reviewers', 'leads']);
      await tandem.a2i.send(new StartHumanLoopCommand({ HumanLoopName: 'sso-loop-1', FlowDefinitionArn: flow, HumanLoopInput: { InputContent: JSON.stringify({ question: 'Which?', text: 'It purrs.' }) } }));
    });
    after(async () => {
      await tandem?.stop();
      await idp?.close();
    });

    test('the sign-in page offers single sign-on', async () => {
      const page = await new HttpBrowser().navigate(`${tandem.url}/portal`);
      assert.match(page.body, /<a href="\/portal\/sso\/start">Sign in with single sign-on<\/a>/);
    });

    test('a member of a team’s group signs in, gets the task, and the answer carries the OIDC identity', async () => {
      const browser = new HttpBrowser();
      const work = await signInAtProvider(browser, tandem, idp, 'ana');
      assert.equal(work.status, 200, work.body);
      assert.equal(work.url, `${tandem.url}/portal/work`);
      assert.match(work.body, /ana@example\.com/, 'the email, lower-cased');
      assert.equal(browser.cookie(`${tandem.url}${CALLBACK_PATH}`, 'tandem_sso'), undefined, 'the flow cookie is cleared');
      const token = idp.requests.find((r) => r.path === '/token');
      assert.ok(token && !token.basicAuth, 'a public client: the code is exchanged with PKCE alone');
      assert.ok(idp.requests.some((r) => r.path === '/me'), 'email and groups came from UserInfo (the ID token of a code flow lacks them here)');

      const worker = await tandem.resources.store.db.selectFrom('workers').selectAll().where('oidc_subject', '=', 'ana').executeTakeFirstOrThrow();
      assert.deepEqual(
        { provider: worker.identity_provider, issuer: worker.oidc_issuer, email: worker.email, name: worker.display_name, password: worker.password_hash },
        { provider: 'Oidc', issuer: idp.issuer, email: 'ana@example.com', name: 'Ana Reviewer', password: null },
      );
      const teams = await tandem.resources.store.db.selectFrom('workteam_members').select('workteam_name').where('worker_id', '=', worker.id).execute();
      assert.deepEqual(teams.map((t) => t.workteam_name), ['sso-team']);

      const { task, post } = await nextTask(tandem, browser, work);
      assert.ok(task, 'the loop’s task is offered');
      assert.equal(task.title, 'Classify (SSO)');
      const answered = await post(`/tasks/${task.taskId}/answer`, { answer: { category: { label: 'Cat' }, note: 'via SSO' } });
      assert.equal(answered.status, 200, await answered.clone().text());

      const loop = await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: 'sso-loop-1' }));
      assert.equal(loop.HumanLoopStatus, 'Completed');
      const key = loop.HumanLoopOutput!.OutputS3Uri!.replace(/^s3:\/\//, '');
      const output = JSON.parse(await readFile(join(tandem.resources.config.outputDir, key), 'utf8')) as {
        humanAnswers: Array<{ workerId: string; workerMetadata: unknown; answerContent: unknown }>;
      };
      assert.equal(output.humanAnswers.length, 1);
      assert.equal(output.humanAnswers[0]!.workerId, worker.id);
      assert.deepEqual(output.humanAnswers[0]!.workerMetadata, { identityData: { identityProviderType: 'Oidc', issuer: idp.issuer, sub: 'ana' } });
    });

    test('someone whose groups match no team is refused with a clear message and gets no session', async () => {
      const browser = new HttpBrowser();
      const page = await signInAtProvider(browser, tandem, idp, 'bob');
      assert.equal(page.status, 403);
      assert.equal(page.url.split('?')[0], `${tandem.url}${CALLBACK_PATH}`);
      assert.match(notices(page), /Your groups \(other\) match no work team here\. Ask your administrator/);
      assert.match(page.body, /<a href="\/portal">Back to sign-in<\/a>/);
      assert.equal(hasSession(browser, tandem), false);
      const rows = await tandem.resources.store.db.selectFrom('workers').select('id').where('oidc_subject', '=', 'bob').execute();
      assert.equal(rows.length, 0, 'no worker is created for them');
    });

    test('a groups claim that is a single string counts as one group', async () => {
      const browser = new HttpBrowser();
      const work = await signInAtProvider(browser, tandem, idp, 'carol');
      assert.equal(work.status, 200, notices(work));
      assert.equal(hasSession(browser, tandem), true);
    });

    test('leaving the group at the provider removes the team at the next sign-in, which is refused', async () => {
      const first = await signInAtProvider(new HttpBrowser(), tandem, idp, 'dave');
      assert.equal(first.status, 200, notices(first));
      const worker = await tandem.resources.store.db.selectFrom('workers').select('id').where('oidc_subject', '=', 'dave').executeTakeFirstOrThrow();
      const membership = () => tandem.resources.store.db.selectFrom('workteam_members').select('workteam_name').where('worker_id', '=', worker.id).execute();
      assert.equal((await membership()).length, 1);

      idp.accounts.set('dave', { email: 'dave@example.com', 'sagemaker:groups': [] });
      const browser = new HttpBrowser();
      const second = await signInAtProvider(browser, tandem, idp, 'dave');
      assert.equal(second.status, 403);
      assert.match(notices(second), /lists no groups for you \(claim sagemaker:groups\), so no work team here admits you/);
      assert.equal(hasSession(browser, tandem), false);
      assert.deepEqual(await membership(), [], 'their memberships are gone, so older sessions see no tasks');
    });

    test('a tampered state is refused and signs no one in', async () => {
      const browser = new HttpBrowser();
      const redirect = await signInAtProvider(browser, tandem, idp, 'ana', { stopBeforeCallback: true });
      const callback = new URL(redirect.trail.at(-1)!);
      assert.ok(callback.searchParams.get('code'), 'the provider issued a code');
      callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
      const page = await browser.navigate(callback.href);
      assert.equal(page.status, 400);
      assert.match(notices(page), /does not belong to the sign-in you started/);
      assert.equal(hasSession(browser, tandem), false);
    });

    test('a callback in a browser that did not start the sign-in is refused', async () => {
      const redirect = await signInAtProvider(new HttpBrowser(), tandem, idp, 'ana', { stopBeforeCallback: true });
      const other = new HttpBrowser();
      const page = await other.navigate(redirect.trail.at(-1)!);
      assert.equal(page.status, 400);
      assert.match(notices(page), /started in another browser/);
      assert.equal(hasSession(other, tandem), false);
    });

    test('declining consent at the provider shows a clear page with a way back', async () => {
      const browser = new HttpBrowser();
      const page = await signInAtProvider(browser, tandem, idp, 'ana', { decline: true });
      assert.equal(page.status, 403);
      assert.match(notices(page), /Sign-in was cancelled at the provider, or access was not granted/);
      assert.match(page.body, /<a href="\/portal">Back to sign-in<\/a>/);
      assert.equal(hasSession(browser, tandem), false);
    });

    test('concurrent sign-ins of one person (first ones, then again) make one worker with one membership', async () => {
      const identity = { issuer: idp.issuer, subject: 'ivy', email: 'ivy@example.com', name: undefined, groups: ['leads'] };
      for (const round of ['first sign-ins', 'existing worker']) {
        const outcomes = await Promise.all(Array.from({ length: 8 }, () => signInWithOidc(tandem.resources, identity)));
        assert.ok(outcomes.every((o) => o.ok), `${round}: ${JSON.stringify(outcomes.filter((o) => !o.ok))}`);
      }
      const rows = await tandem.resources.store.db.selectFrom('workers').select('id').where('oidc_subject', '=', 'ivy').execute();
      assert.equal(rows.length, 1);
      const teams = await tandem.resources.store.db.selectFrom('workteam_members').select('workteam_name').where('worker_id', '=', rows[0]!.id).execute();
      assert.deepEqual(teams.map((t) => t.workteam_name), ['sso-team']);
    });

    test('no email, or the email of another worker (never linked by email): refused, nothing created', async () => {
      await addWorker(tandem.resources, { accountId: tandem.accountId, email: 'pat@example.com', teams: ['sso-team'], password: 'a long enough password' });
      const base = { issuer: idp.issuer, name: undefined, groups: ['reviewers'] };
      const taken = await signInWithOidc(tandem.resources, { ...base, subject: 'pat', email: 'PAT@example.com' });
      assert.equal(taken.ok, false);
      assert.match(!taken.ok ? taken.message : '', /The email pat@example\.com already belongs to another worker here, who signs in with a password/);
      const noEmail = await signInWithOidc(tandem.resources, { ...base, subject: 'quinn', email: undefined });
      assert.equal(!noEmail.ok && noEmail.reason, 'no-email');
      const rows = await tandem.resources.store.db.selectFrom('workers').select('id').where('oidc_subject', 'in', ['pat', 'quinn']).execute();
      assert.equal(rows.length, 0);
    });

    test('a deactivated single-sign-on worker is refused', async () => {
      const first = await signInAtProvider(new HttpBrowser(), tandem, idp, 'erin');
      assert.equal(first.status, 200, notices(first));
      const worker = await tandem.resources.store.db.selectFrom('workers').select('id').where('oidc_subject', '=', 'erin').executeTakeFirstOrThrow();
      await deactivateWorker(tandem.resources, tandem.accountId, worker.id);
      const browser = new HttpBrowser();
      const page = await signInAtProvider(browser, tandem, idp, 'erin');
      assert.equal(page.status, 403);
      assert.match(notices(page), /deactivated/);
      assert.equal(hasSession(browser, tandem), false);
    });
  });
}

test('a confidential client (client_secret_basic), a configured groups claim, claims in the ID token (sqlite)', async () => {
  const { idp, tandem } = await startPair('sqlite', { secret: 'a-client-secret-of-some-length', groupsClaim: 'groups', claimsInIdToken: true });
  try {
    idp.accounts.set('fay', { email: 'fay@example.com', groups: ['auditors'], 'sagemaker:groups': ['ignored'] });
    idp.accounts.set('gus', { email: 'gus@example.com', 'sagemaker:groups': ['auditors'] });
    await createOidcFlow(tandem, 'audit', ['auditors']);
    const browser = new HttpBrowser();
    const work = await signInAtProvider(browser, tandem, idp, 'fay');
    assert.equal(work.status, 200, notices(work));
    assert.equal(hasSession(browser, tandem), true);
    assert.ok(idp.requests.some((r) => r.path === '/token' && r.basicAuth), 'the code is exchanged with HTTP Basic client credentials');
    assert.ok(!idp.requests.some((r) => r.path === '/me'), 'the ID token had every claim; UserInfo was not needed');
    // The configured claim is the only one read: sagemaker:groups alone admits no one here.
    const refused = await signInAtProvider(new HttpBrowser(), tandem, idp, 'gus');
    assert.equal(refused.status, 403);
  } finally {
    await tandem.stop();
    await idp.close();
  }
});

test('a client secret the provider does not accept: a clear 502 page, no session (sqlite)', async () => {
  const { idp, tandem } = await startPair('sqlite', { secret: 'the-secret-tandem-was-given', registeredSecret: 'the-secret-the-provider-knows' });
  try {
    idp.accounts.set('hal', { email: 'hal@example.com', 'sagemaker:groups': ['auditors'] });
    await createOidcFlow(tandem, 'audit', ['auditors']);
    const browser = new HttpBrowser();
    const page = await signInAtProvider(browser, tandem, idp, 'hal');
    assert.equal(page.status, 502, notices(page));
    assert.match(notices(page), /Single sign-on is misconfigured: the provider does not accept Tandem’s client \(invalid_client\)/);
    assert.equal(hasSession(browser, tandem), false);
  } finally {
    await tandem.stop();
    await idp.close();
  }
});

test('a provider that cannot be reached: a clear 502 page at the start, nothing set (sqlite)', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const tandem = await startTestTandem('sqlite', { oidcIssuer: issuer, oidcClientId: CLIENT_ID });
  try {
    const browser = new HttpBrowser();
    const page = await browser.navigate(`${tandem.url}/portal/sso/start`);
    assert.equal(page.status, 502, page.body);
    assert.match(notices(page), /The sign-in provider \(http:\/\/127\.0\.0\.1:\d+\) could not be reached or answered unexpectedly\. Try again in a moment/);
    assert.equal(browser.cookie(`${tandem.url}${CALLBACK_PATH}`, 'tandem_sso'), undefined);
  } finally {
    await tandem.stop();
  }
});

test('single sign-on off: no link on the sign-in page, and its routes say so (sqlite)', async () => {
  const tandem = await startTestTandem('sqlite');
  try {
    const browser = new HttpBrowser();
    assert.doesNotMatch((await browser.navigate(`${tandem.url}/portal`)).body, /single sign-on/);
    const page = await browser.navigate(`${tandem.url}/portal/sso/start`);
    assert.equal(page.status, 404);
    assert.match(notices(page), /Single sign-on is not configured/);
  } finally {
    await tandem.stop();
  }
});

test('teamsForGroups: exact group names of OIDC member definitions; Cognito teams and unreadable definitions admit no one', () => {
  const teams = [
    { name: 'b-team', member_definitions: JSON.stringify([{ OidcMemberDefinition: { Groups: ['reviewers', 'leads'] } }]) },
    { name: 'a-team', member_definitions: JSON.stringify([{ OidcMemberDefinition: { Groups: ['leads'] } }]) },
    { name: 'cognito', member_definitions: JSON.stringify([{ CognitoMemberDefinition: { UserPool: 'p', UserGroup: 'reviewers', ClientId: 'c' } }]) },
    { name: 'no-groups', member_definitions: JSON.stringify([{ OidcMemberDefinition: {} }]) },
    { name: 'broken', member_definitions: '{not json' },
  ];
  assert.deepEqual(teamsForGroups(teams, ['leads']), ['a-team', 'b-team']);
  assert.deepEqual(teamsForGroups(teams, ['reviewers']), ['b-team']);
  assert.deepEqual(teamsForGroups(teams, ['Reviewers', 'reviewer']), []);
  assert.deepEqual(teamsForGroups(teams, []), []);
});
