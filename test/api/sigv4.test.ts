/**
 * SigV4 verification against requests signed by the real clients: the JS SDK v3 (A2I runtime
 * restJson1 and SageMaker awsJson1_1) and boto3, each pointed at a loopback capture server that
 * records the raw request line, headers and body and answers 200 `{}`.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  DescribeHumanLoopCommand,
  ListHumanLoopsCommand,
  SageMakerA2IRuntimeClient,
  StartHumanLoopCommand,
} from '@aws-sdk/client-sagemaker-a2i-runtime';
import { ListFlowDefinitionsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { AuthenticationError, type AuthenticationFailure } from '../../src/api/aws/errors.js';
import {
  verifySigV4,
  type IncomingSignedRequest,
  type SigningIdentity,
  type SigningKeyLookup,
} from '../../src/api/aws/sigv4.js';

const execFileAsync = promisify(execFile);

const KEY: SigningIdentity = {
  accessKeyId: 'AKIATANDEMTEST000001',
  accountId: '123456789012',
  secretAccessKey: 'tandem/test+secret/0123456789abcdefghijklmn',
};
const FLOW_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:flow-definition/my-fd';
const UNICODE_INPUT = JSON.stringify({ text: 'héllo wörld — 日本語 🎉', n: 1 });
const NEXT_TOKEN = 'abc/+=x y~é';
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const lookup: SigningKeyLookup = async (accessKeyId) => (accessKeyId === KEY.accessKeyId ? KEY : undefined);

/** A request as it arrived, plus the instant it claims (its X-Amz-Date), for a matching `now`. */
interface Captured extends IncomingSignedRequest {
  signedAt: Date;
}

let server: http.Server;
let endpoint: string;
const captured: Captured[] = [];
const js: Record<string, Captured> = {};
let boto: Record<string, Captured> | undefined;
let botoSkipReason: string | undefined;

function toCaptured(req: http.IncomingMessage, body: Buffer): Captured {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  return {
    method: req.method ?? 'GET',
    rawPath: q === -1 ? url : url.slice(0, q),
    rawQuery: q === -1 ? '' : url.slice(q + 1),
    headers: { ...req.headers },
    body,
    signedAt: parseAmzDate(amzDate),
  };
}

function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : new Date(NaN);
}

async function captureOne(send: () => Promise<unknown>): Promise<Captured> {
  const before = captured.length;
  await send();
  assert.equal(captured.length, before + 1, 'exactly one request reached the capture server');
  return captured[before]!;
}

/** A deep-enough copy to tamper with without touching the shared capture. */
function copy(request: Captured, change: Partial<Captured> = {}): Captured {
  return { ...request, headers: { ...request.headers }, body: Buffer.from(request.body), ...change };
}

function verifyAt(request: Captured, now: Date = new Date(request.signedAt.getTime() + 1000)) {
  return verifySigV4(request, lookup, now);
}

