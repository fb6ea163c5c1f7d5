/**
 * In-process portal tests: the real server (`buildServer`) on a private database with a manual
 * clock, driven with `app.inject`, plus helpers to sign a worker in and start review loops.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildServer } from '../../src/api/server.js';
import { REVIEW_HOOKS } from '../../src/api/review-hooks.js';
import { buildArn } from '../../src/domain/arns.js';
import { createFlowDefinition } from '../../src/operations/flow-definitions.js';
import { createHumanTaskUi } from '../../src/operations/human-task-uis.js';
import { startHumanLoop } from '../../src/operations/human-loops.js';
import { addWorker } from '../../src/operations/workers.js';
import { createWorkteam } from '../../src/operations/workteams.js';
import type { TestDialect } from '../support/databases.js';
import { SIMPLE_TEMPLATE } from '../support/fixtures.js';
import { openTestResources, type TestResources } from '../support/resources.js';

export const PASSWORD = 'correct horse battery staple';

export interface PortalHarness {
  resources: TestResources;
  app: FastifyInstance;
  team: string;
  /** A worker in `team` with {@link PASSWORD}. */
  addWorker(email: string, teams?: string[]): Promise<string>;
  /** Signs in through the form; returns the cookie header value and the CSRF token of the task page. */
  signIn(email: string, password?: string): Promise<SignedIn>;
  createTeam(name: string): Promise<void>;
  /** A flow definition for `options.team` (default `team`) with `template`; returns its name. */
  createFlow(name: string, options?: { template?: string; taskCount?: number; team?: string; timeLimitSeconds?: number }): Promise<string>;
  startLoop(flowName: string, loopName: string, input?: unknown): Promise<void>;
  close(): Promise<void>;
}

export interface SignedIn {
  cookie: string;
  csrfToken: string;
}

export async function openPortalHarness(dialect: TestDialect): Promise<PortalHarness> {
  const resources = await openTestResources(dialect);
  const app = await buildServer(resources);
  const team = 'reviewers';
  const caller = resources.caller;
  const createTeam = async (name: string) => {
    await createWorkteam(resources, caller, {
      WorkteamName: name,
      Description: 'portal test reviewers',
      MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'us-east-1_t', UserGroup: name, ClientId: 'c' } }],
    });
  };
  await createTeam(team);
  const harness: PortalHarness = {
    resources,
    app,
    team,
    createTeam,
    async addWorker(email, teams = [team]) {
      const { worker } = await addWorker(resources, { accountId: caller.accountId, email, teams, password: PASSWORD });
      return worker.workerId;
    },
    async signIn(email, password = PASSWORD) {
      const response = await postForm(app, '/portal/sign-in', { email, password });
      assert.equal(response.statusCode, 303, response.body);
      const cookie = sessionCookie(response);
      const page = await app.inject({ method: 'GET', url: '/portal/work', headers: { cookie } });
      assert.equal(page.statusCode, 200);
      return { cookie, csrfToken: csrfTokenOf(page.body) };
    },
    async createFlow(name, options = {}) {
      await createHumanTaskUi(resources, caller, { HumanTaskUiName: `${name}-ui`, UiTemplate: { Content: options.template ?? SIMPLE_TEMPLATE } });
      await createFlowDefinition(resources, caller, {
        FlowDefinitionName: name,
        RoleArn: 'arn:aws:iam::111122223333:role/r',
        OutputConfig: { S3OutputPath: 's3://bucket/out' },
        HumanLoopConfig: {
          WorkteamArn: buildArn('workteam', caller, options.team ?? team),
          HumanTaskUiArn: buildArn('human-task-ui', caller, `${name}-ui`),
          TaskTitle: `Review ${name}`,
          TaskDescription: 'Pick the animal',
          TaskCount: options.taskCount ?? 1,
          TaskTimeLimitInSeconds: options.timeLimitSeconds ?? 300,
          TaskAvailabilityLifetimeInSeconds: 3600,
        },
      });
      return name;
    },
    async startLoop(flowName, loopName, input = { question: 'Which animal?', text: 'It barks.' }) {
      await startHumanLoop(
        resources,
        caller,
        {
          HumanLoopName: loopName,
          FlowDefinitionArn: buildArn('flow-definition', caller, flowName),
          HumanLoopInput: { InputContent: JSON.stringify(input) },
        },
        REVIEW_HOOKS.onStarted,
      );
    },
    async close() {
      await app.close();
      await resources.dispose();
    },
  };
  return harness;
}

export function postForm(app: FastifyInstance, url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(fields).toString(),
  });
}

/** A JSON POST to the portal API as a signed-in worker (CSRF header unless `csrfToken` is null). */
export function postApi(app: FastifyInstance, url: string, session: SignedIn, body: unknown = {}, csrfToken: string | null = session.csrfToken) {
  const headers: Record<string, string> = { cookie: session.cookie, 'content-type': 'application/json' };
  if (csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  return app.inject({ method: 'POST', url, headers, payload: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** `tandem_session=…` from a response's Set-Cookie. */
export function sessionCookie(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  const value = (Array.isArray(header) ? header : [header ?? '']).find((c) => c.startsWith('tandem_session='));
  assert.ok(value, 'the response sets tandem_session');
  return value.split(';')[0]!;
}

export function csrfTokenOf(html: string): string {
  const match = /<meta name="tandem-csrf-token" content="([^"]+)">/.exec(html);
  assert.ok(match, 'the task page carries the CSRF token');
  return match[1]!;
}

/** The visible text of the page's alert/status notices. */
export function noticesOf(html: string): string {
  return [...html.matchAll(/<p class="notice [a-z]+"(?: id="[^"]*")? role="(?:alert|status)">([^<]*)<\/p>/g)].map((m) => m[1]).join(' | ');
}
