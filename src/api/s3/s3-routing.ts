import type { IncomingMessage } from 'node:http';
import { S3Error } from './s3-errors.js';

/**
 * Tandem's S3 API shares the port with the JSON APIs, the portal and the console, whose paths
 * (`/`, `/human-loops`, `/console`…) are also valid S3 bucket paths. What tells an S3 request
 * apart is its signature: SigV4 credential scope `…/s3/aws4_request`, in the Authorization
 * header or (presigned URLs) in `X-Amz-Credential`. Those requests are rewritten under this
 * prefix before routing, so no other route can ever see them and no S3 path can reach another
 * route. The prefix is not a valid bucket name, so it cannot clash with a real one.
 */
export const S3_ROUTE_PREFIX = '/.s3';

const HEADER_SCOPE = /Credential=[^/\s,]+\/\d{8}\/[^/\s,]+\/s3\/aws4_request/;
const QUERY_SCOPE = /[?&]X-Amz-Credential=[^&]*(?:%2F|\/)s3(?:%2F|\/)aws4_request/i;
const SIGV2_QUERY = /[?&]AWSAccessKeyId=[^&]*&(?:.*&)?Signature=|[?&]Signature=[^&]*&(?:.*&)?AWSAccessKeyId=/;

/** True when the request is signed for service `s3` (header or presigned query). */
export function isS3Request(request: Pick<IncomingMessage, 'headers' | 'url'>): boolean {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') return HEADER_SCOPE.test(authorization);
  const url = request.url ?? '';
  // Presigned URLs; SigV2 ones too, so their users get S3's explanation rather than a 404 page.
  return url.includes('?') && (QUERY_SCOPE.test(url) || SIGV2_QUERY.test(url));
}

/** Fastify's `rewriteUrl`: S3 requests move under {@link S3_ROUTE_PREFIX}, others stay. */
export function rewriteS3Url(request: IncomingMessage): string {
  const url = request.url ?? '/';
  return isS3Request(request) ? S3_ROUTE_PREFIX + (url.startsWith('/') ? url : `/${url}`) : url;
}

export interface S3Address {
  /** undefined: the service itself (ListBuckets). */
  bucket: string | undefined;
  /** undefined: the bucket itself (CreateBucket, ListObjectsV2…). */
  key: string | undefined;
}

/**
 * Bucket and key from the path as sent: path style (`/bucket/key`), or virtual-host style
 * (`bucket.{public host}/key` or `bucket.localhost/key`). Keys keep every `/`, including a
 * leading one after the bucket; percent-escapes are decoded once, as S3 does.
 */
export function s3AddressOf(rawPath: string, host: string | undefined, publicHost: string): S3Address {
  const hostBucket = virtualHostBucket(host, publicHost);
  if (hostBucket !== undefined) {
    const key = rawPath.slice(1);
    return { bucket: hostBucket, key: key === '' ? undefined : decode(key) };
  }
  const path = rawPath.slice(1);
  if (path === '') return { bucket: undefined, key: undefined };
  const slash = path.indexOf('/');
  if (slash === -1) return { bucket: decode(path), key: undefined };
  const key = path.slice(slash + 1);
  return { bucket: decode(path.slice(0, slash)), key: key === '' ? undefined : decode(key) };
}

function virtualHostBucket(host: string | undefined, publicHost: string): string | undefined {
  if (!host) return undefined;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  for (const base of [publicHost.toLowerCase(), 'localhost']) {
    if (name.length > base.length + 1 && name.endsWith(`.${base}`)) return name.slice(0, -(base.length + 1));
  }
  return undefined;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new S3Error('InvalidArgument', 'The request path is not valid percent-encoded UTF-8.', { ArgumentName: 'path' });
  }
}
