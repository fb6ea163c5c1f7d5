import type { Resources } from '../../resources.js';
import { AuthenticationError } from '../aws/errors.js';
import {
  formatIsoBasic,
  parseIsoBasic,
  sha256Hex,
  signatureOf,
  signaturesEqual,
  verifySigV4,
  type IncomingSignedRequest,
  type SigningKeyLookup,
} from '../aws/sigv4.js';
import { canonicalHeaders, canonicalQueryString, headerValue, parseSignedHeaders, s3CanonicalUri } from '../aws/sigv4-canonical.js';
import { S3Error } from './s3-errors.js';

/**
 * How the request body is vouched for: S3 signs `x-amz-content-sha256` instead of the body, so
 * the body is checked against it as it streams in (s3-body.ts), never trusted unread.
 */
export type PayloadMode =
  | { kind: 'sha256'; hex: string }
  | { kind: 'unsigned' }
  /** `Content-Encoding: aws-chunked` framing without chunk signatures, checksum in a trailer. */
  | { kind: 'chunked-unsigned' };

export interface S3Caller {
  accountId: string;
  accessKeyId: string;
  payload: PayloadMode;
}

const PRESIGNED_MAX_EXPIRES_SECONDS = 604_800;
const FUTURE_SKEW_MS = 15 * 60 * 1000;

/**
 * Verifies an S3 request signed with SigV4, in the Authorization header (what the SDKs send) or
 * in the query string (presigned URLs), and says whose it is. Failures are S3's errors.
 */
export async function authenticateS3(
  resources: Resources,
  lookup: SigningKeyLookup,
  request: Omit<IncomingSignedRequest, 'body'>,
): Promise<S3Caller> {
  const query = new URLSearchParams(request.rawQuery);
  if (query.has('X-Amz-Credential') || query.has('X-Amz-Algorithm')) return verifyPresigned(resources, lookup, request, query);
  if (query.has('AWSAccessKeyId') && query.has('Signature')) {
    throw new S3Error(
      'InvalidRequest',
      "Presigned URLs must use Signature Version 4. boto3: Config(signature_version='s3v4'); other SDKs use it by default.",
    );
  }
  const authorization = headerValue(request.headers, 'authorization');
  if (authorization === undefined) throw new S3Error('AccessDenied', 'Anonymous access is not allowed: sign the request with an access key.');
  if (!authorization.startsWith('AWS4-HMAC-SHA256')) {
    throw new S3Error('InvalidRequest', 'Only AWS Signature Version 4 (AWS4-HMAC-SHA256) is supported.');
  }
  const declared = headerValue(request.headers, 'x-amz-content-sha256')?.trim();
  if (declared === undefined) throw new S3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  const payload = payloadModeOf(declared, headerValue(request.headers, 'content-encoding'));
  let verified;
  try {
    verified = await verifySigV4({ ...request, body: EMPTY }, lookup, new Date(resources.clock.now()), { s3: true });
  } catch (error) {
    throw error instanceof AuthenticationError ? fromAuthenticationError(error) : error;
  }
  checkScope(resources, verified.region, verified.service);
  return { accountId: verified.accountId, accessKeyId: verified.accessKeyId, payload };
}

const EMPTY = Buffer.alloc(0);

function payloadModeOf(declared: string, contentEncoding: string | undefined): PayloadMode {
  if (/^[0-9a-f]{64}$/.test(declared)) return { kind: 'sha256', hex: declared };
  if (declared === 'UNSIGNED-PAYLOAD') return { kind: 'unsigned' };
  if (declared === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') {
    if (!contentEncoding?.split(',').some((part) => part.trim() === 'aws-chunked')) {
      throw new S3Error('InvalidRequest', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER needs Content-Encoding: aws-chunked.');
    }
    return { kind: 'chunked-unsigned' };
  }
  if (declared.startsWith('STREAMING-')) {
    throw new S3Error('NotImplemented', `x-amz-content-sha256 '${declared.slice(0, 64)}' (signed chunks) is not supported; send UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER or the body's SHA-256.`);
  }
  throw new S3Error('InvalidArgument', 'x-amz-content-sha256 must be the hex SHA-256 of the body, UNSIGNED-PAYLOAD or STREAMING-UNSIGNED-PAYLOAD-TRAILER.', {
    ArgumentName: 'x-amz-content-sha256',
  });
}

function checkScope(resources: Resources, region: string, service: string): void {
  if (service !== 's3') {
    throw new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; the service '${service.slice(0, 40)}' is wrong; expecting 's3'.`);
  }
  if (region !== resources.config.region) {
    throw new S3Error(
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the region '${region.slice(0, 40)}' is wrong; expecting '${resources.config.region}'.`,
      { Region: resources.config.region },
    );
  }
}

