import { timingSafeEqual } from 'node:crypto';
import type { Resources } from '../resources.js';
import type { HumanTaskUiRow } from '../store/schema.js';
import { ReadAccessDeniedError } from '../templates/read-access-denied.js';
import { bucketsReadableBy } from './buckets.js';

/**
 * Short-lived, unguessable links to things Tandem serves without AWS credentials: a stored task
 * template (DescribeHumanTaskUi's UiTemplate.Url) and objects a template grants read access to.
 * Like S3 presigned URLs, the link itself is the credential, so it expires.
 */
const TEMPLATE_URL_TTL_SECONDS = 3600;
/**
 * Object links are short-lived: a worker's frame is rendered (and its links signed) each time the
 * task is opened, so a link only has to outlive the page load and an image's lazy fetch.
 */
export const OBJECT_URL_TTL_SECONDS = 900;

export function signPath(resources: Resources, path: string, ttlSeconds: number): string {
  const expires = Math.floor(resources.clock.now() / 1000) + ttlSeconds;
  const signature = signatureOf(resources, path, expires);
  return `${resources.config.publicUrl}${path}?X-Tandem-Expires=${expires}&X-Tandem-Signature=${signature}`;
}

/** True when the query carries an unexpired signature for exactly this path. */
export function verifySignedPath(
  resources: Resources,
  path: string,
  query: { 'X-Tandem-Expires'?: string | undefined; 'X-Tandem-Signature'?: string | undefined },
): boolean {
  const expires = Number(query['X-Tandem-Expires']);
  const given = query['X-Tandem-Signature'];
  if (!Number.isInteger(expires) || !given) return false;
  if (expires * 1000 < resources.clock.now()) return false;
  const expected = Buffer.from(signatureOf(resources, path, expires));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function signatureOf(resources: Resources, path: string, expires: number): string {
  return resources.secrets.mac(`url\n${path}\n${expires}`).toString('base64url');
}

export function templatePath(row: Pick<HumanTaskUiRow, 'account_id' | 'name'>): string {
  return `/templates/${row.account_id}/${encodeURIComponent(row.name)}`;
}

export function signTemplateUrl(resources: Resources, row: Pick<HumanTaskUiRow, 'account_id' | 'name'>): string {
  return signPath(resources, templatePath(row), TEMPLATE_URL_TTL_SECONDS);
}

/** `s3://bucket/key` and the path- and virtual-host-style S3 URLs A2I templates use. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const patterns = [
    /^s3:\/\/([^/]+)\/(.+)$/,
    /^https?:\/\/s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com\/([^/]+)\/(.+)$/,
    /^https?:\/\/([^/]+?)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com\/(.+)$/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(uri.trim());
    if (match) return { bucket: match[1]!, key: decodeURIComponent(match[2]!) };
  }
  return undefined;
}

/**
 * The link path names the account the link was granted to, and the signature covers the whole
 * path: a link is bound to one object of one account, and is refused once that account no
 * longer owns the bucket.
 */
export function objectPath(accountId: string, bucket: string, key: string): string {
  return `/objects/${accountId}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The `grant_read_access` filter for a render on behalf of `accountId`: an S3 URI in one of
 * `readableBuckets` becomes a short-lived signed link to the object; one in any other bucket
 * throws {@link ReadAccessDeniedError}, which fails the render; any other http(s) URL is returned
 * unchanged. The bucket set is read before rendering (see bucketsReadableBy), because Liquid
 * filters run synchronously.
 */
export function grantReadAccessFor(
  resources: Resources,
  accountId: string,
  readableBuckets: ReadonlySet<string>,
): (uri: string) => string {
  return (uri) => {
    const s3 = parseS3Uri(uri);
    if (s3) {
      if (!readableBuckets.has(s3.bucket)) throw new ReadAccessDeniedError(s3.bucket);
      return signPath(resources, objectPath(accountId, s3.bucket, s3.key), OBJECT_URL_TTL_SECONDS);
    }
    return /^https?:\/\//.test(uri) ? uri : '';
  };
}

/** grantReadAccessFor with the account's readable buckets looked up now. */
export async function grantReadAccessForAccount(resources: Resources, accountId: string): Promise<(uri: string) => string> {
  return grantReadAccessFor(resources, accountId, await bucketsReadableBy(resources, accountId));
}
