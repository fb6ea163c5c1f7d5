/**
 * What the test environment offers, decided in one place. `scripts/run-tests.mjs` sets the
 * variables read here; tests call {@link skipReason} to skip cases whose dependency is missing.
 *
 * Under CI (`TANDEM_TEST_REQUIRE_ALL=1`) a missing dependency is an error, not a skip, so a CI
 * run can never go green by skipping the PostgreSQL, browser or boto3 cases.
 *
 * @example
 * ```ts
 * import { test } from 'node:test';
 * import { postgresUrl, skipReason } from '../support/environment.js';
 *
 * test('claims on PostgreSQL', { skip: skipReason('postgres') }, async () => {
 *   const url = postgresUrl()!;
 *   // ...
 * });
 * ```
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** A dependency that some tests need and that the machine may lack. */
export type Dependency = 'postgres' | 'chromium' | 'boto3';

/** Debian's Chromium; the only browser tests use (playwright-core never downloads one). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Debian's Python, which has python3-boto3. The `python3` first on PATH is another interpreter. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/**
 * The flags every test browser is started with. `--headless` because there is no display, and
 * `--no-sandbox` because the sandbox cannot run as root; the rest keep Chromium from reaching
 * out to the network on its own.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The PostgreSQL server for this run (`TANDEM_TEST_DATABASE_URL`), or undefined when there is none. */
export function postgresUrl(): string | undefined {
  const url = process.env.TANDEM_TEST_DATABASE_URL?.trim();
  return url ? url : undefined;
}

/** True when every dependency must be present (`TANDEM_TEST_REQUIRE_ALL=1`, set by the runner under CI). */
export function requireAll(): boolean {
  const value = process.env.TANDEM_TEST_REQUIRE_ALL?.trim().toLowerCase();
  return value === '1' || value === 'true';
}

/** `/usr/bin/chromium` when it exists, else undefined. */
export function chromiumPath(): string | undefined {
  return existsSync(CHROMIUM_PATH) ? CHROMIUM_PATH : undefined;
}

let boto3Probe: string | false | undefined;

/** Why boto3 cannot be used (a reason string), or false when `/usr/bin/python3 -c "import boto3"` works. Probed once per process. */
function boto3Problem(): string | false {
  if (boto3Probe === undefined) {
    if (!existsSync(SYSTEM_PYTHON)) {
      boto3Probe = `${SYSTEM_PYTHON} does not exist (apt-get install python3-boto3)`;
    } else {
      const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import boto3'], { encoding: 'utf8', timeout: 30_000 });
      boto3Probe =
        probe.status === 0
          ? false
          : `${SYSTEM_PYTHON} cannot import boto3 (apt-get install python3-boto3): ${(probe.stderr || String(probe.error ?? '')).trim().split('\n').pop() ?? ''}`;
    }
  }
  return boto3Probe;
}

/** Why `what` is unavailable, or false when it is available. Does not consult requireAll(). */
export function unavailableReason(what: Dependency): string | false {
  switch (what) {
    case 'postgres':
      return postgresUrl() ? false : 'no PostgreSQL: TANDEM_TEST_DATABASE_URL is not set (run the tests with `npm test`, which starts one)';
    case 'chromium':
      return chromiumPath() ? false : `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`;
    case 'boto3':
      return boto3Problem();
  }
}

/**
 * For a test's `skip` option: false when `what` is available, else the reason to skip.
 * Throws instead of returning a reason when requireAll() is true, so that under CI the test file
 * fails rather than silently skipping.
 */
export function skipReason(what: Dependency): string | false {
  const reason = unavailableReason(what);
  if (reason && requireAll()) {
    throw new Error(`${what} is required in this run (TANDEM_TEST_REQUIRE_ALL=1) but unavailable: ${reason}`);
  }
  return reason;
}

/**
 * Starts Debian's Chromium through playwright-core with exactly {@link CHROMIUM_ARGS} plus a fresh
 * `--user-data-dir`, removed when the browser closes.
 *
 * Playwright's own default switches are turned off (`ignoreDefaultArgs: true`) so the command line
 * is ours; Playwright then needs `--remote-debugging-pipe`, the channel it drives the browser over.
 * Playwright rejects `--user-data-dir` in `args` unless its defaults are off, and
 * `launchPersistentContext` would return a context rather than a Browser.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(`no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
  const userDataDir = await mkdtemp(join(tmpdir(), 'tandem-chromium-'));
  const removeUserDataDir = () => rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath,
      ignoreDefaultArgs: true,
      args: [...CHROMIUM_ARGS, `--user-data-dir=${userDataDir}`, '--remote-debugging-pipe'],
    });
  } catch (error) {
    await removeUserDataDir();
    throw error;
  }
  const close = browser.close.bind(browser);
  browser.close = async (options) => {
    try {
      await close(options);
    } finally {
      await removeUserDataDir();
    }
  };
  // A browser that crashed or was killed is cleaned up too.
  browser.once('disconnected', () => void removeUserDataDir());
  return browser;
}
