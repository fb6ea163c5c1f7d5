import type { ListPage } from './s3-operations.js';
import { escapeXml } from './s3-errors.js';

/** S3's response documents, in the namespace the SDKs' parsers expect. */
const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function listBucketsXml(accountId: string, buckets: Array<{ name: string; createdAt: number }>): string {
  const items = buckets
    .map((b) => `<Bucket><Name>${escapeXml(b.name)}</Name><CreationDate>${isoTime(b.createdAt)}</CreationDate></Bucket>`)
    .join('');
  return `${HEAD}<ListAllMyBucketsResult ${NS}><Owner><ID>${accountId}</ID><DisplayName>${accountId}</DisplayName></Owner><Buckets>${items}</Buckets></ListAllMyBucketsResult>`;
}

export interface ListEcho {
  bucket: string;
  prefix: string;
  delimiter: string | undefined;
  maxKeys: number;
  /** `url` when the request asked for encoding-type=url: keys and prefixes percent-encoded. */
  encodingType: 'url' | undefined;
}

/** Keys are text in XML; encoding-type=url lets clients receive keys XML 1.0 cannot carry. */
function encoder(echo: ListEcho): (text: string) => string {
  return echo.encodingType === 'url' ? (text) => escapeXml(encodeURIComponent(text).replace(/%2F/g, '/')) : escapeXml;
}

function contentsXml(page: ListPage, encode: (text: string) => string): string {
  const objects = page.objects
    .map(
      (o) =>
        `<Contents><Key>${encode(o.key)}</Key><LastModified>${isoTime(o.lastModified)}</LastModified><ETag>${escapeXml(o.etag)}</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  const prefixes = page.commonPrefixes.map((p) => `<CommonPrefixes><Prefix>${encode(p)}</Prefix></CommonPrefixes>`).join('');
  return objects + prefixes;
}

export function listObjectsV2Xml(
  echo: ListEcho,
  page: ListPage,
  tokens: { continuationToken: string | undefined; next: string | undefined; startAfter: string | undefined },
): string {
  const encode = encoder(echo);
  const parts = [
    `<Name>${escapeXml(echo.bucket)}</Name>`,
    `<Prefix>${encode(echo.prefix)}</Prefix>`,
    `<KeyCount>${page.objects.length + page.commonPrefixes.length}</KeyCount>`,
    `<MaxKeys>${echo.maxKeys}</MaxKeys>`,
    echo.delimiter !== undefined ? `<Delimiter>${encode(echo.delimiter)}</Delimiter>` : '',
    `<IsTruncated>${page.truncated}</IsTruncated>`,
    tokens.continuationToken !== undefined ? `<ContinuationToken>${escapeXml(tokens.continuationToken)}</ContinuationToken>` : '',
    tokens.next !== undefined ? `<NextContinuationToken>${escapeXml(tokens.next)}</NextContinuationToken>` : '',
    tokens.startAfter !== undefined ? `<StartAfter>${encode(tokens.startAfter)}</StartAfter>` : '',
    echo.encodingType ? '<EncodingType>url</EncodingType>' : '',
  ];
  return `${HEAD}<ListBucketResult ${NS}>${parts.join('')}${contentsXml(page, encode)}</ListBucketResult>`;
}

export function listObjectsV1Xml(echo: ListEcho, page: ListPage, marker: string): string {
  const encode = encoder(echo);
  const parts = [
    `<Name>${escapeXml(echo.bucket)}</Name>`,
    `<Prefix>${encode(echo.prefix)}</Prefix>`,
    `<Marker>${encode(marker)}</Marker>`,
    // S3 sends NextMarker only with a delimiter; without one, clients continue after the last key.
    page.truncated && echo.delimiter !== undefined && page.last !== undefined ? `<NextMarker>${encode(page.last)}</NextMarker>` : '',
    `<MaxKeys>${echo.maxKeys}</MaxKeys>`,
    echo.delimiter !== undefined ? `<Delimiter>${encode(echo.delimiter)}</Delimiter>` : '',
    `<IsTruncated>${page.truncated}</IsTruncated>`,
    echo.encodingType ? '<EncodingType>url</EncodingType>' : '',
  ];
  return `${HEAD}<ListBucketResult ${NS}>${parts.join('')}${contentsXml(page, encode)}</ListBucketResult>`;
}

export function copyObjectXml(etag: string, lastModified: number): string {
  return `${HEAD}<CopyObjectResult ${NS}><ETag>${escapeXml(etag)}</ETag><LastModified>${isoTime(lastModified)}</LastModified></CopyObjectResult>`;
}

export function locationXml(region: string): string {
  // us-east-1 is reported as an empty LocationConstraint, as S3 does.
  return `${HEAD}<LocationConstraint ${NS}>${region === 'us-east-1' ? '' : escapeXml(region)}</LocationConstraint>`;
}

export function initiateMultipartUploadXml(bucket: string, key: string, uploadId: string): string {
  return `${HEAD}<InitiateMultipartUploadResult ${NS}><Bucket>${escapeXml(bucket)}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${escapeXml(uploadId)}</UploadId></InitiateMultipartUploadResult>`;
}

export function completeMultipartUploadXml(location: string, bucket: string, key: string, etag: string): string {
  return (
    `${HEAD}<CompleteMultipartUploadResult ${NS}><Location>${escapeXml(location)}</Location><Bucket>${escapeXml(bucket)}</Bucket>` +
    `<Key>${escapeXml(key)}</Key><ETag>${escapeXml(etag)}</ETag></CompleteMultipartUploadResult>`
  );
}

export interface PartsPage {
  bucket: string;
  key: string;
  uploadId: string;
  marker: number;
  maxParts: number;
  parts: Array<{ partNumber: number; etag: string; size: number; lastModified: number }>;
  truncated: boolean;
}

export function listPartsXml(page: PartsPage, owner: string): string {
  const parts = page.parts
    .map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><LastModified>${isoTime(p.lastModified)}</LastModified><ETag>${escapeXml(p.etag)}</ETag><Size>${p.size}</Size></Part>`)
    .join('');
  const next = page.parts.at(-1)?.partNumber ?? page.marker;
  return (
    `${HEAD}<ListPartsResult ${NS}><Bucket>${escapeXml(page.bucket)}</Bucket><Key>${escapeXml(page.key)}</Key><UploadId>${escapeXml(page.uploadId)}</UploadId>` +
    `<Initiator><ID>${owner}</ID><DisplayName>${owner}</DisplayName></Initiator><Owner><ID>${owner}</ID><DisplayName>${owner}</DisplayName></Owner>` +
    `<StorageClass>STANDARD</StorageClass><PartNumberMarker>${page.marker}</PartNumberMarker><NextPartNumberMarker>${next}</NextPartNumberMarker>` +
    `<MaxParts>${page.maxParts}</MaxParts><IsTruncated>${page.truncated}</IsTruncated>${parts}</ListPartsResult>`
  );
}
