/** `/console/assets/console.css` and `/console/assets/console.js` (the bundle of web/console, from dist/web). */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { WEB_BUNDLE_DIR } from '../portal/assets.js';
import { PORTAL_CSS } from '../portal/styles.js';
import { CONSOLE_CSS } from './styles.js';

const ASSET_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' };

export async function registerConsoleAssets(app: FastifyInstance) {
  const css = PORTAL_CSS + CONSOLE_CSS;
  app.get('/assets/console.css', { config: { access: 'public' } }, async (_request, reply) =>
    reply.headers(ASSET_HEADERS).type('text/css; charset=utf-8').send(css),
  );
  app.get('/assets/console.js', { config: { access: 'public' } }, async (_request, reply) => {
    const content = await readFile(`${WEB_BUNDLE_DIR}console.js`).catch(() => undefined);
    if (!content) return reply.code(404).type('text/plain; charset=utf-8').send('This bundle is not built. Run `npm run build`.');
    return reply.headers(ASSET_HEADERS).type('text/javascript; charset=utf-8').send(content);
  });
}