async function assertRejected(
  promise: Promise<unknown>,
  code: AuthenticationFailure,
  message: string | RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AuthenticationError, `expected AuthenticationError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    assert.ok(!error.message.includes(KEY.secretAccessKey), 'message must not contain the secret');
    return true;
  });
}

const BOTO_SCRIPT = String.raw`
import sys, datetime, boto3
from botocore.config import Config
endpoint, akid, secret, flow_arn, unicode_input, next_token = sys.argv[1:7]
session = boto3.session.Session(aws_access_key_id=akid, aws_secret_access_key=secret, region_name='us-east-1')
config = Config(retries={'total_max_attempts': 1})
a2i = session.client('sagemaker-a2i-runtime', endpoint_url=endpoint, config=config)
sm = session.client('sagemaker', endpoint_url=endpoint, config=config)
a2i.start_human_loop(HumanLoopName='loop-1', FlowDefinitionArn=flow_arn,
                     HumanLoopInput={'InputContent': unicode_input})
a2i.describe_human_loop(HumanLoopName='a b/c')
a2i.list_human_loops(FlowDefinitionArn=flow_arn,
                     CreationTimeAfter=datetime.datetime(2020, 2, 24, tzinfo=datetime.timezone.utc),
                     CreationTimeBefore=datetime.datetime(2020, 2, 25, 1, 2, 3, 456000, tzinfo=datetime.timezone.utc),
                     SortOrder='Ascending', MaxResults=5, NextToken=next_token)
sm.list_flow_definitions(CreationTimeAfter=datetime.datetime(2020, 2, 24, tzinfo=datetime.timezone.utc), MaxResults=5)
`;

async function captureBoto3(): Promise<void> {
  try {
    await execFileAsync('/usr/bin/python3', ['-c', 'import boto3']);
  } catch {
    botoSkipReason = '/usr/bin/python3 cannot import boto3 (apt-get install -y python3-boto3)';
    return;
  }
  const first = captured.length;
  await execFileAsync(
    '/usr/bin/python3',
    ['-c', BOTO_SCRIPT, endpoint, KEY.accessKeyId, KEY.secretAccessKey, FLOW_ARN, UNICODE_INPUT, NEXT_TOKEN],
    {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      timeout: 60_000,
    },
  );
  const [start, describe, list, listFlows] = captured.slice(first);
  assert.ok(start && describe && list && listFlows, 'boto3 sent four requests');
  boto = { start, describe, list, listFlows };
}

function skipOrFailWithoutBoto3(t: { skip: (message?: string) => void }): Record<string, Captured> | undefined {
  if (boto !== undefined) return boto;
  if (process.env.CI === 'true') assert.fail(`boto3 is required in CI: ${botoSkipReason}`);
  t.skip(`boto3 case skipped: ${botoSkipReason}`);
  return undefined;
}

function signer(sessionToken?: string): SignatureV4 {
  return new SignatureV4({
    service: 'sagemaker',
    region: 'us-east-1',
    credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey: KEY.secretAccessKey, sessionToken },
    sha256: Sha256,
    applyChecksum: false,
  });
}

/** Signs a captured request again with @smithy/signature-v4 at a chosen instant. */
async function signAt(request: Captured, signingDate: Date): Promise<Captured> {
  const headers: Record<string, string> = {
    host: String(request.headers.host),
    'content-type': String(request.headers['content-type']),
  };
  const query: Record<string, string> = {};
  for (const pair of request.rawQuery.split('&').filter(Boolean)) {
    const [k = '', v = ''] = pair.split('=');
    query[decodeURIComponent(k)] = decodeURIComponent(v);
  }
  const signed = await signer().sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: request.rawPath,
      query,
      headers,
      body: request.body,
    }),
    { signingDate },
  );
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) lower[name.toLowerCase()] = value;
  return { ...request, headers: lower, body: Buffer.from(request.body), signedAt: signingDate };
}

before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      captured.push(toCaptured(req, Buffer.concat(chunks)));
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-RequestId': 'capture' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const config = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey: KEY.secretAccessKey },
    maxAttempts: 1,
  };
  const a2i = new SageMakerA2IRuntimeClient(config);
  const sagemaker = new SageMakerClient(config);
  js.start = await captureOne(() =>
    a2i.send(
      new StartHumanLoopCommand({
        HumanLoopName: 'loop-1',
        FlowDefinitionArn: FLOW_ARN,
        HumanLoopInput: { InputContent: UNICODE_INPUT },
        DataAttributes: { ContentClassifiers: ['FreeOfPersonallyIdentifiableInformation'] },
      }),
    ),
  );
  js.describe = await captureOne(() => a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: 'a b/c' })));
  js.list = await captureOne(() =>
    a2i.send(
      new ListHumanLoopsCommand({
        FlowDefinitionArn: FLOW_ARN,
        CreationTimeAfter: new Date('2020-02-24T00:00:00Z'),
        CreationTimeBefore: new Date('2020-02-25T01:02:03.456Z'),
        SortOrder: 'Descending',
        MaxResults: 10,
        NextToken: NEXT_TOKEN,
      }),
    ),
  );
  js.listFlows = await captureOne(() =>
    sagemaker.send(
      new ListFlowDefinitionsCommand({ CreationTimeAfter: new Date(1582502400500), SortOrder: 'Descending', MaxResults: 5 }),
    ),
  );
  a2i.destroy();
  sagemaker.destroy();
  await captureBoto3();
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('verifySigV4 accepts what the real clients sign', () => {
  it('JS A2I runtime client: StartHumanLoop with unicode input', async () => {
    assert.ok(js.start!.body.toString('utf8').includes('日本語'));
    const caller = await verifyAt(js.start!);
    assert.deepEqual(caller, {
      accessKeyId: KEY.accessKeyId,
      accountId: KEY.accountId,
      region: 'us-east-1',
      service: 'sagemaker',
    });
  });

  it('JS A2I runtime client: DescribeHumanLoop with a label that needs encoding (double-encoded path)', async () => {
    assert.equal(js.describe!.rawPath, '/human-loops/a%20b%2Fc');
    await verifyAt(js.describe!);
  });

  it('JS A2I runtime client: ListHumanLoops with timestamps and a NextToken containing /+=', async () => {
    assert.match(js.list!.rawQuery, /NextToken=abc%2F%2B%3Dx%20y~%C3%A9/);
    await verifyAt(js.list!);
  });

  it('JS SageMaker client: ListFlowDefinitions (awsJson1_1, signs x-amz-target)', async () => {
    assert.match(String(js.listFlows!.headers.authorization), /SignedHeaders=[^,]*x-amz-target/);
    await verifyAt(js.listFlows!);
  });

  it('boto3: StartHumanLoop, DescribeHumanLoop, ListHumanLoops, ListFlowDefinitions', async (t) => {
    const requests = skipOrFailWithoutBoto3(t);
    if (requests === undefined) return;
    assert.equal(requests.start!.headers['x-amz-content-sha256'], undefined, 'boto3 sends no payload hash header');
    assert.equal(requests.describe!.rawPath, '/human-loops/a%20b%2Fc');
    assert.match(requests.list!.rawQuery, /CreationTimeBefore=2020-02-25T01%3A02%3A03\.456000Z/);
    for (const request of Object.values(requests)) {
      assert.equal((await verifyAt(request)).accountId, KEY.accountId);
    }
  });

  it('does not depend on query parameter order or on the case of percent-escapes', async () => {
    const reordered = js.list!.rawQuery.split('&').reverse().join('&');
    await verifyAt(copy(js.list!, { rawQuery: reordered }));
    const lowerEscapes = js.list!.rawQuery.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
    assert.notEqual(lowerEscapes, js.list!.rawQuery);
    await verifyAt(copy(js.list!, { rawQuery: lowerEscapes }));
  });

  it('accepts a request exactly at the 15-minute skew limit', async () => {
    const request = await signAt(js.start!, new Date('2026-01-01T00:00:00Z'));
    await verifySigV4(request, lookup, new Date('2026-01-01T00:15:00Z'));
    await verifySigV4(request, lookup, new Date('2025-12-31T23:45:00Z'));
  });

  it('accepts a Date header in ISO 8601 basic format when X-Amz-Date is absent', async () => {
    // Both SDKs drop a Date header and add X-Amz-Date, so the canonical request is written out
    // by hand here and only the key derivation and HMAC come from @smithy/signature-v4.
    const canonicalRequest = [
      'GET',
      '/human-loops/loop-1',
      '',
      'date:20260101T000000Z',
      'host:127.0.0.1:8080',
      '',
      'date;host',
      EMPTY_SHA256,
    ].join('\n');
    const stringToSign = [
      'AWS4-HMAC-SHA256',
      '20260101T000000Z',
      '20260101/us-east-1/sagemaker/aws4_request',
      createHash('sha256').update(canonicalRequest).digest('hex'),
    ].join('\n');
    const signature = await signer().sign(stringToSign, { signingDate: new Date('2026-01-01T00:00:00Z') });
    const request: IncomingSignedRequest = {
      method: 'GET',
      rawPath: '/human-loops/loop-1',
      rawQuery: '',
      headers: {
        host: '127.0.0.1:8080',
        date: '20260101T000000Z',
        authorization:
          `AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/20260101/us-east-1/sagemaker/aws4_request, ` +
          `SignedHeaders=date;host, Signature=${signature}`,
      },
      body: Buffer.alloc(0),
    };
    await verifySigV4(request, lookup, new Date('2026-01-01T00:00:05Z'));
    // X-Amz-Date, when present, overrides Date; unsigned, it is refused as such.
    request.headers['x-amz-date'] = '20260101T000001Z';
    await assertRejected(
      verifySigV4(request, lookup, new Date('2026-01-01T00:00:05Z')),
      'InvalidSignatureException',
      'There were headers present in the request which were not signed: x-amz-date',
    );
  });
});

describe('verifySigV4 rejects', () => {
  it('an unsigned request: MissingAuthenticationTokenException', async () => {
    const request = copy(js.start!);
    delete request.headers.authorization;
    await assertRejected(verifyAt(request), 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    request.headers.authorization = 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x';
    await assertRejected(verifyAt(request), 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  });

  it('a wrong secret: InvalidSignatureException', async () => {
    const wrongSecret: SigningKeyLookup = async () => ({ ...KEY, secretAccessKey: 'not-the-secret' });
    for (const request of [js.start!, js.describe!, js.list!, js.listFlows!]) {
      const now = new Date(request.signedAt.getTime() + 1000);
      await assertRejected(verifySigV4(request, wrongSecret, now), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    }
  });

  it('an unknown access key: UnrecognizedClientException', async () => {
    await assertRejected(
      verifySigV4(js.start!, async () => undefined, new Date(js.start!.signedAt.getTime() + 1000)),
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  });

  it('a request signed 16 minutes in the past: Signature expired', async () => {
    const request = await signAt(js.start!, new Date('2026-01-01T00:00:00Z'));
    await assertRejected(
      verifySigV4(request, lookup, new Date('2026-01-01T00:16:00Z')),
      'InvalidSignatureException',
      'Signature expired: 20260101T000000Z is now earlier than 20260101T000100Z (20260101T001600Z - 15 min.)',
    );
  });

  it('a request signed 16 minutes in the future: Signature not yet current', async () => {
    const request = await signAt(js.start!, new Date('2026-01-01T00:16:00Z'));
    await assertRejected(
      verifySigV4(request, lookup, new Date('2026-01-01T00:00:00Z')),
      'InvalidSignatureException',
      'Signature not yet current: 20260101T001600Z is still later than 20260101T001500Z (20260101T000000Z + 15 min.)',
    );
  });

  it('a tampered body (JS: signed x-amz-content-sha256 no longer matches)', async () => {
    const body = Buffer.from(js.start!.body.toString('utf8').replace('loop-1', 'loop-2'), 'utf8');
    await assertRejected(verifyAt(copy(js.start!, { body })), 'InvalidSignatureException', SIGNATURE_MISMATCH);
  });

  it('a tampered body whose x-amz-content-sha256 was updated to match', async () => {
    const body = Buffer.from(js.start!.body.toString('utf8').replace('loop-1', 'loop-2'), 'utf8');
    const request = copy(js.start!, { body });
    request.headers['x-amz-content-sha256'] = createHash('sha256').update(body).digest('hex');
    await assertRejected(verifyAt(request), 'InvalidSignatureException', SIGNATURE_MISMATCH);
  });

  it('a tampered body from boto3 (no payload hash header)', async (t) => {
    const requests = skipOrFailWithoutBoto3(t);
    if (requests === undefined) return;
    const body = Buffer.concat([requests.start!.body, Buffer.from(' ')]);
    await assertRejected(verifyAt(copy(requests.start!, { body })), 'InvalidSignatureException', SIGNATURE_MISMATCH);
  });

  it('UNSIGNED-PAYLOAD', async () => {
    const request = copy(js.start!);
    request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    await assertRejected(verifyAt(request), 'InvalidSignatureException', SIGNATURE_MISMATCH);
  });

  it('a tampered signed header (x-amz-target, host)', async () => {
    const target = copy(js.listFlows!);
    target.headers['x-amz-target'] = 'SageMaker.DeleteFlowDefinition';
    await assertRejected(verifyAt(target), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    const host = copy(js.describe!);
    host.headers.host = 'evil.example:443';
    await assertRejected(verifyAt(host), 'InvalidSignatureException', SIGNATURE_MISMATCH);
  });

  it('a tampered query string or path', async () => {
    const query = copy(js.list!, { rawQuery: js.list!.rawQuery.replace('MaxResults=10', 'MaxResults=11') });
    await assertRejected(verifyAt(query), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    const added = copy(js.list!, { rawQuery: `${js.list!.rawQuery}&Extra=1` });
    await assertRejected(verifyAt(added), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    // The decoded label differs ('a b/c' vs 'a b%2Fc'), so the double-encoded path must differ too.
    const path = copy(js.describe!, { rawPath: '/human-loops/a%20b%252Fc' });
    await assertRejected(verifyAt(path), 'InvalidSignatureException', SIGNATURE_MISMATCH);
  });

  it('a malformed Authorization header: IncompleteSignatureException', async () => {
    const auth = String(js.start!.headers.authorization);
    const withAuth = (authorization: string) => {
      const request = copy(js.start!);
      request.headers.authorization = authorization;
      return request;
    };

    const noSignature = auth.replace(/, Signature=[0-9a-f]+$/, '');
    await assertRejected(
      verifyAt(withAuth(noSignature)),
      'IncompleteSignatureException',
      `Authorization header requires 'Signature' parameter. Authorization=${noSignature}`,
    );
    await assertRejected(
      verifyAt(withAuth('AWS4-')),
      'IncompleteSignatureException',
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-",
    );
    await assertRejected(
      verifyAt(withAuth(auth.replace('Credential=', 'Credential= '))),
      'IncompleteSignatureException',
      /^Invalid key=value pair \(missing equal-sign\) in Authorization header \(hashed with SHA-256 and encoded with Base64\): '[A-Za-z0-9+/=]{44}'\.$/,
    );
    await assertRejected(
      verifyAt(withAuth(auth.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512'))),
      'IncompleteSignatureException',
      "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
    );
    const shortCredential = auth.replace(/Credential=[^,]+/, `Credential=${KEY.accessKeyId}/us-east-1/sagemaker/aws4_request`);
    await assertRejected(
      verifyAt(withAuth(shortCredential)),
      'IncompleteSignatureException',
      'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, ' +
        `got '${KEY.accessKeyId}/us-east-1/sagemaker/aws4_request'`,
    );
  });

  it('a credential date that is not the X-Amz-Date day, or a bad terminator', async () => {
    const amzDate = String(js.start!.headers['x-amz-date']);
    const request = copy(js.start!);
    request.headers.authorization = String(request.headers.authorization)
      .replace(/\/\d{8}\//, '/20200101/')
      .replace('/aws4_request', '/aws5_request');
    await assertRejected(
      verifyAt(request),
      'InvalidSignatureException',
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
        'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
        `'20200101' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  });

  it('a missing or malformed X-Amz-Date', async () => {
    const missing = copy(js.start!);
    delete missing.headers['x-amz-date'];
    await assertRejected(
      verifyAt(missing),
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        `Authorization=${String(js.start!.headers.authorization)}`,
    );
    const httpDate = copy(missing);
    httpDate.headers.date = 'Thu, 01 Jan 2026 00:00:00 GMT';
    await assertRejected(
      verifyAt(httpDate),
      'IncompleteSignatureException',
      "Date must be in ISO-8601 'basic format'. Got 'Thu, 01 Jan 2026 00:00:00 GMT'. See http://en.wikipedia.org/wiki/ISO_8601",
    );
    const impossible = copy(js.start!);
    impossible.headers['x-amz-date'] = '20261345T000000Z';
    await assertRejected(verifyAt(impossible), 'IncompleteSignatureException', /^Date must be in ISO-8601 'basic format'/);
  });

  it('a signature that does not cover host', async () => {
    const request = copy(js.start!);
    request.headers.authorization = String(request.headers.authorization).replace(';host;', ';');
    await assertRejected(
      verifyAt(request),
      'InvalidSignatureException',
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    );
  });

  it('a session token, which no Tandem key has', async () => {
    const signed = await signer('FwoGZXIvYXdzEXAMPLE').sign(
      new HttpRequest({ method: 'GET', protocol: 'http:', hostname: '127.0.0.1', path: '/human-loops/x', headers: { host: '127.0.0.1' } }),
      { signingDate: new Date('2026-01-01T00:00:00Z') },
    );
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
    await assertRejected(
      verifySigV4(
        { method: 'GET', rawPath: '/human-loops/x', rawQuery: '', headers, body: Buffer.alloc(0) },
        lookup,
        new Date('2026-01-01T00:00:01Z'),
      ),
      'UnrecognizedClientException',
      'The security token included in the request is invalid',
    );
  });
});

