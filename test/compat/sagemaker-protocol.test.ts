/**
 * The SageMaker awsJson1_1 protocol at the HTTP level, on both dialects: requests signed with
 * `@smithy/signature-v4` and sent with fetch, so each edge case (bad JSON, wrong JSON types,
 * unknown or missing X-Amz-Target, oversized bodies, endpoint path prefixes) is exactly what the
 * test wrote, not what an SDK would have sent.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  CreateWorkteamCommand,
  DescribeWorkteamCommand,
  ListWorkteamsCommand,
  ResourceNotFound,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { TEST_ROLE_ARN } from '../support/arns.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import {
  TEST_ACCESS_KEY_ID,
  TEST_ACCOUNT_ID,
  TEST_REGION,
  TEST_SECRET_ACCESS_KEY,
  useTestTandem,
  type TestTandem,
} from '../support/tandem.js';

const AMZ_JSON = 'application/x-amz-json-1.1';

interface RawRequest {
  /** Path after the server's URL (may carry a prefix). @defaultValue `/` */
  path?: string;
  method?: string;
  /** `SageMaker.<Operation>`; omitted when undefined. */
  target?: string | undefined;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Sign with these instead of the test key. */
  secretAccessKey?: string;
  service?: string;
}

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json(): Record<string, unknown>;
}

/** Signs a request as the AWS SDKs do (SigV4, service `sagemaker`) and sends it with fetch. */
async function send(tandem: TestTandem, request: RawRequest): Promise<RawResponse> {
  const url = new URL(`${tandem.url}${request.path ?? '/'}`);
  const method = request.method ?? 'POST';
  const body = request.body ?? (method === 'POST' ? '{}' : '');
  const headers: Record<string, string> = {
    host: url.host,
    ...(method === 'POST' ? { 'content-type': AMZ_JSON } : {}),
    ...(request.target === undefined ? {} : { 'x-amz-target': request.target }),
    ...request.headers,
  };
  if (Buffer.byteLength(body) > 1024 * 1024) {
    // SigV4 takes a declared payload hash as is; hashing megabytes in sha256-js would be slow.
    headers['x-amz-content-sha256'] = createHash('sha256').update(body).digest('hex');
  }
  const signer = new SignatureV4({
    service: request.service ?? 'sagemaker',
    region: TEST_REGION,
    credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: request.secretAccessKey ?? TEST_SECRET_ACCESS_KEY },
    sha256: Sha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers,
      body,
    }),
  );
  const payload = typeof body === 'string' ? body : new Uint8Array(body);
  const response = await fetch(url, { method, headers: signed.headers, body: method === 'GET' ? undefined : payload });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}

/** The media type of a Content-Type header, without parameters. */
const mediaType = (headers: Headers) => headers.get('content-type')?.split(';')[0]?.trim();

const requestIds = new Set<string>();

/** An AWS-shaped error: the status, `x-amzn-ErrorType`, a JSON body with `__type` and `Message`, and a fresh request id. */
function assertAwsError(response: RawResponse, status: number, type: string, message?: RegExp): void {
  assert.equal(response.status, status, `status of ${response.text}`);
  assert.equal(response.headers.get('x-amzn-errortype'), type);
  const requestId = response.headers.get('x-amzn-requestid');
  assert.ok(requestId, 'x-amzn-RequestId is set');
  assert.ok(!requestIds.has(requestId), 'request ids are unique');
  requestIds.add(requestId);
  assert.match(mediaType(response.headers) ?? '', /^application\/(x-amz-json-1\.1|json)$/);
  const body = response.json();
  assert.equal(body.__type, type);
  assert.equal(typeof body.Message, 'string');
  assert.ok((body.Message as string).length > 0);
  if (message) assert.match(body.Message as string, message);
}

function assertSuccess(response: RawResponse): Record<string, unknown> {
  assert.equal(response.status, 200, response.text);
  assert.equal(mediaType(response.headers), AMZ_JSON);
  assert.ok(response.headers.get('x-amzn-requestid'), 'x-amzn-RequestId is set');
  return response.json();
}

