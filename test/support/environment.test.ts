import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  SYSTEM_PYTHON,
  chromiumPath,
  launchChromium,
  postgresUrl,
  requireAll,
  skipReason,
} from './environment.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs `body` with some environment variables set (a value) or unset (undefined), then restores them. */
function withEnv<T>(vars: Record<string, string | undefined>, body: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(vars);
  try {
    return body();
  } finally {
    apply(saved);
  }
}

describe('requireAll and postgresUrl read the environment on every call', () => {
  test('TANDEM_TEST_REQUIRE_ALL turns requireAll on only for 1 or true', () => {
    assert.equal(withEnv({ TANDEM_TEST_REQUIRE_ALL: undefined }, requireAll), false);
    assert.equal(withEnv({ TANDEM_TEST_REQUIRE_ALL: '0' }, requireAll), false);
    assert.equal(withEnv({ TANDEM_TEST_REQUIRE_ALL: '' }, requireAll), false);
    assert.equal(withEnv({ TANDEM_TEST_REQUIRE_ALL: '1' }, requireAll), true);
    assert.equal(withEnv({ TANDEM_TEST_REQUIRE_ALL: 'true' }, requireAll), true);
  });

  test('an unset or blank TANDEM_TEST_DATABASE_URL means no PostgreSQL', () => {
    assert.equal(withEnv({ TANDEM_TEST_DATABASE_URL: undefined }, postgresUrl), undefined);
    assert.equal(withEnv({ TANDEM_TEST_DATABASE_URL: '  ' }, postgresUrl), undefined);
    assert.equal(
      withEnv({ TANDEM_TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' }, postgresUrl),
      'postgres://postgres@127.0.0.1:1/x',
    );
  });
});

describe('skipReason', () => {
  test('a missing dependency is a reason to skip when not everything is required', () => {
    const reason = withEnv({ TANDEM_TEST_DATABASE_URL: undefined, TANDEM_TEST_REQUIRE_ALL: undefined }, () =>
      skipReason('postgres'),
    );
    assert.equal(typeof reason, 'string');
    assert.match(reason as string, /TANDEM_TEST_DATABASE_URL/);
  });

  test('a missing dependency throws when everything is required, so CI fails instead of skipping', () => {
    withEnv({ TANDEM_TEST_DATABASE_URL: undefined, TANDEM_TEST_REQUIRE_ALL: '1' }, () => {
      assert.throws(() => skipReason('postgres'), /postgres is required .*TANDEM_TEST_REQUIRE_ALL=1.*TANDEM_TEST_DATABASE_URL/);
    });
  });

  test('a present dependency is never a reason, required or not', () => {
    for (const requireAllValue of [undefined, '1']) {
      const reason = withEnv(
        { TANDEM_TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x', TANDEM_TEST_REQUIRE_ALL: requireAllValue },
        () => skipReason('postgres'),
      );
      assert.equal(reason, false);
    }
  });

  test('chromium is judged by /usr/bin/chromium alone', () => {
    const present = existsSync(CHROMIUM_PATH);
    assert.equal(chromiumPath(), present ? CHROMIUM_PATH : undefined);
    const reason = withEnv({ TANDEM_TEST_REQUIRE_ALL: undefined }, () => skipReason('chromium'));
    if (present) assert.equal(reason, false);
    else assert.match(reason as string, /apt-get install chromium/);
  });

  test('boto3 is judged by Debian python, not the python3 first on PATH', () => {
    const importsBoto3 = spawnSync(SYSTEM_PYTHON, ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;
    const reason = withEnv({ TANDEM_TEST_REQUIRE_ALL: undefined }, () => skipReason('boto3'));
    if (importsBoto3) assert.equal(reason, false);
    else assert.match(reason as string, /python3-boto3/);
  });
});

test('boto3 under /usr/bin/python3 knows the A2I runtime API', { skip: skipReason('boto3') }, () => {
  const script = [
    'import boto3',
    "client = boto3.client('sagemaker-a2i-runtime', region_name='us-east-1', endpoint_url='http://127.0.0.1:9',",
    "                      aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret')",
    "print(' '.join(sorted(name for name in dir(client) if name.endswith('human_loop') or name.endswith('human_loops'))))",
  ].join('\n');
  const run = spawnSync(SYSTEM_PYTHON, ['-c', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(
    run.stdout.trim(),
    'delete_human_loop describe_human_loop list_human_loops start_human_loop stop_human_loop',
  );
});

describe('PostgreSQL', () => {
  test('the run’s server accepts a connection and answers select 1', { skip: skipReason('postgres') }, async () => {
    const client = new pg.Client({ connectionString: postgresUrl(), connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      const result = await client.query<{ one: number }>('select 1 as one');
      assert.deepEqual(result.rows, [{ one: 1 }]);
    } finally {
      await client.end();
    }
  });

  const scriptUrl = spawnSync('bash', [join(ROOT, 'scripts', 'postgres.sh'), 'url'], { encoding: 'utf8' }).stdout.trim();
  const fromScript = skipReason('postgres') || (postgresUrl() === scriptUrl ? false : 'the PostgreSQL of this run is not the one scripts/postgres.sh starts');

  test('scripts/postgres.sh runs the throwaway settings and a second start is a no-op', { skip: fromScript }, async () => {
    const client = new pg.Client({ connectionString: postgresUrl() });
    await client.connect();
    try {
      const settings: Record<string, string> = {};
      for (const name of ['fsync', 'synchronous_commit', 'full_page_writes', 'max_connections', 'listen_addresses']) {
        const { rows } = await client.query<Record<string, string>>(`show ${name}`);
        settings[name] = String(rows[0]?.[name]);
      }
      assert.deepEqual(settings, {
        fsync: 'off',
        synchronous_commit: 'off',
        full_page_writes: 'off',
        max_connections: '300',
        listen_addresses: '127.0.0.1',
      });
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');

      const again = spawnSync('bash', [join(ROOT, 'scripts', 'postgres.sh'), 'start'], { encoding: 'utf8' });
      assert.equal(again.status, 0, again.stderr);
      assert.equal(again.stdout.trim(), scriptUrl);
      assert.match(again.stderr, /already running/);
      // The connection made before the second start still works: the server was not restarted.
      const after = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      assert.equal(after.rows[0]?.pid, rows[0]?.pid);
    } finally {
      await client.end();
    }
  });
});

/** The command line of this process's Chromium child, read from /proc. */
function chromiumCommandLine(): string[] {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parentPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parentPid !== process.pid) continue;
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (args.includes('--remote-debugging-pipe')) return args;
    } catch {
      // the process ended while we looked
    }
  }
  throw new Error('no Chromium child process found');
}

test('launchChromium starts Debian Chromium with our flags and a user data dir it removes', { skip: skipReason('chromium') }, async () => {
  const browser = await launchChromium();
  let userDataDir: string | undefined;
  try {
    const args = chromiumCommandLine();
    // /usr/bin/chromium is Debian's wrapper: it execs the real binary with its own flags first.
    const ours = args.slice(args.length - CHROMIUM_ARGS.length - 2);
    assert.deepEqual(ours.slice(0, CHROMIUM_ARGS.length), [...CHROMIUM_ARGS]);
    assert.match(ours[CHROMIUM_ARGS.length] ?? '', /^--user-data-dir=/);
    assert.equal(ours[CHROMIUM_ARGS.length + 1], '--remote-debugging-pipe');
    userDataDir = ours[CHROMIUM_ARGS.length]!.slice('--user-data-dir='.length);
    assert.ok(existsSync(userDataDir), 'the user data dir exists while the browser runs');

    const page = await browser.newPage();
    await page.setContent('<main><h1>Review this</h1><button>Submit</button></main>');
    assert.equal(await page.locator('h1').textContent(), 'Review this');
    assert.equal(await page.getByRole('button').textContent(), 'Submit');
  } finally {
    await browser.close();
  }
  assert.equal(browser.isConnected(), false);
  assert.ok(userDataDir && !existsSync(userDataDir), 'the user data dir is removed on close');
});

describe('scripts/test-summary-reporter.mjs', () => {
  test('counts test cases, skips and file-level failures the way run-tests reports them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tandem-reporter-'));
    try {
      await writeFile(
        join(dir, 'cases.test.mjs'),
        [
          "import { test, describe } from 'node:test';",
          "test('passes', () => {});",
          "test('fails', () => { throw new Error('expected failure'); });",
          "test('skipped', { skip: 'no browser here' }, () => {});",
          "test('todo', { todo: true }, () => { throw new Error('not yet'); });",
          "describe('suite', () => { test('inner passes', () => {}); test('inner fails', () => { throw new Error('inner'); }); });",
          "describe('skipped suite', { skip: 'no database' }, () => { test('a', () => {}); test('b', () => {}); });",
          "test('parent', async (t) => { await t.test('child', () => {}); });",
        ].join('\n'),
      );
      await writeFile(join(dir, 'broken.test.mjs'), "throw new Error('cannot load');\n");
      const reporter = pathToFileURL(join(ROOT, 'scripts', 'test-summary-reporter.mjs')).href;
      // Without NODE_TEST_CONTEXT (set for us by our own runner) the nested run uses its reporters.
      const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
      const run = spawnSync(
        process.execPath,
        ['--test', `--test-reporter=${reporter}`, '--test-reporter-destination=stdout', 'cases.test.mjs', 'broken.test.mjs'],
        { cwd: dir, encoding: 'utf8', env },
      );
      assert.equal(run.status, 1, run.stderr);
      const summary = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as {
        passed: number;
        failed: number;
        skipped: number;
        todo: number;
        failures: { name: string }[];
        skipReasons: Record<string, number>;
      };
      // passes, inner passes, parent, child
      assert.equal(summary.passed, 4);
      // fails, inner fails, and broken.test.mjs itself — not the suite or file that merely contain failures
      assert.equal(summary.failed, 3);
      assert.deepEqual(summary.failures.map((f) => f.name).sort(), ['fails', 'inner fails', join(dir, 'broken.test.mjs')].sort());
      // the skipped test, and the skipped suite as one (its body never runs)
      assert.equal(summary.skipped, 2);
      assert.deepEqual(summary.skipReasons, { 'no browser here': 1, 'no database': 1 });
      assert.equal(summary.todo, 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
