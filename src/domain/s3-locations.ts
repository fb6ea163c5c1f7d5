/**
 * The rules an S3 location must follow before Tandem stores anything there, shared by
 * CreateFlowDefinition (S3OutputPath) and the output writer, so a path accepted at creation is
 * never refused when the loop completes. Pure: no I/O.
 *
 * Sources: S3's bucket naming rules (3–63 characters of lower-case letters, digits, `.` and `-`,
 * starting and ending with a letter or digit, not an IP address, no `..`, no `xn--` prefix or
 * `-s3alias` suffix) and its 1,024-byte limit on object keys. On top of S3, keys must be usable as
 * relative file paths by the embedded store: no empty, `.` or `..` segments, no control
 * characters, and at most 255 bytes per segment (the usual filesystem name limit).
 */

/** S3's limit on an object key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;
/** The longest file name most filesystems store (ext4, XFS, APFS). */
export const MAX_SEGMENT_BYTES = 255;
/** Human loop names are at most 63 characters of `[a-z0-9-]`, so 63 bytes. */
const MAX_HUMAN_LOOP_NAME_BYTES = 63;
/** `/YYYY/MM/DD/hh/mm/ss/` between the flow definition's name and the loop's. */
const DATE_SEGMENTS_BYTES = '/2026/01/01/00/00/00/'.length;
const OUTPUT_FILE = '/output.json';

export interface S3Location {
  bucket: string;
  key: string;
}

/** Why a bucket name is not one S3 would accept, or undefined when it is fine. */
export function bucketNameProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63) return `bucket name '${printable(bucket)}' must be 3 to 63 characters long`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket)) {
    return `bucket name '${printable(bucket)}' may contain only lower-case letters, digits, '.' and '-', and must start and end with a letter or digit`;
  }
  if (bucket.includes('..')) return `bucket name '${bucket}' must not contain two adjacent periods`;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(bucket)) return `bucket name '${bucket}' must not look like an IP address`;
  if (bucket.startsWith('xn--') || bucket.endsWith('-s3alias') || bucket.endsWith('--ol-s3')) {
    return `bucket name '${bucket}' uses a prefix or suffix S3 reserves`;
  }
  return undefined;
}

/**
 * Why an object key cannot be stored, or undefined. `allowTrailingSlash` admits the prefix form
 * (`reviews/`) an S3OutputPath may end with; a stored key must name a file.
 */
export function objectKeyProblem(key: string, options: { allowTrailingSlash?: boolean } = {}): string | undefined {
  if (key === '') return 'the object key is empty';
  if (/\p{Cc}/u.test(key)) return 'the object key contains a control character';
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `the object key is longer than ${MAX_KEY_BYTES} bytes`;
  const body = options.allowTrailingSlash ? key.replace(/\/$/, '') : key;
  for (const segment of body.split('/')) {
    if (segment === '') return `the object key '${printable(key)}' has an empty path segment ('//', or a leading or trailing '/')`;
    if (segment === '.' || segment === '..') return `the object key '${printable(key)}' has a '${segment}' path segment`;
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) {
      return `a path segment of the object key is longer than ${MAX_SEGMENT_BYTES} bytes`;
    }
  }
  return undefined;
}

/** `s3://bucket/key` split, or undefined when it is not that shape. The key may be ''. */
export function splitS3Uri(uri: string): S3Location | undefined {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/s.exec(uri);
  if (!match) return undefined;
  return { bucket: match[1]!, key: match[2] ?? '' };
}

/**
 * Why an S3OutputPath cannot hold the output of flow definition `flowDefinitionName`, or
 * undefined. The check covers the longest key the writer will ever build from it
 * (`{prefix}/{flow}/YYYY/MM/DD/hh/mm/ss/{63-character loop name}/output.json`).
 */
export function outputPathProblem(s3OutputPath: string, flowDefinitionName: string): string | undefined {
  const location = splitS3Uri(s3OutputPath);
  if (!location) return 'it must be an s3://bucket/prefix URI';
  const bucketProblem = bucketNameProblem(location.bucket);
  if (bucketProblem) return bucketProblem;
  const prefix = location.key;
  if (prefix !== '') {
    const problem = objectKeyProblem(prefix, { allowTrailingSlash: true });
    if (problem) return problem;
  }
  const prefixBytes = Buffer.byteLength(prefix.replace(/\/$/, ''), 'utf8');
  const longest =
    (prefixBytes > 0 ? prefixBytes + 1 : 0) +
    Buffer.byteLength(flowDefinitionName, 'utf8') +
    DATE_SEGMENTS_BYTES +
    MAX_HUMAN_LOOP_NAME_BYTES +
    OUTPUT_FILE.length;
  if (longest > MAX_KEY_BYTES) {
    return `the output keys built from it (prefix, flow definition name, date, human loop name, /output.json) can reach ${longest} bytes, over S3's ${MAX_KEY_BYTES}-byte key limit`;
  }
  return undefined;
}

/** Why a complete `s3://bucket/key` the writer is about to store is unusable, or undefined. */
export function outputUriProblem(uri: string): string | undefined {
  const location = splitS3Uri(uri);
  if (!location) return `'${printable(uri)}' is not an s3://bucket/key URI`;
  return bucketNameProblem(location.bucket) ?? objectKeyProblem(location.key);
}

/** Control characters shown as `\uXXXX`, and long text shortened, for messages and logs. */
export function printable(text: string): string {
  const shown = text.length > 120 ? `${text.slice(0, 117)}...` : text;
  return shown.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
