/**
 * `npm start` builds only when the sources changed since the last build (scripts/build-if-changed.mjs),
 * so a second start does not rebuild dist/ under a running server; `npm run build` always builds
 * and leaves the stamp. Run in a scratch project whose build only counts its runs.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = new URL('../../scripts/build-if-changed.mjs', import.meta.url).pathname;

test('builds when dist/ is missing or a source changed, not when nothing did; npm run build always builds', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tandem-build-stamp-'));
  try {
    await mkdir(join(dir, 'scripts'));
    await mkdir(join(dir, 'src', 'cli'), { recursive: true });
    await mkdir(join(dir, 'web'));
    await copyFile(SCRIPT, join(dir, 'scripts', 'build-if-changed.mjs'));
    await writeFile(join(dir, 'src', 'cli', 'main.ts'), 'export const a = 1;\n');
    await writeFile(join(dir, 'web', 'page.ts'), 'export const b = 1;\n');
    await writeFile(join(dir, 'tsconfig.json'), '{}\n');
    const build = "node -e \"const f=require('fs');f.mkdirSync('dist/cli',{recursive:true});f.writeFileSync('dist/cli/main.js','');f.appendFileSync('builds','x')\" && node scripts/build-if-changed.mjs --stamp";
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', private: true, scripts: { build } }));
    const start = () => run(process.execPath, ['scripts/build-if-changed.mjs'], { cwd: dir, timeout: 60_000 });
    const builds = async () => (await readFile(join(dir, 'builds'), 'utf8').catch(() => '')).length;

    await start();
    assert.equal(await builds(), 1, 'first start builds');
    const second = await start();
    assert.equal(await builds(), 1, 'second start with the same sources does not');
    assert.match(second.stdout, /up to date/);
    await writeFile(join(dir, 'web', 'page.ts'), 'export const b = 2;\n');
    await start();
    assert.equal(await builds(), 2, 'a changed source rebuilds');
    await writeFile(join(dir, 'src', 'cli', 'extra.ts'), 'export {};\n');
    await start();
    assert.equal(await builds(), 3, 'a new source file rebuilds');
    await run('npm', ['run', 'build'], { cwd: dir, timeout: 60_000 });
    assert.equal(await builds(), 4, 'npm run build always builds');
    await start();
    assert.equal(await builds(), 4, 'and its stamp counts as built');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
