import type { Readable } from 'node:stream';
import type { Context } from './s3-api.js';
import { sendXml } from './s3-api.js';
import { checkedBody, declaredLength } from './s3-body.js';
import { S3Error } from './s3-errors.js';
import * as multipart from './s3-multipart.js';
import { completeMultipartUploadXml, initiateMultipartUploadXml, listPartsXml } from './s3-xml.js';

/**
 * The multipart requests on an object: `POST ?uploads` (create), `PUT ?partNumber&uploadId`
 * (part), `POST ?uploadId` (complete), `DELETE ?uploadId` (abort), `GET ?uploadId` (list parts).
 */
export async function multipartOperation(context: Context, bucket: string, key: string) {
  const { resources, request, reply, caller, query } = context;
  const uploadId = query.get('uploadId');
  const method = request.method;
  if (method === 'POST' && query.has('uploads')) {
    const contentType = typeof request.headers['content-type'] === 'string' ? request.headers['content-type'] : 'binary/octet-stream';
    const id = await multipart.createMultipartUpload(resources, caller.accountId, bucket, key, contentType);
    return sendXml(reply, 200, initiateMultipartUploadXml(bucket, key, id));
  }
  if (uploadId === null) throw new S3Error('NotImplemented', "Tandem's S3 API does not implement reading or copying single parts (partNumber without uploadId).");
  const address = { bucket, key, uploadId };
  switch (method) {
    case 'PUT': {
      if (request.headers['x-amz-copy-source'] !== undefined) throw new S3Error('NotImplemented', "Tandem's S3 API does not implement UploadPartCopy.");
      const partNumber = multipart.partNumberOf(query.get('partNumber'));
      const limits = { maxBytes: Math.min(multipart.MAX_PART_BYTES, resources.config.s3MaxObjectBytes) };
      const size = declaredLength(request.headers, caller.payload, limits);
      const { etag } = await multipart.uploadPart(
        resources,
        caller.accountId,
        { ...address, partNumber },
        () => checkedBody(request.raw, request.headers, caller.payload, limits),
        size,
      );
      return reply.code(200).header('etag', etag).send();
    }
    case 'POST': {
      const body = await readSmallBody(checkedBody(request.raw, request.headers, caller.payload, { maxBytes: multipart.MAX_COMPLETE_BODY_BYTES }));
      const parts = multipart.parseCompleteBody(body);
      const { etag } = await multipart.completeMultipartUpload(resources, caller.accountId, address, parts);
      const location = `${resources.config.publicUrl}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
      return sendXml(reply, 200, completeMultipartUploadXml(location, bucket, key, etag));
    }
    case 'DELETE':
      await multipart.abortMultipartUpload(resources, caller.accountId, address);
      return reply.code(204).send();
    case 'GET': {
      const maxParts = Math.min(numberParameter(query, 'max-parts', 1000), 1000);
      const marker = numberParameter(query, 'part-number-marker', 0);
      const page = await multipart.listParts(resources, caller.accountId, address, { marker, maxParts });
      return sendXml(reply, 200, listPartsXml({ bucket, key, uploadId, marker, maxParts, ...page }, caller.accountId));
    }
    default:
      throw new S3Error('MethodNotAllowed', `The method ${method} is not allowed against a multipart upload.`);
  }
}

function numberParameter(query: URLSearchParams, name: string, fallback: number): number {
  const text = query.get(name);
  if (text === null) return fallback;
  if (!/^\d{1,9}$/.test(text)) throw new S3Error('InvalidArgument', `${name} must be a whole number.`, { ArgumentName: name });
  return Number(text);
}

async function readSmallBody(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
