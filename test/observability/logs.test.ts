/**
 * What an operator reads: `tandem serve` run as a user runs it, its standard output parsed line
 * by line. JSON format: every line is one JSON object (the banner is on standard error), one line
 * per request with the operation, account, status, duration and the request id the client got;
 * the reason for each refusal without secrets; lifecycle lines; signed links redacted; the
 * portal's polling below info. Pretty format: readable one-liners.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ListWorkteamsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerA2IRuntimeClient, StartHumanLoopCommand, StopHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { CreateFlowDefinitionCommand, CreateHumanTaskUiCommand, CreateWorkteamCommand } from '@aws-sdk/client-sagemaker';
import { loadConfig } from '../../src/config.js';
import { openResources } from '../../src/bootstrap.js';
import { addWorker } from '../../src/operations/workers.js';
import { createTestDatabase, DIALECTS, dialectSkip, type TestDatabase } from '../support/databases.js';
import { SIMPLE_TEMPLATE } from '../support/fixtures.js';
import { ACCOUNT_ID, CREDENTIALS, serve, waitFor, type Served } from './served.js';

const PASSWORD = 'correct horse battery staple';
type Line = Record<string, unknown>;

function jsonLines(text: string): Line[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Line;
      } catch {
        throw new Error(`standard output has a line that is not JSON: ${line}`);
      }
    });
}

function clients(url: string, credentials = CREDENTIALS, extra: { systemClockOffset?: number } = {}) {
  const common = { endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1, ...extra };
  return { sagemaker: new SageMakerClient(common), a2i: new SageMakerA2IRuntimeClient(common) };
}

for (const dialect of DIALECTS) {
  describe(`logs of tandem serve, JSON format (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let database: TestDatabase;
    let served: Served;
    before(async () => {
      database = await createTestDatabase(dialect);
      served = await serve(database, { TANDEM_LOG_FORMAT: 'json', TANDEM_LOG_LEVEL: 'info' });
    });
    after(async () => {
      await served?.stop();
      await database?.drop();
    });
    const lines = () => jsonLines(served.stdout());

    test('standard output is JSON lines only; the banner is on standard error', async () => {
      assert.match(served.stderr(), /Tandem is listening on http:\/\/127\.0\.0\.1:\d+/);
      assert.doesNotMatch(served.stdout(), /Tandem is listening|Press Ctrl-C/);
      lines();
    });

    test('one line per request with operation, account, status, duration and the x-amzn-RequestId the client got', async () => {
      const { sagemaker } = clients(served.url);
      const answer = await sagemaker.send(new ListWorkteamsCommand({}));
      const requestId = answer.$metadata.requestId!;
      assert.ok(requestId, 'the response carries x-amzn-RequestId');
      const line = await waitFor('the access line', () => lines().find((l) => l.requestId === requestId));
      assert.equal(lines().filter((l) => l.requestId === requestId).length, 1, 'exactly one line for the request');
      assert.equal(line.level, 'info');
      assert.equal(line.operation, 'SageMaker.ListWorkteams');
      assert.equal(line.account, ACCOUNT_ID);
      assert.equal(line.status, 200);
      assert.equal(typeof line.durationMs, 'number');
      assert.equal(line.msg, 'SageMaker.ListWorkteams 200');
      assert.match(String(line.time), /^\d{4}-\d\d-\d\dT/);
    });

    test('every refusal says why, and no secret or signature is logged', async () => {
      const wrongSecret = clients(served.url, { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret-key-at-all-000000' });
      const unknownKey = clients(served.url, { accessKeyId: 'TNDMNOSUCHKEY0000001', secretAccessKey: 'whatever-secret-value-000000000' });
      const skewed = clients(served.url, CREDENTIALS, { systemClockOffset: -3_600_000 });
      const refusals: Array<[string, () => Promise<unknown>, RegExp]> = [
        ['wrong secret', () => wrongSecret.sagemaker.send(new ListWorkteamsCommand({})), /^bad signature: wrong secret key/],
        ['unknown key', () => unknownKey.sagemaker.send(new ListWorkteamsCommand({})), /^unknown or revoked access key \(access key TNDMNOSUCHKEY0000001\)$/],
        ['clock skew', () => skewed.sagemaker.send(new ListWorkteamsCommand({})), /^clock skew: /],
      ];
      for (const [what, sent, reason] of refusals) {
        const error = (await sent().then(() => assert.fail(`${what} was accepted`), (e: unknown) => e)) as { $metadata: { requestId?: string; httpStatusCode?: number } };
        assert.equal(error.$metadata.httpStatusCode, 403, what);
        const line = await waitFor(`the ${what} line`, () => lines().find((l) => l.requestId === error.$metadata.requestId));
        assert.equal(line.level, 'warn', what);
        assert.equal(line.status, 403, what);
        assert.match(String(line.reason), reason, what);
      }
      const unsigned = await fetch(`${served.url}/human-loops?FlowDefinitionArn=x`);
      assert.equal(unsigned.status, 403);
      const line = await waitFor('the unsigned line', () => lines().find((l) => l.requestId === unsigned.headers.get('x-amzn-requestid')));
      assert.match(String(line.reason), /^unsigned request/);
      assert.equal(line.operation, 'ListHumanLoops');

      const link = await fetch(`${served.url}/templates/${ACCOUNT_ID}/ui?X-Tandem-Expires=9999999999&X-Tandem-Signature=SIGNATURE-VALUE-SECRET`);
      assert.equal(link.status, 403);
      const linkLine = await waitFor('the signed-link line', () => lines().find((l) => l.requestId === link.headers.get('x-amzn-requestid')));
      assert.equal(linkLine.reason, 'signed link invalid or expired');
      assert.equal(linkLine.operation, 'GET /templates/:account/:name');
      assert.match(String(linkLine.path), /X-Tandem-Signature=\[REDACTED\]/);

      const output = served.stdout();
      for (const secret of ['not-the-secret-key-at-all', 'whatever-secret-value', CREDENTIALS.secretAccessKey, 'SIGNATURE-VALUE-SECRET', 'Signature=']) {
        assert.ok(!output.replace(/X-Tandem-Signature=\[REDACTED\]/g, '').includes(secret), `the log holds ${secret}`);
      }
    });

    test('loop lifecycle lines; the portal waiting for a task logs below info', async () => {
      const { sagemaker, a2i } = clients(served.url);
      const { WorkteamArn } = await sagemaker.send(
        new CreateWorkteamCommand({
          WorkteamName: 'log-team',
          Description: 'reviewers',
          MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'us-east-1_t', UserGroup: 'log', ClientId: 'c' } }],
        }),
      );
      const { HumanTaskUiArn } = await sagemaker.send(new CreateHumanTaskUiCommand({ HumanTaskUiName: 'log-ui', UiTemplate: { Content: SIMPLE_TEMPLATE } }));
      const { FlowDefinitionArn } = await sagemaker.send(
        new CreateFlowDefinitionCommand({
          FlowDefinitionName: 'log-flow',
          RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/r`,
          OutputConfig: { S3OutputPath: 's3://log-bucket/out' },
          HumanLoopConfig: {
            WorkteamArn: WorkteamArn!,
            HumanTaskUiArn: HumanTaskUiArn!,
            TaskTitle: 'Classify',
            TaskDescription: 'Pick',
            TaskCount: 1,
            TaskTimeLimitInSeconds: 300,
            TaskAvailabilityLifetimeInSeconds: 3600,
          },
        }),
      );
      // The worker is added through the same store the server uses, as `tandem workers add` does.
      const config = { ...loadConfig({}, {}, database.dataDir), dataDir: database.dataDir, databaseUrl: database.databaseUrl, logLevel: 'silent' as const };
      const resources = await openResources(config);
      try {
        await addWorker(resources, { accountId: ACCOUNT_ID, email: 'lee@example.com', teams: ['log-team'], password: PASSWORD });
      } finally {
        await resources.store.close();
      }
      for (const name of ['log-loop-1', 'log-loop-2']) {
        await a2i.send(new StartHumanLoopCommand({ HumanLoopName: name, FlowDefinitionArn, HumanLoopInput: { InputContent: '{"text":"meow"}' } }));
      }

      const signIn = await fetch(`${served.url}/portal/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'lee@example.com', password: PASSWORD }).toString(),
        redirect: 'manual',
      });
      const cookie = /tandem_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')![0];
      const work = await (await fetch(`${served.url}/portal/work`, { headers: { cookie } })).text();
      const csrf = /<meta name="tandem-csrf-token" content="([^"]+)">/.exec(work)![1]!;
      const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json', origin: served.url };
      const next = await fetch(`${served.url}/portal/api/tasks/next`, { method: 'POST', headers, body: '{}' });
      const { task } = (await next.json()) as { task: { taskId: string } };
      const heartbeat = await fetch(`${served.url}/portal/api/tasks/${task.taskId}/heartbeat`, { method: 'POST', headers, body: '{}' });
      assert.equal(heartbeat.status, 200);
      const answered = await fetch(`${served.url}/portal/api/tasks/${task.taskId}/answer`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ answer: { category: { label: 'Cat' } }, submissionId: 'log-submission-1' }),
      });
      assert.equal(answered.status, 200);
      await a2i.send(new StopHumanLoopCommand({ HumanLoopName: 'log-loop-2' }));

      const completed = await waitFor('the completed line', () => lines().find((l) => l.msg === 'human loop completed'));
      assert.equal(completed.flowDefinition, 'log-flow');
      assert.equal(completed.account, ACCOUNT_ID);
      assert.match(String(completed.outputS3Uri), /^s3:\/\/log-bucket\/out\/log-flow\/\d{4}\/.*\/output\.json$/);
      const written = lines().find((l) => l.msg === 'output written');
      assert.ok(written && written.humanLoopName === completed.humanLoopName);
      const stopped = await waitFor('the stopped line', () => lines().find((l) => l.msg === 'human loop stopped'));
      assert.equal(stopped.humanLoopName, 'log-loop-2');

      const answerLine = lines().find((l) => l.requestId === answered.headers.get('x-amzn-requestid'));
      assert.equal(answerLine?.operation, 'POST /portal/api/tasks/:taskId/answer');
      for (const polled of [next, heartbeat]) {
        assert.equal(lines().filter((l) => l.requestId === polled.headers.get('x-amzn-requestid')).length, 0, 'polling is logged at debug only');
      }
    });
  });
}

describe('logs of tandem serve, pretty format', { skip: dialectSkip('sqlite') }, () => {
  test('one readable line per request, no JSON', async () => {
    const database = await createTestDatabase('sqlite');
    const served = await serve(database, { TANDEM_LOG_FORMAT: 'pretty', TANDEM_LOG_LEVEL: 'info' });
    try {
      const { sagemaker } = clients(served.url);
      const answer = await sagemaker.send(new ListWorkteamsCommand({}));
      const line = await waitFor('the pretty line', () => served.stdout().split('\n').find((l) => l.includes(answer.$metadata.requestId!)));
      assert.match(line, /^\d\d:\d\d:\d\d\.\d{3} INFO {2}SageMaker\.ListWorkteams 200 {2}.*requestId=\S+ .*operation=SageMaker\.ListWorkteams account=777788889999 status=200 durationMs=[\d.]+/);
      assert.doesNotMatch(served.stdout(), /^\{/m);
    } finally {
      await served.stop();
      await database.drop();
    }
  });
});
