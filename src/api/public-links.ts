import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { templatePath, verifySignedPath, objectPath } from '../operations/signed-urls.js';
import { objectStoreOf } from '../objects/stores.js';
import { ownerOfBucket } from '../operations/buckets.js';
import type { Resources } from '../resources.js';
import { findHumanTaskUi } from '../store/human-task-uis.js';

/** Lifetime of the external store's presigned URL a signed object link redirects to. */
const PRESIGNED_GET_TTL_SECONDS = 300;

type SignedQuery = { 'X-Tandem-Expires'?: string; 'X-Tandem-Signature'?: string };

/**
 * Links that need no AWS signature because the URL carries its own expiring signature:
 * DescribeHumanTaskUi's UiTemplate.Url and the objects `grant_read_access` hands to workers.
 */
export async function registerPublicLinks(app: FastifyInstance, { resources }: { resources: Resources }) {
  app.get<{ Params: { account: string; name: string }; Querystring: SignedQuery }>(
    '/templates/:account/:name',
    async (request, reply) => {
      const { account, name } = request.params;
      if (!verifySignedPath(resources, templatePath({ account_id: account, name }), request.query)) {
        return refuseLink(request, reply);
      }
      const row = await findHumanTaskUi(resources.store.db, account, name);
      if (!row) return reply.code(404).type('text/plain').send('Not found.');
      return reply.type('text/plain; charset=utf-8').header('cache-control', 'private, max-age=60').send(row.template);
    },
  );

  app.get<{ Params: { account: string; bucket: string; '*': string }; Querystring: SignedQuery }>(
    '/objects/:account/:bucket/*',
    async (request, reply) => {
      const { account, bucket } = request.params;
      const key = request.params['*'];
      if (!verifySignedPath(resources, objectPath(account, bucket, key), request.query)) {
        return refuseLink(request, reply);
      }
      // Ownership is checked now, not only when the link was made: a bucket that moved to another
      // account (TANDEM_BUCKETS) stops serving links granted to the old owner.
      if ((await ownerOfBucket(resources, bucket)) !== account) {
        return refuseLink(request, reply);
      }
      const store = objectStoreOf(resources);
      // An external store serves the bytes itself: the worker's browser is sent on to a URL
      // presigned now, after the ownership check, for a few minutes only.
      const presigned = await store.presignGet(bucket, key, PRESIGNED_GET_TTL_SECONDS);
      if (presigned !== undefined) return reply.code(302).header('location', presigned).header('cache-control', 'no-store').send();
      const object = await store.getObject(bucket, key);
      if (!object) return reply.code(404).type('text/plain').send('Not found.');
      return reply
        .type(object.contentType ?? 'application/octet-stream')
        .header('content-length', object.size)
        .header('cache-control', 'private, max-age=300')
        .header('x-content-type-options', 'nosniff')
        .send(object.body);
    },
  );
}

function refuseLink(request: FastifyRequest, reply: FastifyReply) {
  request.refusal = 'signed link invalid or expired';
  return reply.code(403).type('text/plain').send('This link is invalid or has expired.');
}
