/**
 * SigV4-signed JSON POSTs for load generation.
 *
 * - {@link signWithSdk}: the AWS SDK's own signer (`@smithy/signature-v4`), as an SDK client in
 *   Node signs: every header signed except the SDK's unsignable ones, `x-amz-content-sha256`
 *   added. It is asynchronous, so it cannot run inside autocannon's synchronous `setupRequest`;
 *   benchmarks use it to pre-sign a pool of requests before the timed run.
 * - {@link signSync}: the same signature computed synchronously with node:crypto, usable inside
 *   `setupRequest`. {@link assertSyncSignerMatchesSdk} proves it byte-identical to the SDK's.
 *
 * @example
 * const signer = createSdkSigner(BENCH_CREDENTIALS, 'node-crypto');
 * const request = await signWithSdk(signer, { host: '127.0.0.1:8080', path: '/human-loops', body });
 * // request.headers: content-type, host, x-amz-date, x-amz-content-sha256, authorization
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { Sha256 as JsSha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RequestSpec } from './load.js';
import type { BenchCredentials } from './servers.js';

export const SIGNING_SERVICE = 'sagemaker';

/** A JSON POST before signing. `host` is `hostname:port`, exactly as it will be sent. */
export interface JsonPost {
  host: string;
  path: string;
  body: string;
  /** @defaultValue `application/json` (restJson1) */
  contentType?: string;
}

/**
 * SHA-256 for the SDK signer: `sha256-js` is the pure-JavaScript one (`@aws-crypto/sha256-js`,
 * what browsers fall back to); `node-crypto` is node:crypto, what the SDK uses in Node
 * (`@smithy/hash-node` does the same).
 */
export type HashImplementation = 'node-crypto' | 'sha256-js';

type SourceData = string | ArrayBuffer | ArrayBufferView;

/** node:crypto behind the SDK's Checksum interface (HMAC when constructed with a secret). */
class NodeSha256 {
  #secret: SourceData | undefined;
  #hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.#secret = secret;
    this.#hash = NodeSha256.#create(secret);
  }

  update(data: SourceData): void {
    this.#hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }

  reset(): void {
    this.#hash = NodeSha256.#create(this.#secret);
  }

  static #create(secret: SourceData | undefined): Hash | Hmac {
    return secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

export function createSdkSigner(credentials: BenchCredentials, hash: HashImplementation = 'node-crypto'): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    region: credentials.region,
    service: SIGNING_SERVICE,
    sha256: hash === 'node-crypto' ? NodeSha256 : JsSha256,
  });
}

/** Signs with the SDK's SignatureV4. */
export async function signWithSdk(signer: SignatureV4, post: JsonPost, signingDate = new Date()): Promise<RequestSpec> {
  const [hostname = '', port] = post.host.split(':');
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname,
    ...(port ? { port: Number(port) } : {}),
    path: post.path,
    headers: { 'content-type': post.contentType ?? 'application/json', host: post.host },
    body: post.body,
  });
  const signed = (await signer.sign(request, { signingDate })) as HttpRequest;
  return { method: 'POST', path: post.path, headers: { ...signed.headers }, body: post.body };
}

const signingKeys = new Map<string, Buffer>();

/**
 * The signature {@link signWithSdk} produces, computed synchronously. Only for what benchmarks
 * send: a path of unreserved characters and slashes, no query string, no session token.
 */
export function signSync(credentials: BenchCredentials, post: JsonPost, signingDate = new Date()): RequestSpec {
  if (!/^\/[A-Za-z0-9\-._~/]*$/.test(post.path)) throw new Error(`signSync: unsupported path ${post.path}`);
  const longDate = signingDate.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  const shortDate = longDate.slice(0, 8);
  const scope = `${shortDate}/${credentials.region}/${SIGNING_SERVICE}/aws4_request`;
  const payloadHash = createHash('sha256').update(post.body, 'utf8').digest('hex');
  const headers: Record<string, string> = {
    'content-type': post.contentType ?? 'application/json',
    host: post.host,
    'x-amz-content-sha256': payloadHash,
    'x-amz-date': longDate,
  };
  const names = Object.keys(headers).sort();
  const canonicalRequest = [
    'POST',
    post.path,
    '',
    names.map((name) => `${name}:${headers[name]!.trim()}\n`).join(''),
    names.join(';'),
    payloadHash,
  ].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    longDate,
    scope,
    createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  const signature = createHmac('sha256', signingKey(credentials, shortDate)).update(stringToSign, 'utf8').digest('hex');
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return { method: 'POST', path: post.path, headers, body: post.body };
}

function signingKey(credentials: BenchCredentials, shortDate: string): Buffer {
  const cacheKey = `${credentials.accessKeyId}/${shortDate}/${credentials.region}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    key = createHmac('sha256', `AWS4${credentials.secretAccessKey}`).update(shortDate).digest();
    for (const part of [credentials.region, SIGNING_SERVICE, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/** Throws unless {@link signSync} and the SDK produce the same headers for `post`. */
export async function assertSyncSignerMatchesSdk(credentials: BenchCredentials, post: JsonPost): Promise<void> {
  const date = new Date();
  const sdk = await signWithSdk(createSdkSigner(credentials, 'sha256-js'), post, date);
  const sync = signSync(credentials, post, date);
  const a = JSON.stringify(Object.entries(sdk.headers).sort());
  const b = JSON.stringify(Object.entries(sync.headers).sort());
  if (a !== b) throw new Error(`signSync differs from @smithy/signature-v4:\n  sdk:  ${a}\n  sync: ${b}`);
}
