import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { templatePath, verifySignedPath, objectPath } from '../operations/signed-urls.js';
import type { Resources } from '../resources.js';
import { findHumanTaskUi } from '../store/human-task-uis.js';

type SignedQuery = { 'X-Tandem-Expires'?: string; 'X-Tandem-Signature'?: string };

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

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
        return reply.code(403).type('text/plain').send('This link is invalid or has expired.');
      }
      const row = await findHumanTaskUi(resources.store.db, account, name);
      if (!row) return reply.code(404).type('text/plain').send('Not found.');
      return reply.type('text/plain; charset=utf-8').header('cache-control', 'private, max-age=60').send(row.template);
    },
  );

  app.get<{ Params: { bucket: string; '*': string }; Querystring: SignedQuery }>(
    '/objects/:bucket/*',
    async (request, reply) => {
      const { bucket } = request.params;
      const key = request.params['*'];
      if (!verifySignedPath(resources, objectPath(bucket, key), request.query)) {
        return reply.code(403).type('text/plain').send('This link is invalid or has expired.');
      }
      const root = resolve(resources.config.outputDir);
      const file = resolve(root, bucket, key);
      // The signature covers the path, but a key with ../ must still never leave the root.
      if (!file.startsWith(root + sep)) return reply.code(404).type('text/plain').send('Not found.');
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) return reply.code(404).type('text/plain').send('Not found.');
      return reply
        .type(CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream')
        .header('content-length', info.size)
        .header('cache-control', 'private, max-age=300')
        .header('x-content-type-options', 'nosniff')
        .send(createReadStream(file));
    },
  );
}
