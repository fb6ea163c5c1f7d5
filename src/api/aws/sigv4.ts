/**
 * AWS Signature Version 4 verification (Authorization-header form) for incoming requests.
 *
 * The canonical request is rebuilt from the bytes that arrived, not from a parsed route:
 * - path: the raw, still percent-encoded path, dot-segments and empty segments removed, then
 *   URI-encoded once more (non-S3 double encoding): `/human-loops/a%20b%2Fc` is signed as
 *   `/human-loops/a%2520b%252Fc` by both the JS SDK v3 and botocore;
 * - query: every `key=value` pair percent-decoded, re-encoded with RFC 3986 unreserved characters
 *   kept (`%XX` upper-case, `+` is a literal plus), sorted by encoded key, then encoded value;
 * - headers: exactly the request's `SignedHeaders` list, values trimmed, inner whitespace runs
 *   collapsed to one space;
 * - payload: SHA-256 of the received body, computed here. `x-amz-content-sha256` is never
 *   trusted; when present it must equal that hash (so `UNSIGNED-PAYLOAD` is rejected).
 *
 * Checks run in the order AWS's front end applies them (as recorded against live AWS by
 * dynalite's `index.js`), and each failure carries AWS's error code and wording:
 * missing token → key=value syntax → required parameters/date → date format → clock skew →
 * `host` signed → algorithm → credential shape → credential scope → access key → signature →
 * session token. Messages never contain a secret.
 *
 * @example
 * const caller = await verifySigV4(
 *   { method: 'GET', rawPath: '/human-loops/loop-1', rawQuery: '', headers: req.headers, body },
 *   (id) => keys.findSigningIdentity(id),
 *   clock.now(),
 * );
 * if (caller.service !== 'sagemaker') throw ...; // scope region/service checks are the caller's
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from './errors.js';

export interface IncomingSignedRequest {
  method: string;
  /** Path exactly as received on the wire, still percent-encoded, without the query string. */
  rawPath: string;
  /** Query string exactly as received, without '?', '' when none. */
  rawQuery: string;
  /** Node's lower-cased header map (IncomingMessage.headers). */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SigningIdentity {
  accessKeyId: string;
  accountId: string;
  secretAccessKey: string;
}

/** Resolves an access key id to its secret and account; `undefined` when the key is unknown. */
export type SigningKeyLookup = (accessKeyId: string) => Promise<SigningIdentity | undefined>;

/**
 * Who signed the request. `region` and `service` are the credential scope exactly as signed;
 * checking them is the caller's job (AWS: "Credential should be scoped to a valid region, not
 * 'x'. " / "Credential should be scoped to correct service: 'sagemaker'. ", both
 * InvalidSignatureException).
 */
export interface VerifiedCaller {
  accessKeyId: string;
  accountId: string;
  region: string;
  service: string;
}