/**
 * Signs a captured request again at its own instant with every header it carries except
 * `unsigned` (and those no SDK signs), as a client that leaves headers out of SignedHeaders would.
 */
async function signLeavingOut(request: Captured, unsigned: string[]): Promise<Captured> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name !== 'authorization' && name !== 'user-agent' && name !== 'content-length' && typeof value === 'string') headers[name] = value;
  }
  const query: Record<string, string> = {};
  for (const pair of request.rawQuery.split('&').filter(Boolean)) {
    const [k = '', v = ''] = pair.split('=');
    query[decodeURIComponent(k)] = decodeURIComponent(v);
  }
  const signed = await signer().sign(
    new HttpRequest({ method: request.method, protocol: 'http:', hostname: '127.0.0.1', path: request.rawPath, query, headers, body: request.body }),
    { signingDate: request.signedAt, unsignableHeaders: new Set(unsigned) },
  );
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) lower[name.toLowerCase()] = value;
  return { ...request, headers: lower, body: Buffer.from(request.body) };
}

describe('verifySigV4 requires every x-amz-* header and content-type to be signed', () => {
  const NOT_SIGNED = /^There were headers present in the request which were not signed: /;

  it('the real clients sign every x-amz-* header they send, and content-type', async (t) => {
    const requests = [...Object.values(js), ...Object.values(skipOrFailWithoutBoto3(t) ?? {})];
    for (const request of requests) {
      const signedHeaders = /SignedHeaders=([^,]+)/.exec(String(request.headers.authorization))![1]!.split(';');
      for (const name of Object.keys(request.headers)) {
        if (name.startsWith('x-amz-') || name === 'content-type') assert.ok(signedHeaders.includes(name), `${name} is signed in ${request.rawPath}`);
      }
      await verifyAt(request);
    }
  });

  it('x-amz-target left out of SignedHeaders: refused, and a target changed after signing is refused too', async () => {
    const unsigned = await signLeavingOut(js.listFlows!, ['x-amz-target']);
    assert.ok(!String(unsigned.headers.authorization).includes('x-amz-target'));
    await assertRejected(verifyAt(unsigned), 'InvalidSignatureException', `There were headers present in the request which were not signed: x-amz-target`);
    for (const target of ['SageMaker.ListWorkteams', 'SageMaker.DeleteFlowDefinition']) {
      const changed = copy(unsigned);
      changed.headers['x-amz-target'] = target;
      await assertRejected(verifyAt(changed), 'InvalidSignatureException', NOT_SIGNED);
    }
  });

  it('content-type, x-amz-content-sha256 or any other x-amz-* header unsigned: refused', async () => {
    for (const name of ['content-type', 'x-amz-user-agent', 'x-amz-content-sha256']) {
      const request = copy(js.start!);
      if (name === 'x-amz-content-sha256') request.headers[name] = createHash('sha256').update(request.body).digest('hex');
      if (name === 'x-amz-user-agent') request.headers[name] = 'aws-sdk-js/3';
      await assertRejected(verifyAt(await signLeavingOut(request, [name])), 'InvalidSignatureException', new RegExp(`${NOT_SIGNED.source}${name}$`));
    }
    const added = copy(js.describe!);
    added.headers['x-amz-meta-extra'] = 'added after signing';
    await assertRejected(verifyAt(added), 'InvalidSignatureException', `There were headers present in the request which were not signed: x-amz-meta-extra`);
  });
});