for (const dialect of DIALECTS) {
  describe(dialect, { skip: dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    useTestTandem(dialect, (started) => (tandem = started));

    describe('successful requests', () => {
      it('answer 200 with application/x-amz-json-1.1, x-amzn-RequestId and a JSON body', async () => {
        const body = assertSuccess(await send(tandem, { target: 'SageMaker.ListWorkteams', body: '{"MaxResults": 5}' }));
        assert.deepEqual(body, { Workteams: [] });
      });

      it('an empty body is an empty input, as the SDKs send for operations without input', async () => {
        assert.deepEqual(assertSuccess(await send(tandem, { target: 'SageMaker.ListHumanTaskUis', body: '' })), {
          HumanTaskUiSummaries: [],
        });
      });

      it('timestamps go out as epoch seconds (JSON numbers), and come in as botocore ints or JS floats', async () => {
        const created = assertSuccess(
          await send(tandem, {
            target: 'SageMaker.CreateHumanTaskUi',
            body: JSON.stringify({ HumanTaskUiName: 'wire-ui', UiTemplate: { Content: '<p>{{ task.input.x }}</p>' } }),
          }),
        );
        assert.match(String(created.HumanTaskUiArn), /:human-task-ui\/wire-ui$/);
        const described = assertSuccess(await send(tandem, { target: 'SageMaker.DescribeHumanTaskUi', body: '{"HumanTaskUiName":"wire-ui"}' }));
        assert.equal(typeof described.CreationTime, 'number');
        assert.ok(Math.abs((described.CreationTime as number) * 1000 - Date.now()) < 60_000);
        const before = Math.floor(described.CreationTime as number) - 1;
        for (const CreationTimeAfter of [before, before + 0.5]) {
          const listed = assertSuccess(
            await send(tandem, { target: 'SageMaker.ListHumanTaskUis', body: JSON.stringify({ CreationTimeAfter }) }),
          );
          assert.deepEqual(
            (listed.HumanTaskUiSummaries as { HumanTaskUiName: string }[]).map((s) => s.HumanTaskUiName),
            ['wire-ui'],
          );
        }
      });

      it('members the model does not declare are ignored, as AWS does', async () => {
        assertSuccess(await send(tandem, { target: 'SageMaker.ListWorkteams', body: '{"MaxResults": 5, "Bogus": {"x": [1]}}' }));
      });

      it('a body just under the 8 MiB limit is read, not refused for its size', async () => {
        const padding = 'x'.repeat(7 * 1024 * 1024);
        assertSuccess(await send(tandem, { target: 'SageMaker.ListWorkteams', body: JSON.stringify({ Padding: padding }) }));
      });
    });

    describe('malformed requests', () => {
      it('a body that is not JSON is 400 SerializationException', async () => {
        for (const body of ['{"MaxResults": 5', 'MaxResults=5', '{"a":1}{"b":2}']) {
          assertAwsError(await send(tandem, { target: 'SageMaker.ListWorkteams', body }), 400, 'SerializationException', /JSON/);
        }
      });

      it('a JSON body that is not an object is 400 SerializationException', async () => {
        for (const body of ['[]', '"text"', '42', 'null']) {
          assertAwsError(await send(tandem, { target: 'SageMaker.ListWorkteams', body }), 400, 'SerializationException');
        }
      });

      it('a member of the wrong JSON type is 400 SerializationException naming the member', async () => {
        const flow = {
          FlowDefinitionName: 'typed',
          RoleArn: TEST_ROLE_ARN,
          OutputConfig: { S3OutputPath: 's3://bucket/out' },
          HumanLoopConfig: {
            WorkteamArn: `arn:aws:sagemaker:us-east-1:${TEST_ACCOUNT_ID}:workteam/private-crowd/t`,
            HumanTaskUiArn: `arn:aws:sagemaker:us-east-1:${TEST_ACCOUNT_ID}:human-task-ui/u`,
            TaskTitle: 't',
            TaskDescription: 'd',
            TaskCount: '2',
          },
        };
        assertAwsError(
          await send(tandem, { target: 'SageMaker.CreateFlowDefinition', body: JSON.stringify(flow) }),
          400,
          'SerializationException',
          /^STRING_VALUE can not be converted to an Integer at 'humanLoopConfig\.taskCount'/,
        );
        const cases: [string, string, RegExp][] = [
          ['SageMaker.ListWorkteams', '{"MaxResults": "5"}', /Integer at 'maxResults'/],
          ['SageMaker.ListWorkteams', '{"MaxResults": 2.5}', /Integer at 'maxResults'/],
          ['SageMaker.ListWorkteams', '{"NameContains": 7}', /String at 'nameContains'/],
          ['SageMaker.ListFlowDefinitions', '{"CreationTimeAfter": "2020-01-01T00:00:00Z"}', /Timestamp at 'creationTimeAfter'/],
          ['SageMaker.DescribeWorkteam', '{"WorkteamName": {"x": 1}}', /Start of structure or map found where not expected at 'workteamName'/],
          ['SageMaker.CreateWorkteam', '{"WorkteamName": "t", "Description": "d", "MemberDefinitions": {"a": 1}}', /Start of structure or map .*'memberDefinitions'/],
          ['SageMaker.DescribeHumanTaskUi', '{"HumanTaskUiName": ["a"]}', /Start of list found where not expected at 'humanTaskUiName'/],
        ];
        for (const [target, body, message] of cases) assertAwsError(await send(tandem, { target, body }), 400, 'SerializationException', message);
      });

      it('an operation Tandem does not serve is 400 UnknownOperationException', async () => {
        for (const target of ['SageMaker.CreateTrainingJob', 'SageMaker.', 'SageMaker.constructor', 'SageMaker.__proto__']) {
          assertAwsError(await send(tandem, { target }), 400, 'UnknownOperationException', /SageMaker\./);
        }
      });

      it('POST / without X-Amz-Target is a 4xx AWS-shaped error', async () => {
        const response = await send(tandem, { target: undefined });
        assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}`);
        assertAwsError(response, response.status, 'UnknownOperationException', /X-Amz-Target/);
      });

      it('a target of another service is a 4xx AWS-shaped error', async () => {
        const response = await send(tandem, { target: 'AWSCognitoIdentityProviderService.ListUsers' });
        assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}`);
        assertAwsError(response, response.status, 'UnknownOperationException');
      });

      it('a body over 8 MiB is 413, AWS-shaped', async () => {
        const body = Buffer.alloc(8 * 1024 * 1024 + 1, ' ');
        body.write('{"MaxResults": 5', 0);
        body.write('}', body.length - 1);
        const response = await send(tandem, { target: 'SageMaker.ListWorkteams', body });
        assert.equal(response.status, 413);
        assert.ok(response.headers.get('x-amzn-errortype'), 'x-amzn-ErrorType is set');
        assertAwsError(response, 413, response.headers.get('x-amzn-errortype')!);
      });

      it('an unknown path is an AWS-shaped error', async () => {
        const response = await send(tandem, { method: 'GET', path: '/no/such/route' });
        assertAwsError(response, 404, 'UnknownOperationException');
      });
    });

    describe('authentication', () => {
      it('an unsigned request is 403 MissingAuthenticationTokenException', async () => {
        const response = await fetch(`${tandem.url}/`, {
          method: 'POST',
          headers: { 'content-type': AMZ_JSON, 'x-amz-target': 'SageMaker.ListWorkteams' },
          body: '{}',
        });
        const text = await response.text();
        assertAwsError({ status: response.status, headers: response.headers, text, json: () => JSON.parse(text) }, 403, 'MissingAuthenticationTokenException');
      });

      it('a wrong secret is 403 InvalidSignatureException; a wrong service too', async () => {
        assertAwsError(
          await send(tandem, { target: 'SageMaker.ListWorkteams', secretAccessKey: 'not-the-secret-0123456789' }),
          403,
          'InvalidSignatureException',
        );
        // (A request signed for `s3` is Tandem's S3 API, answered in S3's XML; see test/s3.)
        assertAwsError(await send(tandem, { target: 'SageMaker.ListWorkteams', service: 'sqs' }), 403, 'InvalidSignatureException', /sagemaker/);
      });

      it('a body changed after signing is 403, before anything is parsed', async () => {
        const url = new URL(`${tandem.url}/`);
        const signer = new SignatureV4({
          service: 'sagemaker',
          region: TEST_REGION,
          credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
          sha256: Sha256,
        });
        const signed = await signer.sign(
          new HttpRequest({
            method: 'POST',
            protocol: url.protocol,
            hostname: url.hostname,
            port: Number(url.port),
            path: '/',
            headers: { host: url.host, 'content-type': AMZ_JSON, 'x-amz-target': 'SageMaker.ListWorkteams' },
            body: '{"MaxResults": 5}',
          }),
        );
        const response = await fetch(url, { method: 'POST', headers: signed.headers, body: '{"MaxResults": 6' });
        const text = await response.text();
        assertAwsError({ status: response.status, headers: response.headers, text, json: () => JSON.parse(text) }, 403, 'InvalidSignatureException');
      });
    });

    describe('an endpoint with a path prefix', () => {
      it('works through the SDK (POST /pfx/)', async () => {
        const client = new SageMakerClient({
          endpoint: `${tandem.url}/pfx`,
          region: TEST_REGION,
          credentials: tandem.credentials,
          maxAttempts: 1,
        });
        try {
          const { WorkteamArn } = await client.send(
            new CreateWorkteamCommand({
              WorkteamName: 'prefixed-team',
              Description: 'via /pfx',
              MemberDefinitions: [{ OidcMemberDefinition: { Groups: ['g'] } }],
            }),
          );
          const { Workteam } = await client.send(new DescribeWorkteamCommand({ WorkteamName: 'prefixed-team' }));
          assert.equal(Workteam?.WorkteamArn, WorkteamArn);
          const { Workteams } = await client.send(new ListWorkteamsCommand({ NameContains: 'prefixed' }));
          assert.deepEqual(Workteams?.map((t) => t.WorkteamName), ['prefixed-team']);
          await assert.rejects(client.send(new DescribeWorkteamCommand({ WorkteamName: 'missing' })), (error: Error) => {
            assert.ok(error instanceof ResourceNotFound);
            return true;
          });
        } finally {
          client.destroy();
        }
      });

      it('works without the trailing slash too (botocore sends POST /pfx)', async () => {
        const body = assertSuccess(await send(tandem, { path: '/pfx', target: 'SageMaker.ListWorkteams', body: '{"NameContains":"prefixed"}' }));
        assert.equal((body.Workteams as unknown[]).length, 1);
        assertSuccess(await send(tandem, { path: '/a/b/c/', target: 'SageMaker.ListWorkteams' }));
      });

      it('errors under a prefix are awsJson1_1 errors', async () => {
        assertAwsError(
          await send(tandem, { path: '/pfx/', target: 'SageMaker.DescribeWorkteam', body: '{"WorkteamName":"missing"}' }),
          400,
          'ResourceNotFound',
          /missing/,
        );
        assertAwsError(await send(tandem, { path: '/pfx', target: 'SageMaker.ListWorkteams', body: '{' }), 400, 'SerializationException');
      });
    });
  });
}
