#!/usr/bin/env node
// `npm test`: runs test/**/*.test.ts with node:test (tsx as the TypeScript loader) and closes with
// one line, `N passed, N failed` (`, N skipped` added when some were skipped or todo).
//
//   npm test                              every test file
//   npm test -- test/store                files under a path (file or folder)
//   npm test -- claim portal              files whose path contains a substring
//   npm test -- --test-name-pattern=SKIP  other arguments starting with - go to node
//
// PostgreSQL: TANDEM_TEST_DATABASE_URL is used when set; otherwise, when PostgreSQL is installed,
// scripts/postgres.sh starts a throwaway server (port TANDEM_TEST_PG_PORT, default 55432) and the
// URL is handed to the test processes. A server a test run started is stopped when the last test
// run using it ends; one that was already running (started by hand) is left alone.
//
// With CI=true every dependency (PostgreSQL, /usr/bin/chromium, boto3 under /usr/bin/python3) must
// be present: the run stops at once when one is missing, and the test processes get
// TANDEM_TEST_REQUIRE_ALL=1 so that test/support/environment.ts fails instead of skipping.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { postgresInstalled, sharedPostgres } from './shared-postgres.mjs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TEST_DIR = join(ROOT, 'test');
const REPORTER = pathToFileURL(join(ROOT, 'scripts', 'test-summary-reporter.mjs')).href;
const CHROMIUM = '/usr/bin/chromium';
const SYSTEM_PYTHON = '/usr/bin/python3';
// A hang guard, not a speed target: files that spawn real servers and CLIs (each a fresh Node
// process loading the program) take minutes on a loaded 2-core machine.
const TEST_TIMEOUT_MS = 300_000;
const CONCURRENCY = 2;

const startedAt = Date.now();
const ci = /^(true|1|yes)$/i.test(process.env.CI ?? '');

// Installed first: a signal that arrives while PostgreSQL starts is handled once that returns,
// so the server is still stopped and the holder released.
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
let interrupted;
let child;
for (const signal of Object.keys(EXIT_CODES)) {
  process.on(signal, () => {
    interrupted = signal;
    child?.kill(signal);
  });
}

function say(message) {
  process.stdout.write(`run-tests: ${message}\n`);
}

const { acquire: acquirePostgres, release: releasePostgres } = sharedPostgres(say);

