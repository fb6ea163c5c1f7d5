/**
 * SigV4 authentication through a listening Tandem: raw requests signed with @smithy/signature-v4
 * (so each part of a signature can be broken on purpose) and the real SDK clients with wrong
 * credentials. Every rejection is a 403 with AWS's error type, never a 5xx, and a rejected
 * write changes nothing in the store.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { CreateWorkteamCommand, ListWorkteamsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  DescribeHumanLoopCommand,
  ListHumanLoopsCommand,
  SageMakerA2IRuntimeClient,
  StartHumanLoopCommand,
} from '@aws-sdk/client-sagemaker-a2i-runtime';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Clock } from '../../src/resources.js';
import { revokeAccessKey } from '../../src/store/access-keys.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { createReviewSetup } from '../support/fixtures.js';
import { TEST_REGION, startTestTandem, type Credentials, type TestTandem } from '../support/tandem.js';

const MINUTE = 60_000;
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

interface RawResponse {
  status: number;
  errorType: string | null;
  requestId: string | null;
  body: Record<string, unknown>;
}

interface RawRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

/** A request as signed: its headers now carry authorization, x-amz-date and x-amz-content-sha256. */
type SignedRequest = RawRequest & { headers: Record<string, string> };

interface SigningOptions {
  credentials?: Credentials;
  region?: string;
  service?: string;
  signingDate?: Date;
}

interface ServiceError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