export interface VerifySigV4Options {
  /** Largest accepted distance between the request's date and `now`, either way. Default 15 min. */
  maxClockSkewMs?: number;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';
const DEFAULT_MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const MISSING_TOKEN = 'Missing Authentication Token';
const UNKNOWN_ACCESS_KEY = 'The security token included in the request is invalid.';
/** AWS words the session-token rejection without the final period. */
const INVALID_SESSION_TOKEN = 'The security token included in the request is invalid';
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. ' +
  'Consult the service documentation for details.';

/**
 * Verifies the request's SigV4 Authorization header and returns the caller it identifies.
 * Throws {@link AuthenticationError} with AWS's code and message on every failure; errors
 * thrown by `lookup` propagate unchanged.
 */
export async function verifySigV4(
  request: IncomingSignedRequest,
  lookup: SigningKeyLookup,
  now: Date,
  options: VerifySigV4Options = {},
): Promise<VerifiedCaller> {
  const maxClockSkewMs = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  const authorization = headerValue(request.headers, 'authorization')?.trim();

  if (authorization !== undefined && queryHasParameter(request.rawQuery, 'X-Amz-Algorithm')) {
    throw invalidSignature(
      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    );
  }
  if (authorization === undefined || !authorization.startsWith('AWS4-')) {
    throw new AuthenticationError('MissingAuthenticationTokenException', MISSING_TOKEN);
  }

  const { algorithm, params } = parseAuthorization(authorization);
  const amzDate = headerValue(request.headers, 'x-amz-date') ?? headerValue(request.headers, 'date');
  let missing = '';
  if (!params.get('Credential')) missing += "Authorization header requires 'Credential' parameter. ";
  if (!params.get('Signature')) missing += "Authorization header requires 'Signature' parameter. ";
  if (!params.has('SignedHeaders')) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (amzDate === undefined) {
    missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (missing !== '' || amzDate === undefined) {
    throw incompleteSignature(`${missing}Authorization=${authorization}`);
  }
  const credential = params.get('Credential') as string;
  const signature = params.get('Signature') as string;
  const signedHeaders = (params.get('SignedHeaders') as string).split(';');

  const requestTime = parseIsoBasic(amzDate);
  if (requestTime === undefined) {
    throw incompleteSignature(
      `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  assertWithinClockSkew(amzDate, requestTime, now, maxClockSkewMs);

  if (!signedHeaders.some((name) => name.toLowerCase() === 'host')) {
    throw invalidSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (algorithm !== ALGORITHM) {
    throw incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}' (only ${ALGORITHM} for now). `);
  }

  const scope = credential.replace(/\/+$/, '').split('/');
  if (scope.length !== 5) {
    throw incompleteSignature(
      'Credential must have exactly 5 slash-delimited elements, ' +
        `e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, scopeDate, region, service, terminator] = scope as [string, string, string, string, string];
  let scopeErrors = '';
  if (region === '') scopeErrors += "Credential should be scoped to a valid region, not ''. ";
  if (terminator !== TERMINATOR) {
    scopeErrors += `Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'. `;
  }
  if (scopeDate !== amzDate.slice(0, 8)) {
    scopeErrors +=
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
      `'${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`;
  }
  if (scopeErrors !== '') throw invalidSignature(scopeErrors);

  const identity = await lookup(accessKeyId);
  if (identity === undefined) {
    throw new AuthenticationError('UnrecognizedClientException', UNKNOWN_ACCESS_KEY);
  }

  const payloadHash = createHash('sha256').update(request.body).digest('hex');
  const declaredPayloadHash = headerValue(request.headers, 'x-amz-content-sha256');
  if (declaredPayloadHash !== undefined && declaredPayloadHash.trim() !== payloadHash) {
    throw invalidSignature(SIGNATURE_MISMATCH);
  }

  const canonicalRequest = [
    request.method,
    canonicalUri(request.rawPath),
    canonicalQueryString(request.rawQuery),
    canonicalHeaders(request.headers, signedHeaders),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const stringToSign = [
    ALGORITHM,
    amzDate,
    `${scopeDate}/${region}/${service}/${TERMINATOR}`,
    createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  const signingKey = signingKeyFor(identity.secretAccessKey, scopeDate, region, service);
  const expected = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  if (!hexEquals(expected, signature)) throw invalidSignature(SIGNATURE_MISMATCH);

  // Tandem issues long-term keys only; a session token cannot belong to any of them.
  if (headerValue(request.headers, 'x-amz-security-token') !== undefined) {
    throw new AuthenticationError('UnrecognizedClientException', INVALID_SESSION_TOKEN);
  }

  return { accessKeyId, accountId: identity.accountId, region, service };
}

/**
 * Splits `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` into the algorithm and
 * its parameters. Parameters are separated by commas and/or spaces, like AWS's parser, so a
 * stray space inside a value surfaces as a missing-equal-sign error rather than a bad key.
 */
function parseAuthorization(authorization: string): { algorithm: string; params: Map<string, string> } {
  const [algorithm = '', ...parts] = authorization.split(/[\s,]+/).filter((part) => part !== '');
  const params = new Map<string, string>();
  for (const part of parts) {
    const equals = part.indexOf('=');
    if (equals === -1) {
      // AWS reports a digest of the header instead of echoing it: it may carry a token.
      const digest = createHash('sha256').update(authorization, 'utf8').digest('base64');
      throw incompleteSignature(
        'Invalid key=value pair (missing equal-sign) in Authorization header ' +
          `(hashed with SHA-256 and encoded with Base64): '${digest}'.`,
      );
    }
    params.set(part.slice(0, equals), part.slice(equals + 1));
  }
  return { algorithm, params };
}

/** `20261125T093000Z` → epoch ms; `undefined` unless it is exactly that shape and a real instant. */
function parseIsoBasic(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as number[];
  const time = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  // Date.UTC rolls over out-of-range fields (month 13, 25:00); a real date survives the round trip.
  const date = new Date(time);
  const exact =
    date.getUTCFullYear() === year && date.getUTCMonth() === month! - 1 && date.getUTCDate() === day &&
    date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
  return exact ? time : undefined;
}

function formatIsoBasic(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

function assertWithinClockSkew(amzDate: string, requestTime: number, now: Date, maxSkewMs: number): void {
  const earliest = now.getTime() - maxSkewMs;
  const latest = now.getTime() + maxSkewMs;
  if (requestTime >= earliest && requestTime <= latest) return;
  const nowText = formatIsoBasic(now);
  const skewText = `${maxSkewMs / 60000} min.`;
  if (requestTime < earliest) {
    throw invalidSignature(
      `Signature expired: ${amzDate} is now earlier than ${formatIsoBasic(new Date(earliest))} ` +
        `(${nowText} - ${skewText})`,
    );
  }
  if (requestTime > latest) {
    throw invalidSignature(
      `Signature not yet current: ${amzDate} is still later than ${formatIsoBasic(new Date(latest))} ` +
        `(${nowText} + ${skewText})`,
    );
  }
}

/** Removes `.`/`..`/empty segments (as both SDKs do before signing), then encodes once more. */
function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailingSlash = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.map((segment) => uriEncode(Buffer.from(segment, 'utf8'))).join('/')}${trailingSlash}`;
}

function canonicalQueryString(rawQuery: string): string {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const key = equals === -1 ? part : part.slice(0, equals);
    const value = equals === -1 ? '' : part.slice(equals + 1);
    pairs.push([uriEncode(percentDecode(key)), uriEncode(percentDecode(value))]);
  }
  pairs.sort(([keyA, valueA], [keyB, valueB]) =>
    keyA !== keyB ? compareAscii(keyA, keyB) : compareAscii(valueA, valueB),
  );
  return pairs.map(([key, value]) => `${key}=${value}`).join('&');
}

function queryHasParameter(rawQuery: string, name: string): boolean {
  return rawQuery
    .split('&')
    .some((part) => percentDecode(part.split('=', 1)[0] ?? '').toString('utf8') === name);
}

/** One `name:value\n` line per signed header, in the order the client listed them. */
function canonicalHeaders(
  headers: IncomingSignedRequest['headers'],
  signedHeaders: readonly string[],
): string {
  return signedHeaders
    .map((name) => `${name}:${(headerValue(headers, name.toLowerCase()) ?? '').replace(/\s+/g, ' ').trim()}\n`)
    .join('');
}

function headerValue(headers: IncomingSignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `%XX` → byte; everything else (including a `%` not followed by two hex digits) kept as is. */
function percentDecode(text: string): Buffer {
  const bytes: number[] = [];
  const raw = Buffer.from(text, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i] as number;
    if (byte === 0x25 && isHexByte(raw[i + 1]) && isHexByte(raw[i + 2])) {
      bytes.push(parseInt(String.fromCharCode(raw[i + 1] as number, raw[i + 2] as number), 16));
      i += 2;
    } else {
      bytes.push(byte);
    }
  }
  return Buffer.from(bytes);
}

function isHexByte(byte: number | undefined): boolean {
  return (
    byte !== undefined &&
    ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66))
  );
}

/** RFC 3986 encoding: unreserved bytes (A-Z a-z 0-9 - _ . ~) kept, every other byte as `%XX`. */
function uriEncode(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) {
    const unreserved =
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      (byte >= 0x30 && byte <= 0x39) ||
      byte === 0x2d ||
      byte === 0x5f ||
      byte === 0x2e ||
      byte === 0x7e;
    out += unreserved ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function hexEquals(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

const SIGNING_KEY_CACHE_LIMIT = 512;
/** Keyed by a digest of the secret plus the scope, so rotated secrets never hit a stale key. */
const signingKeyCache = new Map<string, Buffer>();

function signingKeyFor(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const secretDigest = createHash('sha256').update(secretAccessKey, 'utf8').digest('hex');
  const cacheKey = `${secretDigest}/${date}/${region}/${service}`;
  const cached = signingKeyCache.get(cacheKey);
  if (cached !== undefined) return cached;
  let key = createHmac('sha256', `AWS4${secretAccessKey}`).update(date, 'utf8').digest();
  for (const part of [region, service, TERMINATOR]) {
    key = createHmac('sha256', key).update(part, 'utf8').digest();
  }
  if (signingKeyCache.size >= SIGNING_KEY_CACHE_LIMIT) {
    const oldest = signingKeyCache.keys().next().value;
    if (oldest !== undefined) signingKeyCache.delete(oldest);
  }
  signingKeyCache.set(cacheKey, key);
  return key;
}

function incompleteSignature(message: string): AuthenticationError {
  return new AuthenticationError('IncompleteSignatureException', message);
}

function invalidSignature(message: string): AuthenticationError {
  return new AuthenticationError('InvalidSignatureException', message);
}
