#!/usr/bin/env node
/**
 * Bundles Tandem's browser code with esbuild: each entry point becomes one minified ES2020
 * script with a source map in `dist/web/`. Run by `npm run build` (after `tsc`), or imported:
 *
 * @example
 * import { buildWeb } from './scripts/build-web.mjs';
 * const result = await buildWeb({ write: false }); // result.outputFiles holds the bundles
 */
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The browser bundles. Add an entry to ship another one.
 * - `crowd-html-elements`: served in place of https://assets.crowd.aws/crowd-html-elements.js.
 *   Templates load it with a classic `<script src>`, so it is an IIFE, not a module.
 * - `portal`: the worker portal's task page script (`/portal/assets/portal.js`).
 * - `console`: the admin console's script (`/console/assets/console.js`).
 * @type {ReadonlyArray<{ in: string, out: string, format?: 'iife' | 'esm' }>}
 */
export const webEntries = [
  { in: 'web/crowd/index.ts', out: 'crowd-html-elements', format: 'iife' },
  { in: 'web/portal/index.ts', out: 'portal', format: 'iife' },
  { in: 'web/console/index.ts', out: 'console', format: 'iife' },
];

/**
 * Builds `entries` (default: all of {@link webEntries}) into `outdir`.
 * @param {{ entries?: ReadonlyArray<{ in: string, out: string, format?: 'iife' | 'esm' }>, outdir?: string,
 *   write?: boolean, minify?: boolean }} [options] `outdir` defaults to `dist/web`, `write` to
 *   true (false keeps the files in memory, in `outputFiles`), `minify` to true.
 * @returns {Promise<import('esbuild').BuildResult[]>} one result per output format
 */
export async function buildWeb({ entries = webEntries, outdir = path.join(root, 'dist/web'), write = true, minify = true } = {}) {
  const byFormat = new Map();
  for (const entry of entries) {
    const format = entry.format ?? 'iife';
    byFormat.set(format, [...(byFormat.get(format) ?? []), { in: path.resolve(root, entry.in), out: entry.out }]);
  }
  return Promise.all(
    [...byFormat].map(([format, entryPoints]) =>
      build({
        entryPoints,
        outdir,
        bundle: true,
        format,
        target: 'es2020',
        platform: 'browser',
        minify,
        sourcemap: true,
        tsconfig: path.join(root, 'tsconfig.json'),
        write,
        logLevel: 'warning',
      }),
    ),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  await buildWeb();
  console.log(`build-web: ${webEntries.map((e) => `${e.out}.js`).join(', ')} → dist/web/ in ${Date.now() - started} ms`);
}
