import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ByteRange, ObjectInfo } from '../../objects/object-store.js';
import { objectStoreOf } from '../../objects/stores.js';
import type { Resources } from '../../resources.js';
import { makeKeyLookup } from '../../security/access-keys.js';
import { authenticateS3, type S3Caller } from './s3-auth.js';
import { checkedBody, declaredLength } from './s3-body.js';
import { errorXml, isS3Error, S3Error } from './s3-errors.js';
import { multipartOperation } from './s3-multipart-routes.js';
import * as ops from './s3-operations.js';
import { s3AddressOf, S3_ROUTE_PREFIX } from './s3-routing.js';
import { copyObjectXml, listBucketsXml, listObjectsV1Xml, listObjectsV2Xml, locationXml, type ListEcho } from './s3-xml.js';

declare module 'fastify' {
  interface FastifyRequest {
    s3Caller?: S3Caller;
  }
}

/** ListObjects returns at most this many keys per page, as S3 does. */
const MAX_KEYS = 1000;
/**
 * Headers every object response carries: objects are user-supplied bytes served from Tandem's own
 * origin (where the console and portal keep their sessions), so a browser must never run them as
 * a page of that origin, whatever Content-Type the uploader chose.
 */
const OBJECT_SAFETY_HEADERS = {
  'content-security-policy': "default-src 'none'; sandbox",
  'x-content-type-options': 'nosniff',
};
/** Sub-resources of S3 that Tandem does not implement: answered NotImplemented, never served as objects. */
const UNSUPPORTED_SUBRESOURCES = [
  'acl', 'tagging', 'versioning', 'versions', 'versionId', 'policy', 'cors', 'lifecycle',
  'website', 'logging', 'notification', 'replication', 'encryption', 'delete', 'restore', 'select', 'torrent', 'attributes',
  'retention', 'legal-hold', 'object-lock', 'accelerate', 'requestPayment', 'analytics', 'inventory', 'metrics', 'ownershipControls',
  'publicAccessBlock', 'intelligent-tiering',
];

/** Query parameters that make an object request a multipart one (s3-multipart-routes.ts). */
const MULTIPART_PARAMETERS = ['uploads', 'uploadId', 'partNumber'];

/**
 * Tandem's S3 REST API (path and virtual-host style) for the embedded or external store: the
 * operations A2I users' code calls to upload inputs and read output.json, SigV4-verified for
 * service `s3` and scoped to the caller's account. Requests reach this plugin only through the
 * rewrite in s3-routing.ts. Bodies are streamed, never buffered whole.
 */
export async function registerS3Api(app: FastifyInstance, { resources }: { resources: Resources }) {
  // Bodies stay unread until the signature is verified, then stream to the store (s3-body.ts).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  app.decorateRequest('s3Caller', undefined);
  const lookup = makeKeyLookup(resources);
  const publicHost = new URL(resources.config.publicUrl).hostname;

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-amz-request-id', request.id);
  });
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new S3Error('MethodNotAllowed', `The method ${request.method.slice(0, 10)} is not allowed against this resource.`)),
  );

  app.route({
    method: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
    url: '/*',
    exposeHeadRoute: false,
    handler: async (request, reply) => {
      const original = (request.raw as { originalUrl?: string }).originalUrl ?? request.raw.url ?? '/';
      const url = original.startsWith(S3_ROUTE_PREFIX) ? original.slice(S3_ROUTE_PREFIX.length) : original;
      const at = url.indexOf('?');
      const rawPath = at === -1 ? url : url.slice(0, at);
      const rawQuery = at === -1 ? '' : url.slice(at + 1);
      const caller = await authenticateS3(resources, lookup, { method: request.method, rawPath, rawQuery, headers: request.headers });
      request.s3Caller = caller;
      const query = new URLSearchParams(rawQuery);
      const { bucket, key } = s3AddressOf(rawPath, request.headers.host, publicHost);
      const unsupported = UNSUPPORTED_SUBRESOURCES.find((name) => query.has(name));
      if (unsupported) throw new S3Error('NotImplemented', `Tandem's S3 API does not implement the '${unsupported}' sub-resource.`);
      const context: Context = { resources, request, reply, caller, query };
      if (bucket === undefined) {
        if (request.method !== 'GET') throw new S3Error('MethodNotAllowed', 'Only ListBuckets (GET /) is allowed on the service.');
        return listBuckets(context);
      }
      if (key === undefined) {
        if (query.has('uploads')) throw new S3Error('NotImplemented', "Tandem's S3 API does not implement ListMultipartUploads.");
        return bucketOperation(context, bucket);
      }
      if (MULTIPART_PARAMETERS.some((name) => query.has(name))) return multipartOperation(context, bucket, key);
      return objectOperation(context, bucket, key);
    },
  });
}

