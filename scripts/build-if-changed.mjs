#!/usr/bin/env node
/**
 * `npm start`'s build step: runs `npm run build` only when the sources changed since the last
 * build, so a second `npm start` (or a restart) does not rebuild dist/ under a running server and
 * starts at once. "Changed" is a SHA-256 over the paths and contents of src/, web/, package.json
 * and the tsconfig files, compared with the stamp the last build left in dist/.build-stamp
 * (contents, not mtimes: a checkout or copy that touches files without changing them rebuilds
 * nothing, and an edit within the same second is still seen).
 *
 *   node scripts/build-if-changed.mjs          build when needed
 *   node scripts/build-if-changed.mjs --stamp  only record the current sources as built (npm run build's last step)
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(ROOT, 'dist', '.build-stamp');
const INPUTS = ['src', 'web', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build-web.mjs'];

/** Every file under `path` (or `path` itself), in a stable order. */
function files(path) {
  const full = join(ROOT, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [full];
  const entries = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = join(dir, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) entries.push(child);
    }
  };
  walk(full);
  return entries;
}

export function sourcesDigest() {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of files(input)) {
      hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

const digest = sourcesDigest();
if (process.argv.includes('--stamp')) {
  writeFileSync(STAMP, `${digest}\n`);
} else {
  const built = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : '';
  if (built === digest && existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    process.stdout.write('build-if-changed: dist/ is up to date with the sources; not rebuilding\n');
  } else {
    const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    process.exit(result.status ?? 1);
  }
}
