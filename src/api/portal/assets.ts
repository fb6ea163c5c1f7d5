/**
 * `/portal/assets/*`: the browser bundles from `dist/web/` (built by `scripts/build-web.mjs`)
 * and the portal stylesheet. Only the files named here are served.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Resources } from '../../resources.js';
import { PORTAL_CSS } from './styles.js';

/** `dist/web/`, from both `src/api/portal/` (tsx) and `dist/api/portal/` (built). */
export const WEB_BUNDLE_DIR = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

const BUNDLES: Record<string, string> = {
  'crowd-html-elements.js': 'text/javascript; charset=utf-8',
  'crowd-html-elements.js.map': 'application/json',
  'portal.js': 'text/javascript; charset=utf-8',
  'portal.js.map': 'application/json',
};

const ASSET_HEADERS = {
  'x-content-type-options': 'nosniff',
  // Revalidated on every load: a new build must reach workers at once.
  'cache-control': 'no-cache',
};

export async function registerAssets(app: FastifyInstance, resources: Resources) {
  app.get('/assets/portal.css', async (_request, reply) =>
    reply.headers(ASSET_HEADERS).type('text/css; charset=utf-8').send(PORTAL_CSS),
  );

  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const type = Object.hasOwn(BUNDLES, request.params.file) ? BUNDLES[request.params.file] : undefined;
    if (!type) return reply.code(404).type('text/plain; charset=utf-8').send('Not found.');
    const content = await readFile(`${WEB_BUNDLE_DIR}${request.params.file}`).catch(() => undefined);
    if (!content) {
      resources.logger.warn({ file: request.params.file }, 'browser bundle missing: run npm run build');
      return reply.code(404).type('text/plain; charset=utf-8').send('This bundle is not built. Run `npm run build`.');
    }
    return reply.headers(ASSET_HEADERS).type(type).send(content);
  });
}
