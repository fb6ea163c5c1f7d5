#!/usr/bin/env node
// `npm run bench`: runs benchmarks, one after another, each as `node --import tsx bench/<name>.ts`.
//
//   npm run bench                                      every bench/*.ts
//   npm run bench -- start-human-loop                  the named ones (bench/<name>.ts)
//   npm run bench -- start-human-loop --duration=5     arguments from the first one starting with
//                                                      `-` on go to every benchmark (use --flag=value)
//
// Benchmarks never run in parallel: they measure the machine, and would measure each other.
//
// PostgreSQL: TANDEM_BENCH_DATABASE_URL is used when set, else TANDEM_TEST_DATABASE_URL; otherwise,
// when PostgreSQL is installed, scripts/postgres.sh starts a throwaway server (port
// TANDEM_TEST_PG_PORT, default 55432; fsync and synchronous_commit off) and its URL is handed to the
// benchmarks as TANDEM_BENCH_DATABASE_URL. It is shared with test runs the way scripts/run-tests.mjs
// shares it (a pid file per user in /tmp/tandem-pg-<port>.holders), and stopped at the end only if
// this run started it and nobody else still uses it. Without PostgreSQL, benchmarks measure SQLite
// only and say so.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { postgresInstalled, sharedPostgres } from './shared-postgres.mjs';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = join(ROOT, 'bench');

function say(message) {
  process.stdout.write(`run-bench: ${message}\n`);
}

const { acquire: acquirePostgres, release: releasePostgres } = sharedPostgres(say);

// ---- which benchmarks ---------------------------------------------------------------------------

const argv = process.argv.slice(2);
const firstFlag = argv.findIndex((arg) => arg.startsWith('-'));
const names = (firstFlag === -1 ? argv : argv.slice(0, firstFlag)).map((name) => basename(name).replace(/\.ts$/, ''));
const benchArgs = firstFlag === -1 ? [] : argv.slice(firstFlag);

const available = existsSync(BENCH_DIR)
  ? readdirSync(BENCH_DIR, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
      .map((entry) => entry.name.replace(/\.ts$/, ''))
      .sort()
  : [];
const selected = names.length > 0 ? names : available;
const unknown = selected.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  say(`no such benchmark: ${unknown.join(', ')} (available: ${available.join(', ') || 'none'})`);
  process.exit(2);
}
if (selected.length === 0) {
  say('no benchmark in bench/');
  process.exit(2);
}

// ---- PostgreSQL ---------------------------------------------------------------------------------

const env = { ...process.env };
let usingOwnPostgres = false;
if (env.TANDEM_BENCH_DATABASE_URL) {
  say(`PostgreSQL: ${env.TANDEM_BENCH_DATABASE_URL} (from TANDEM_BENCH_DATABASE_URL)`);
} else if (env.TANDEM_TEST_DATABASE_URL) {
  env.TANDEM_BENCH_DATABASE_URL = env.TANDEM_TEST_DATABASE_URL;
  say(`PostgreSQL: ${env.TANDEM_BENCH_DATABASE_URL} (from TANDEM_TEST_DATABASE_URL)`);
} else if (postgresInstalled()) {
  const pg = acquirePostgres();
  if (pg.url) {
    usingOwnPostgres = true;
    env.TANDEM_BENCH_DATABASE_URL = pg.url;
    say(`PostgreSQL: ${pg.url} (${pg.startedNow ? 'started' : 'already running'}, scripts/postgres.sh)`);
  } else {
    say(`PostgreSQL could not be started, benchmarks measure SQLite only: ${pg.error}`);
  }
} else {
  say('PostgreSQL is not installed (apt-get install -y --no-install-recommends postgresql): benchmarks measure SQLite only');
}

// ---- the runs -----------------------------------------------------------------------------------

let current;
let interrupted;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    interrupted = signal;
    current?.kill(signal);
  });
}

function runOne(name) {
  return new Promise((resolveRun) => {
    const file = join('bench', `${name}.ts`);
    say(`node --import tsx ${file}${benchArgs.length > 0 ? ` ${benchArgs.join(' ')}` : ''}`);
    current = spawn(process.execPath, ['--import', 'tsx', file, ...benchArgs], { cwd: ROOT, env, stdio: 'inherit' });
    current.on('error', (error) => {
      say(`could not start ${file}: ${error.message}`);
      resolveRun(1);
    });
    current.on('close', (code, signal) => resolveRun(signal ? 1 : (code ?? 1)));
  });
}

const failed = [];
for (const name of selected) {
  if (interrupted) break;
  const code = await runOne(name);
  if (code !== 0) failed.push(name);
}
if (usingOwnPostgres) releasePostgres();
if (interrupted) say(`interrupted by ${interrupted}`);
say(failed.length > 0 ? `failed: ${failed.join(', ')}` : `done: ${selected.join(', ')}`);
process.exitCode = failed.length > 0 || interrupted ? 1 : 0;