for (const dialect of DIALECTS) {
  describe(dialect, { skip: dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    let flowArn: string;
    /** Every status an error response had, to check that none was a 5xx. */
    const statuses: number[] = [];

    const startBody = (name: string) =>
      JSON.stringify({ HumanLoopName: name, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: '{"a":1}' } });
    const startRequest = (name: string): RawRequest => ({
      method: 'POST',
      path: '/human-loops',
      headers: { 'content-type': 'application/json' },
      body: startBody(name),
    });
    const createWorkteamRequest = (name: string): RawRequest => ({
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.CreateWorkteam' },
      body: JSON.stringify({
        WorkteamName: name,
        Description: 'should not exist',
        MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'us-east-1_x', UserGroup: 'g', ClientId: 'c' } }],
      }),
    });

    /** Signs `request` as the SDKs do (SigV4, service `sagemaker`), without sending it. */
    async function sign(request: RawRequest, options: SigningOptions = {}): Promise<SignedRequest> {
      const url = new URL(tandem.url);
      const http = new HttpRequest({
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        method: request.method,
        path: request.path,
        query: request.query ?? {},
        headers: { host: url.host, ...request.headers },
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      const signer = new SignatureV4({
        credentials: options.credentials ?? tandem.credentials,
        region: options.region ?? TEST_REGION,
        service: options.service ?? 'sagemaker',
        sha256: Sha256,
      });
      const signed = await signer.sign(http, options.signingDate ? { signingDate: options.signingDate } : {});
      return {
        method: signed.method,
        path: signed.path,
        query: signed.query as Record<string, string>,
        headers: { ...signed.headers },
        ...(typeof signed.body === 'string' ? { body: signed.body } : {}),
      };
    }

    /** Sends a (signed or unsigned) request as it is; `fetch` sets Host itself, to the value signed. */
    async function send(request: RawRequest): Promise<RawResponse> {
      const query = new URLSearchParams(request.query ?? {}).toString();
      const headers = Object.fromEntries(Object.entries(request.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'host'));
      const response = await fetch(`${tandem.url}${request.path}${query ? `?${query}` : ''}`, {
        method: request.method,
        headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      const text = await response.text();
      const result = {
        status: response.status,
        errorType: response.headers.get('x-amzn-errortype'),
        requestId: response.headers.get('x-amzn-requestid'),
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
      if (result.status !== 200) statuses.push(result.status);
      return result;
    }

    function assertRejected(response: RawResponse, type: string, message?: string | RegExp) {
      assert.equal(response.status, 403, `status for ${type}: ${JSON.stringify(response.body)}`);
      assert.equal(response.errorType, type);
      assert.equal(response.body.__type, type);
      assert.ok(response.requestId, 'x-amzn-RequestId is sent on errors too');
      if (typeof message === 'string') assert.equal(response.body.Message, message);
      else if (message) assert.match(String(response.body.Message), message);
    }

    /** Runs an SDK call that must fail with `name` and 403. */
    async function sdkRejects(promise: Promise<unknown>, name: string, message?: RegExp) {
      let caught: ServiceError | undefined;
      await assert.rejects(promise, (error: ServiceError) => {
        caught = error;
        return true;
      });
      assert.equal(caught!.name, name, caught!.message);
      assert.equal(caught!.$metadata.httpStatusCode, 403);
      statuses.push(caught!.$metadata.httpStatusCode!);
      if (message) assert.match(caught!.message, message);
    }

    /** Counts of what a rejected write could have created. */
    async function storeSnapshot() {
      const db = tandem.resources.store.db;
      const count = async (table: 'human_loops' | 'workteams' | 'outbox' | 'flow_definitions' | 'human_task_uis') =>
        Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return {
        human_loops: await count('human_loops'),
        workteams: await count('workteams'),
        flow_definitions: await count('flow_definitions'),
        human_task_uis: await count('human_task_uis'),
        outbox: await count('outbox'),
      };
    }

    /** Runs `attempt` (rejected writes) and checks the store has not changed. */
    async function changesNothing(attempt: () => Promise<void>) {
      const before = await storeSnapshot();
      await attempt();
      assert.deepEqual(await storeSnapshot(), before, 'a rejected request changed the store');
    }

    const clientsWith = (credentials: Credentials, extra: { region?: string; systemClockOffset?: number } = {}) => {
      const common = { endpoint: tandem.url, region: extra.region ?? TEST_REGION, credentials, maxAttempts: 1 };
      const a2i = new SageMakerA2IRuntimeClient({ ...common, ...(extra.systemClockOffset !== undefined ? { systemClockOffset: extra.systemClockOffset } : {}) });
      const sagemaker = new SageMakerClient({ ...common, ...(extra.systemClockOffset !== undefined ? { systemClockOffset: extra.systemClockOffset } : {}) });
      return { a2i, sagemaker, destroy: () => (a2i.destroy(), sagemaker.destroy()) };
    };

    before(async () => {
      tandem = await startTestTandem(dialect);
      ({ FlowDefinitionArn: flowArn } = await createReviewSetup(tandem, 'auth'));
    });
    after(async () => {
      await tandem?.stop();
    });

    test('a correctly signed raw request is served (read and write)', async () => {
      const listed = await send(await sign({ method: 'GET', path: '/human-loops', query: { FlowDefinitionArn: flowArn } }));
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      assert.deepEqual(listed.body, { HumanLoopSummaries: [] });

      const started = await send(await sign(startRequest('signed-ok')));
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assert.match(String(started.body.HumanLoopArn), /:human-loop\/signed-ok$/);
      const { HumanLoopStatus } = await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: 'signed-ok' }));
      assert.equal(HumanLoopStatus, 'InProgress');
    });

    test('unsigned requests: 403 MissingAuthenticationTokenException, nothing created', async () => {
      await changesNothing(async () => {
        assertRejected(await send(startRequest('unsigned')), 'MissingAuthenticationTokenException', 'Missing Authentication Token');
        assertRejected(await send(createWorkteamRequest('unsigned-team')), 'MissingAuthenticationTokenException', 'Missing Authentication Token');
        assertRejected(
          await send({ method: 'GET', path: '/human-loops', query: { FlowDefinitionArn: flowArn } }),
          'MissingAuthenticationTokenException',
        );
        // An Authorization header that is not SigV4 is no token either.
        assertRejected(
          await send({ ...startRequest('basic-auth'), headers: { 'content-type': 'application/json', authorization: 'Basic dXNlcjpwYXNz' } }),
          'MissingAuthenticationTokenException',
        );
        // Unknown paths are checked too, before anything else answers.
        assertRejected(await send({ method: 'GET', path: '/no-such-route' }), 'MissingAuthenticationTokenException');
      });
    });

    test('a wrong secret: 403 InvalidSignatureException (raw and through both SDK clients)', async () => {
      const wrong = { accessKeyId: tandem.credentials.accessKeyId, secretAccessKey: `${tandem.credentials.secretAccessKey}x` };
      const clients = clientsWith(wrong);
      try {
        await changesNothing(async () => {
          assertRejected(await send(await sign(startRequest('wrong-secret'), { credentials: wrong })), 'InvalidSignatureException', SIGNATURE_MISMATCH);
          assertRejected(await send(await sign(createWorkteamRequest('wrong-secret-team'), { credentials: wrong })), 'InvalidSignatureException', SIGNATURE_MISMATCH);
          await sdkRejects(
            clients.a2i.send(new StartHumanLoopCommand({ HumanLoopName: 'wrong-secret-sdk', FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: '{}' } })),
            'InvalidSignatureException',
            /does not match the signature you provided/,
          );
          await sdkRejects(
            clients.sagemaker.send(new CreateWorkteamCommand({ WorkteamName: 'wrong-secret-sdk', Description: 'x', MemberDefinitions: [] })),
            'InvalidSignatureException',
          );
        });
      } finally {
        clients.destroy();
      }
    });

    test('an unknown access key: 403 UnrecognizedClientException', async () => {
      const unknown = { accessKeyId: 'TNDMNOSUCHKEY0000000', secretAccessKey: tandem.credentials.secretAccessKey };
      const clients = clientsWith(unknown);
      try {
        await changesNothing(async () => {
          assertRejected(
            await send(await sign(startRequest('unknown-key'), { credentials: unknown })),
            'UnrecognizedClientException',
            'The security token included in the request is invalid.',
          );
          await sdkRejects(clients.a2i.send(new ListHumanLoopsCommand({ FlowDefinitionArn: flowArn })), 'UnrecognizedClientException');
          await sdkRejects(
            clients.sagemaker.send(new CreateWorkteamCommand({ WorkteamName: 'unknown-key', Description: 'x', MemberDefinitions: [] })),
            'UnrecognizedClientException',
          );
        });
      } finally {
        clients.destroy();
      }
    });

    test('a clock skewed by 16 minutes: 403 InvalidSignatureException, "Signature expired" / "not yet current"', async () => {
      await changesNothing(async () => {
        const past = await send(await sign(startRequest('from-the-past'), { signingDate: new Date(Date.now() - 16 * MINUTE) }));
        assertRejected(past, 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
        const future = await send(await sign(startRequest('from-the-future'), { signingDate: new Date(Date.now() + 16 * MINUTE) }));
        assertRejected(future, 'InvalidSignatureException', /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/);

        const slow = clientsWith(tandem.credentials, { systemClockOffset: -16 * MINUTE });
        try {
          await sdkRejects(
            slow.a2i.send(new StartHumanLoopCommand({ HumanLoopName: 'slow-clock', FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: '{}' } })),
            'InvalidSignatureException',
            /^Signature expired/,
          );
          await sdkRejects(slow.sagemaker.send(new ListWorkteamsCommand({})), 'InvalidSignatureException', /^Signature expired/);
        } finally {
          slow.destroy();
        }
      });
      // 14 minutes off is within AWS's 15-minute window.
      const late = await send(await sign({ method: 'GET', path: '/human-loops', query: { FlowDefinitionArn: flowArn } }, { signingDate: new Date(Date.now() - 14 * MINUTE) }));
      assert.equal(late.status, 200);
    });

    test('a body changed after signing: 403 InvalidSignatureException, nothing created', async () => {
      await changesNothing(async () => {
        const signed = await sign(startRequest('original-body'));
        // The declared payload hash no longer matches the body.
        assertRejected(await send({ ...signed, body: startBody('tampered-body') }), 'InvalidSignatureException', SIGNATURE_MISMATCH);
        // Nor does the signature, even with the payload hash header recomputed to match.
        const body = startBody('tampered-too');
        const headers = { ...signed.headers, 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') };
        assertRejected(await send({ ...signed, headers, body }), 'InvalidSignatureException', SIGNATURE_MISMATCH);
        // Or with the payload-hash header dropped.
        const { ['x-amz-content-sha256']: _dropped, ...withoutHash } = signed.headers;
        assertRejected(await send({ ...signed, headers: withoutHash, body }), 'InvalidSignatureException', SIGNATURE_MISMATCH);
        // A changed path or target is caught the same way.
        const describeA = await sign({ method: 'GET', path: '/human-loops/signed-ok' });
        assertRejected(await send({ ...describeA, path: '/human-loops/other-loop' }), 'InvalidSignatureException', SIGNATURE_MISMATCH);
        const listTeams = await sign({
          method: 'POST',
          path: '/',
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.ListWorkteams' },
          body: '{}',
        });
        const retargeted = { ...listTeams.headers, 'x-amz-target': 'SageMaker.DeleteWorkteam' };
        assertRejected(await send({ ...listTeams, headers: retargeted, body: '{"WorkteamName":"auth-team"}' }), 'InvalidSignatureException');
      });
    });

    test('a key signed for another region or service: 403 InvalidSignatureException', async () => {
      const elsewhere = clientsWith(tandem.credentials, { region: 'eu-west-1' });
      try {
        await changesNothing(async () => {
          assertRejected(
            await send(await sign(startRequest('other-region'), { region: 'eu-west-1' })),
            'InvalidSignatureException',
            /^Credential should be scoped to a valid region, not 'eu-west-1'\./,
          );
          assertRejected(
            await send(await sign(createWorkteamRequest('other-region-team'), { region: 'us-west-2' })),
            'InvalidSignatureException',
            /not 'us-west-2'/,
          );
          assertRejected(
            await send(await sign(startRequest('other-service'), { service: 'a2i-runtime' })),
            'InvalidSignatureException',
            "Credential should be scoped to correct service: 'sagemaker'. ",
          );
          await sdkRejects(
            elsewhere.a2i.send(new StartHumanLoopCommand({ HumanLoopName: 'other-region-sdk', FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: '{}' } })),
            'InvalidSignatureException',
            /scoped to a valid region/,
          );
          await sdkRejects(
            elsewhere.sagemaker.send(new CreateWorkteamCommand({ WorkteamName: 'other-region-sdk', Description: 'x', MemberDefinitions: [] })),
            'InvalidSignatureException',
          );
        });
      } finally {
        elsewhere.destroy();
      }
    });

    test('a session token: 403 UnrecognizedClientException (Tandem issues long-term keys only)', async () => {
      await changesNothing(async () => {
        const signed = await sign(startRequest('with-token'), { credentials: { ...tandem.credentials, sessionToken: 'FQoGZXIvYXdzE' } as Credentials });
        assert.ok(signed.headers['x-amz-security-token']);
        assertRejected(await send(signed), 'UnrecognizedClientException');
      });
    });

    test('malformed Authorization headers: 403 IncompleteSignatureException, nothing created', async () => {
      await changesNothing(async () => {
        const signed = await sign(startRequest('incomplete'));
        const authorization = signed.headers.authorization!;
        const withoutSignature = authorization.replace(/, Signature=[0-9a-f]+$/, '');
        assertRejected(await send({ ...signed, headers: { ...signed.headers, authorization: withoutSignature } }), 'IncompleteSignatureException', /requires 'Signature' parameter/);
        const { ['x-amz-date']: _date, ...withoutDate } = signed.headers;
        assertRejected(await send({ ...signed, headers: withoutDate }), 'IncompleteSignatureException');
      });
    });

    test('a revoked key is refused once the lookup cache (5 s) has let it go; a key never cached at once', async () => {
      const keyA = await tandem.createAccount('222233334444');
      const keyB = await tandem.createAccount('222233335555');
      const db = tandem.resources.store.db;

      // A: used (so cached), then revoked. Within KEY_CACHE_MS this process may still accept it
      // (other processes, e.g. `tandem keys revoke`, cannot reach the cache); after that it is refused.
      const ok = await send(await sign({ method: 'POST', path: '/', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.ListWorkteams' }, body: '{}' }, { credentials: keyA }));
      assert.equal(ok.status, 200);
      assert.equal(await revokeAccessKey(db, keyA.accessKeyId, Date.now()), true);
      const realClock = tandem.resources.clock;
      const later: Clock = { now: () => realClock.now() + 6_000 };
      tandem.resources.clock = later;
      try {
        await changesNothing(async () => {
          assertRejected(await send(await sign(createWorkteamRequest('revoked-team'), { credentials: keyA, signingDate: new Date(later.now()) })), 'UnrecognizedClientException');
        });
      } finally {
        tandem.resources.clock = realClock;
      }

      // B: revoked before its first use, so no cache entry speaks for it.
      assert.equal(await revokeAccessKey(db, keyB.accessKeyId, Date.now()), true);
      const clients = clientsWith(keyB);
      try {
        await changesNothing(async () => {
          assertRejected(await send(await sign(createWorkteamRequest('revoked-b'), { credentials: keyB })), 'UnrecognizedClientException');
          await sdkRejects(clients.sagemaker.send(new ListWorkteamsCommand({})), 'UnrecognizedClientException');
        });
      } finally {
        clients.destroy();
      }
      // The root key is unaffected.
      assert.equal((await send(await sign({ method: 'GET', path: '/human-loops', query: { FlowDefinitionArn: flowArn } }))).status, 200);
    });

    test('no rejection was a 5xx', () => {
      assert.ok(statuses.length > 20, `collected ${statuses.length} error statuses`);
      assert.deepEqual(statuses.filter((status) => status >= 500), []);
    });
  });
}
