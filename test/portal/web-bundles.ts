/**
 * Makes sure `dist/web/` holds the browser bundles the portal serves (crowd elements and the
 * portal script), building them with scripts/build-web.mjs when missing or older than web/ or
 * the portal's message catalogues (src/i18n/, bundled into the portal script).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WEB_BUNDLE_DIR } from '../../src/api/portal/assets.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PORTAL_ENTRY = { in: 'web/portal/index.ts', out: 'portal', format: 'iife' as const };

interface Entry {
  in: string;
  out: string;
  format?: 'iife' | 'esm';
}

interface BuildWebModule {
  webEntries: readonly Entry[];
  buildWeb(options: { entries?: readonly Entry[] }): Promise<unknown>;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export async function ensureWebBundles(): Promise<void> {
  const outputs = ['crowd-html-elements.js', 'portal.js'].map((f) => join(WEB_BUNDLE_DIR, f));
  const sources = Math.max(newestSource(join(ROOT, 'web')), newestSource(join(ROOT, 'src/i18n')));
  if (outputs.every((f) => existsSync(f) && statSync(f).mtimeMs >= sources)) return;
  const script = new URL('../../scripts/build-web.mjs', import.meta.url).href;
  const { buildWeb, webEntries } = (await import(script)) as BuildWebModule;
  const entries = webEntries.some((e) => e.out === PORTAL_ENTRY.out) ? webEntries : [...webEntries, PORTAL_ENTRY];
  await buildWeb({ entries });
}