export interface Context {
  resources: Resources;
  request: FastifyRequest;
  reply: FastifyReply;
  caller: S3Caller;
  query: URLSearchParams;
}

async function listBuckets({ resources, reply, caller }: Context) {
  const buckets = await ops.listBuckets(resources, caller.accountId);
  return sendXml(reply, 200, listBucketsXml(caller.accountId, buckets));
}

async function bucketOperation(context: Context, bucket: string) {
  const { resources, request, reply, caller, query } = context;
  switch (request.method) {
    case 'PUT':
      await ops.createBucket(resources, caller.accountId, bucket);
      return reply.code(200).header('location', `/${bucket}`).send();
    case 'HEAD':
      await ops.requireOwnBucket(resources, caller.accountId, bucket);
      return reply.code(200).header('x-amz-bucket-region', resources.config.region).send();
    case 'DELETE':
      await ops.deleteBucket(resources, caller.accountId, bucket);
      return reply.code(204).send();
    case 'GET':
      if (query.has('location')) {
        await ops.requireOwnBucket(resources, caller.accountId, bucket);
        return sendXml(reply, 200, locationXml(resources.config.region));
      }
      return listObjects(context, bucket);
    default:
      throw new S3Error('MethodNotAllowed', `The method ${request.method} is not allowed against a bucket.`);
  }
}

async function listObjects({ resources, reply, caller, query }: Context, bucket: string) {
  const maxKeysText = query.get('max-keys');
  const maxKeys = maxKeysText === null ? MAX_KEYS : Number(maxKeysText);
  if (!/^\d{1,10}$/.test(maxKeysText ?? '0')) throw new S3Error('InvalidArgument', 'Provided max-keys not an integer or within integer range', { ArgumentName: 'max-keys' });
  const encodingType = query.get('encoding-type');
  if (encodingType !== null && encodingType !== 'url') throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', { ArgumentName: 'encoding-type' });
  const echo: ListEcho = {
    bucket,
    prefix: query.get('prefix') ?? '',
    delimiter: query.get('delimiter') || undefined,
    maxKeys: Math.min(maxKeys, MAX_KEYS),
    encodingType: encodingType === 'url' ? 'url' : undefined,
  };
  const v2 = query.get('list-type') === '2';
  const continuationToken = v2 ? (query.get('continuation-token') ?? undefined) : undefined;
  const startAfter = v2 ? (query.get('start-after') ?? undefined) : (query.get('marker') ?? undefined);
  const after = continuationToken !== undefined ? decodeToken(continuationToken) : startAfter || undefined;
  const page = await ops.listObjects(resources, caller.accountId, bucket, { prefix: echo.prefix, delimiter: echo.delimiter, maxKeys: echo.maxKeys, after });
  if (!v2) return sendXml(reply, 200, listObjectsV1Xml(echo, page, query.get('marker') ?? ''));
  const next = page.truncated && page.last !== undefined ? encodeToken(page.last) : undefined;
  return sendXml(reply, 200, listObjectsV2Xml(echo, page, { continuationToken, next, startAfter }));
}

/** Continuation tokens are opaque to clients: the last key or common prefix of the page. */
function encodeToken(last: string): string {
  return Buffer.from(`v1:${last}`, 'utf8').toString('base64url');
}

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith('v1:') || text.length < 4) throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
  return text.slice(3);
}

async function objectOperation(context: Context, bucket: string, key: string) {
  const { resources, request, reply, caller } = context;
  switch (request.method) {
    case 'GET':
    case 'HEAD':
      return getObject(context, bucket, key);
    case 'PUT': {
      const copySource = request.headers['x-amz-copy-source'];
      if (typeof copySource === 'string') return copyObject(context, bucket, key, copySource);
      const size = declaredLength(request.headers, caller.payload, { maxBytes: resources.config.s3MaxObjectBytes });
      const contentType = typeof request.headers['content-type'] === 'string' ? request.headers['content-type'] : 'binary/octet-stream';
      const { etag } = await ops.putObject(
        resources,
        caller.accountId,
        bucket,
        key,
        () => checkedBody(request.raw, request.headers, caller.payload, { maxBytes: resources.config.s3MaxObjectBytes }),
        { contentType, size },
      );
      return reply.code(200).header('etag', etag).send();
    }
    case 'DELETE':
      await ops.deleteObject(resources, caller.accountId, bucket, key);
      return reply.code(204).send();
    default:
      throw new S3Error('MethodNotAllowed', `The method ${request.method} is not allowed against an object.`);
  }
}

