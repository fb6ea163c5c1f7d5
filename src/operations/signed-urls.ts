import { timingSafeEqual } from 'node:crypto';
import type { Resources } from '../resources.js';
import type { HumanTaskUiRow } from '../store/schema.js';

/**
 * Short-lived, unguessable links to things Tandem serves without AWS credentials: a stored task
 * template (DescribeHumanTaskUi's UiTemplate.Url) and objects a template grants read access to.
 * Like S3 presigned URLs, the link itself is the credential, so it expires.
 */
const TEMPLATE_URL_TTL_SECONDS = 3600;
const OBJECT_URL_TTL_SECONDS = 3600;

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

export function objectPath(bucket: string, key: string): string {
  return `/objects/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The `grant_read_access` filter: an S3 URI becomes a signed link to the object in Tandem's
 * object directory; any other http(s) URL is returned unchanged.
 */
export function grantReadAccessFor(resources: Resources): (uri: string) => string {
  return (uri) => {
    const s3 = parseS3Uri(uri);
    if (s3) return signPath(resources, objectPath(s3.bucket, s3.key), OBJECT_URL_TTL_SECONDS);
    return /^https?:\/\//.test(uri) ? uri : '';
  };
}