/** Prints the closing line and exits: non-zero when something failed or nothing ran. */
function finish({ passed, failed, skipped }) {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  say(`finished in ${seconds}s`);
  if (passed + failed === 0) say('no test ran');
  const line = `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
  process.stdout.write(`${line}\n`);
  process.exitCode = interrupted ? EXIT_CODES[interrupted] : failed > 0 || passed + failed === 0 ? 1 : 0;
}

// ---- which files -------------------------------------------------------------------------------

function listTestFiles(dir) {
  if (!existsSync(dir)) return [];
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listTestFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) found.push(path);
  }
  return found.sort();
}

function selectFiles(all, filters) {
  if (filters.length === 0) return all;
  return all.filter((file) =>
    filters.some((filter) => {
      const asPath = resolve(process.cwd(), filter);
      if (existsSync(asPath)) {
        return statSync(asPath).isDirectory() ? file.startsWith(asPath + sep) : file === asPath;
      }
      return relative(ROOT, file).split(sep).join('/').includes(filter);
    }),
  );
}

// ---- what the machine has ----------------------------------------------------------------------

function boto3Available() {
  if (!existsSync(SYSTEM_PYTHON)) return false;
  return spawnSync(SYSTEM_PYTHON, ['-c', 'import boto3'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

// ---- the run -----------------------------------------------------------------------------------

const nodeFlags = process.argv.slice(2).filter((arg) => arg.startsWith('-'));
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const files = selectFiles(listTestFiles(TEST_DIR), filters);
if (files.length === 0) {
  say(filters.length > 0 ? `no test file matches ${filters.join(' ')}` : 'no test files under test/');
  finish({ passed: 0, failed: 0, skipped: 0 });
  process.exit();
}

const env = { ...process.env };
let usingOwnPostgres = false;
const missing = [];

if (env.TANDEM_TEST_DATABASE_URL) {
  say(`PostgreSQL: ${env.TANDEM_TEST_DATABASE_URL} (from TANDEM_TEST_DATABASE_URL)`);
} else if (postgresInstalled()) {
  const pg = acquirePostgres();
  if (pg.url) {
    usingOwnPostgres = true;
    env.TANDEM_TEST_DATABASE_URL = pg.url;
    say(`PostgreSQL: ${pg.url} (${pg.startedNow ? 'started' : 'already running'}, scripts/postgres.sh)`);
  } else {
    missing.push(`PostgreSQL could not be started: ${pg.error.trim()}`);
  }
} else {
  missing.push('PostgreSQL is not installed (apt-get install -y --no-install-recommends postgresql)');
}

if (!existsSync(CHROMIUM)) missing.push(`${CHROMIUM} is missing (apt-get install -y --no-install-recommends chromium)`);
if (ci && !boto3Available()) missing.push(`${SYSTEM_PYTHON} cannot import boto3 (apt-get install -y --no-install-recommends python3-boto3)`);

if (ci) {
  env.TANDEM_TEST_REQUIRE_ALL = '1';
  if (missing.length > 0) {
    for (const problem of missing) say(`CI=true needs every test dependency: ${problem}`);
    if (usingOwnPostgres) releasePostgres();
    finish({ passed: 0, failed: 1, skipped: 0 });
    process.exit();
  }
} else {
  for (const problem of missing) say(`${problem}; the tests that need it are skipped`);
}

const summaryDir = mkdtempSync(join(tmpdir(), 'tandem-test-summary-'));
const summaryFile = join(summaryDir, 'summary.json');
const args = [
  '--import',
  'tsx',
  '--test',
  `--test-concurrency=${CONCURRENCY}`,
  `--test-timeout=${TEST_TIMEOUT_MS}`,
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  `--test-reporter=${REPORTER}`,
  `--test-reporter-destination=${summaryFile}`,
  ...nodeFlags,
  ...files.map((file) => relative(ROOT, file)),
];
say(`${files.length} test file(s), concurrency ${CONCURRENCY}, timeout ${TEST_TIMEOUT_MS / 1000}s per test and per file${ci ? ', CI: every dependency required' : ''}`);

// Let a signal that came in during the synchronous set-up run its handler first.
await new Promise((resolvePromise) => setTimeout(resolvePromise, 20));
if (interrupted) {
  say(`interrupted by ${interrupted} before the tests started`);
  if (usingOwnPostgres) releasePostgres();
  rmSync(summaryDir, { recursive: true, force: true });
  finish({ passed: 0, failed: 0, skipped: 0 });
  process.exit();
}

child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' });

child.on('error', (error) => {
  say(`could not start node --test: ${error.message}`);
});

child.on('close', (code, signal) => {
  if (usingOwnPostgres) releasePostgres();
  const summary = readSummary();
  rmSync(summaryDir, { recursive: true, force: true });

  let failed = summary ? summary.failed : 0;
  if (!summary) {
    say('the summary reporter wrote nothing: counting the run as failed');
    failed += 1;
  } else if (code !== 0 && failed === 0) {
    say(`node --test exited with ${signal ?? `code ${code}`} but reported no failing test: counting one failure`);
    failed += 1;
  }
  if (interrupted) say(`interrupted by ${interrupted}`);
  if (summary) {
    for (const [reason, count] of Object.entries(summary.skipReasons)) say(`skipped ${count}: ${reason}`);
    if (summary.failures.length > 0) {
      say('failed:');
      for (const failure of summary.failures.slice(0, 50)) {
        const file = failure.file ? relative(ROOT, failure.file) : undefined;
        if (failure.file && failure.name === failure.file) {
          // The file itself failed: it threw while loading, timed out or exited early.
          const message = failure.message === 'test failed' ? 'failed outside any test (its output is above)' : failure.message;
          process.stdout.write(`  ✖ ${file}: ${message}\n`);
        } else {
          process.stdout.write(`  ✖ ${failure.name}${file ? ` (${file})` : ''}: ${failure.message}\n`);
        }
      }
      if (summary.failures.length > 50) process.stdout.write(`  … and ${summary.failures.length - 50} more\n`);
    }
  }
  finish({
    passed: summary ? summary.passed : 0,
    failed,
    skipped: summary ? summary.skipped + summary.todo : 0,
  });
});

function readSummary() {
  try {
    const text = readFileSync(summaryFile, 'utf8').trim();
    return text ? JSON.parse(text.split('\n').pop()) : undefined;
  } catch {
    return undefined;
  }
}