async function getObject({ resources, request, reply, caller, query }: Context, bucket: string, key: string) {
  const head = request.method === 'HEAD';
  const info = await ops.headObject(resources, caller.accountId, bucket, key);
  const notModified = checkPreconditions(request, info);
  if (notModified) return reply.code(304).header('etag', info.etag).header('last-modified', new Date(info.lastModified).toUTCString()).send();
  const range = rangeOf(request.headers.range, info.size);
  reply
    .headers(OBJECT_SAFETY_HEADERS)
    .header('etag', info.etag)
    .header('last-modified', new Date(info.lastModified).toUTCString())
    .header('accept-ranges', 'bytes')
    .header('content-type', query.get('response-content-type') ?? info.contentType ?? 'binary/octet-stream');
  for (const name of ['content-disposition', 'cache-control', 'content-language', 'expires', 'content-encoding'] as const) {
    const override = query.get(`response-${name}`);
    if (override !== null) reply.header(name, override);
  }
  if (range) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${info.size}`);
  const length = range ? range.end - range.start + 1 : info.size;
  reply.header('content-length', length);
  if (head) return reply.send();
  const object = await ops.getObject(resources, caller.accountId, bucket, key, range);
  // The object may have been replaced between the two reads: the body must match the headers.
  if (object.etag !== info.etag) {
    object.body.destroy();
    throw new S3Error('PreconditionFailed', 'The object changed while it was being read; try again.');
  }
  return reply.send(object.body);
}

/** If-Match / If-Unmodified-Since fail with 412; If-None-Match / If-Modified-Since give 304 (true). */
function checkPreconditions(request: FastifyRequest, info: ObjectInfo): boolean {
  const ifMatch = request.headers['if-match'];
  if (typeof ifMatch === 'string' && !etagListMatches(ifMatch, info.etag)) {
    throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-Match' });
  }
  const ifUnmodified = Date.parse(request.headers['if-unmodified-since'] ?? '');
  if (ifMatch === undefined && !Number.isNaN(ifUnmodified) && Math.floor(info.lastModified / 1000) * 1000 > ifUnmodified) {
    throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-Unmodified-Since' });
  }
  const ifNoneMatch = request.headers['if-none-match'];
  if (typeof ifNoneMatch === 'string') return etagListMatches(ifNoneMatch, info.etag);
  const ifModified = Date.parse(request.headers['if-modified-since'] ?? '');
  return !Number.isNaN(ifModified) && Math.floor(info.lastModified / 1000) * 1000 <= ifModified;
}

function etagListMatches(list: string, etag: string): boolean {
  return list.split(',').some((item) => {
    const tag = item.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag || `"${tag}"` === etag;
  });
}

/**
 * One `bytes=` range, as S3 serves: `a-b`, `a-` or `-n`. A header that is not one range is
 * ignored (the whole object is sent), as HTTP allows; a range past the end is InvalidRange.
 */
export function rangeOf(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d{0,16})-(\d{0,16})$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const unsatisfiable = () => new S3Error('InvalidRange', 'The requested range is not satisfiable', { RangeRequested: header.slice(0, 80), ActualObjectSize: String(size) });
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) throw unsatisfiable();
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[2] !== '' && Number(match[2]) < start) return undefined;
  if (start >= size) throw unsatisfiable();
  return { start, end };
}

/** CopyObject within and across the caller's own buckets; the source bucket must be the caller's too. */
async function copyObject({ resources, reply, caller }: Context, bucket: string, key: string, copySource: string) {
  const decoded = safeDecode(copySource.split('?')[0] ?? '').replace(/^\//, '');
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw new S3Error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', { ArgumentName: 'x-amz-copy-source' });
  }
  const source = await ops.getObject(resources, caller.accountId, decoded.slice(0, slash), decoded.slice(slash + 1), undefined);
  const { etag } = await ops.putObject(resources, caller.accountId, bucket, key, () => source.body, { contentType: source.contentType, size: source.size });
  const stored = await objectStoreOf(resources).headObject(bucket, key);
  return sendXml(reply, 200, copyObjectXml(etag, stored?.lastModified ?? resources.clock.now()));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new S3Error('InvalidArgument', 'x-amz-copy-source is not valid percent-encoded UTF-8.', { ArgumentName: 'x-amz-copy-source' });
  }
}

export function sendXml(reply: FastifyReply, status: number, xml: string) {
  return reply.code(status).header('content-type', 'application/xml').send(Buffer.from(xml, 'utf8'));
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const s3 = isS3Error(error) ? error : ops.storeErrorToS3(error);
  const known = isS3Error(s3) ? s3 : new S3Error('InternalError', 'We encountered an internal error. Please try again.');
  if (!isS3Error(s3)) request.log.error({ err: error }, 'S3 request failed');
  else request.log.debug({ code: known.code, message: known.message }, 'S3 client error');
  reply.code(known.status).header('x-amz-request-id', request.id);
  // A refused upload may still be arriving: closing the connection spares reading it all.
  if (request.method === 'PUT' || request.method === 'POST') reply.header('connection', 'close');
  if (request.method === 'HEAD') return reply.send();
  return reply.header('content-type', 'application/xml').send(Buffer.from(errorXml(known, request.id), 'utf8'));
}