/** The four SigV4 failures in S3's words: S3 names them differently from the JSON services. */
function fromAuthenticationError(error: AuthenticationError): S3Error {
  switch (error.code) {
    case 'MissingAuthenticationTokenException':
      return new S3Error('AccessDenied', error.message);
    case 'IncompleteSignatureException':
      return new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${error.message}`);
    case 'UnrecognizedClientException':
      return new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    case 'InvalidSignatureException':
      if (/^Signature (expired|not yet current)/.test(error.message)) {
        return new S3Error('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
      }
      if (error.message.startsWith('The request signature')) {
        return new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
      }
      return new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${error.message}`);
  }
}

/**
 * The query-string form: every `X-Amz-*` parameter but the signature is signed, the payload is
 * `UNSIGNED-PAYLOAD`, and the URL expires `X-Amz-Expires` seconds after `X-Amz-Date`.
 */
async function verifyPresigned(
  resources: Resources,
  lookup: SigningKeyLookup,
  request: Omit<IncomingSignedRequest, 'body'>,
  query: URLSearchParams,
): Promise<S3Caller> {
  const required = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'];
  const missing = required.filter((name) => !query.get(name));
  if (missing.length > 0) {
    throw new S3Error('AuthorizationQueryParametersError', `Query-string authentication requires ${missing.join(', ')}.`);
  }
  const get = (name: string) => query.get(name) ?? '';
  if (get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') {
    throw new S3Error('AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256".');
  }
  const amzDate = get('X-Amz-Date');
  const signedAt = parseIsoBasic(amzDate);
  if (signedAt === undefined) throw new S3Error('AuthorizationQueryParametersError', "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\".");
  const expires = Number(get('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 1 || expires > PRESIGNED_MAX_EXPIRES_SECONDS) {
    throw new S3Error('AuthorizationQueryParametersError', `X-Amz-Expires must be a whole number of seconds from 1 to ${PRESIGNED_MAX_EXPIRES_SECONDS}.`);
  }
  const now = resources.clock.now();
  if (now > signedAt + expires * 1000) throw new S3Error('AccessDenied', 'Request has expired', { Expires: new Date(signedAt + expires * 1000).toISOString(), ServerTime: new Date(now).toISOString() });
  if (signedAt > now + FUTURE_SKEW_MS) throw new S3Error('AccessDenied', `Request is not valid yet: signed for ${amzDate}, now ${formatIsoBasic(new Date(now))}.`);
  const scope = get('X-Amz-Credential').split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request' || scope[1] !== amzDate.slice(0, 8)) {
    throw new S3Error('AuthorizationQueryParametersError', "X-Amz-Credential must be 'key/YYYYMMDD/region/s3/aws4_request' with the date of X-Amz-Date.");
  }
  const [accessKeyId, date, region, service] = scope as [string, string, string, string, string];
  checkScope(resources, region, service);
  if (query.has('X-Amz-Security-Token')) throw new S3Error('InvalidAccessKeyId', 'Tandem issues long-term access keys only; a session token cannot belong to one.');
  const signedHeaderList = get('X-Amz-SignedHeaders');
  const signedHeaders = parseSignedHeaders(signedHeaderList);
  if (!signedHeaders.coversHost) throw new S3Error('AuthorizationQueryParametersError', "'host' must be a signed header.");

  const identity = await lookup(accessKeyId);
  if (!identity) throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  const unsignedQuery = request.rawQuery
    .split('&')
    .filter((part) => decodeURIComponentSafe(part.split('=', 1)[0] ?? '') !== 'X-Amz-Signature')
    .join('&');
  const canonicalRequest = [
    request.method,
    s3CanonicalUri(request.rawPath),
    canonicalQueryString(unsignedQuery),
    canonicalHeaders(request.headers, signedHeaders),
    signedHeaderList,
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, `${date}/${region}/${service}/aws4_request`, sha256Hex(canonicalRequest)].join('\n');
  const expected = signatureOf(identity.secretAccessKey, [accessKeyId, date, region, service], stringToSign);
  if (!signaturesEqual(expected, get('X-Amz-Signature'))) {
    throw new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  }
  return { accountId: identity.accountId, accessKeyId, payload: { kind: 'unsigned' } };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
