/**
 * `GET /crowd-html-elements.js` (and its source map): Tandem's crowd elements for standalone use.
 * A page that renders a template's RenderedContent with AWS's script tag pointed here
 * (`<script src="https://tandem.example/crowd-html-elements.js">`) gets every element working;
 * this is also how other tools embed the elements. Public (the bundle holds no secret), so no
 * signature or session; cacheable by anyone, revalidated by ETag so a new build is picked up
 * within the max-age.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Resources } from '../resources.js';
import { WEB_BUNDLE_DIR } from './portal/assets.js';

export const STANDALONE_BUNDLE_PATH = '/crowd-html-elements.js';

const FILES: Record<string, string> = {
  'crowd-html-elements.js': 'text/javascript; charset=utf-8',
  'crowd-html-elements.js.map': 'application/json',
};

/** One hour: long enough to spare repeat downloads, short enough that upgrades reach pages soon. */
const MAX_AGE_SECONDS = 3600;

export async function registerCrowdBundle(app: FastifyInstance, { resources }: { resources: Resources }) {
  const cache = new Map<string, { content: Buffer; etag: string; mtime: number }>();

  for (const [file, type] of Object.entries(FILES)) {
    app.get(`/${file}`, async (request, reply) => {
      const loaded = await load(file);
      if (!loaded) {
        resources.logger.warn({ file }, 'browser bundle missing: run npm run build');
        return reply.code(404).type('text/plain; charset=utf-8').send('This bundle is not built. Run `npm run build`.');
      }
      reply.headers({
        'cache-control': `public, max-age=${MAX_AGE_SECONDS}`,
        etag: loaded.etag,
        'x-content-type-options': 'nosniff',
        // Pages on other origins may load it with `crossorigin` (to see its errors) or fetch it.
        'access-control-allow-origin': '*',
        'cross-origin-resource-policy': 'cross-origin',
      });
      if (request.headers['if-none-match'] === loaded.etag) return reply.code(304).send();
      return reply.type(type).send(loaded.content);
    });
  }

  /** The file, re-read only when a build has replaced it. */
  async function load(file: string) {
    const path = `${WEB_BUNDLE_DIR}${file}`;
    const info = await stat(path).catch(() => undefined);
    if (!info) return undefined;
    const cached = cache.get(file);
    if (cached && cached.mtime === info.mtimeMs) return cached;
    const content = await readFile(path);
    const entry = { content, etag: `"${createHash('sha256').update(content).digest('base64url').slice(0, 27)}"`, mtime: info.mtimeMs };
    cache.set(file, entry);
    return entry;
  }
}
