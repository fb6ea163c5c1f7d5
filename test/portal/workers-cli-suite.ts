/**
 * Shared by workers-cli-sqlite.test.ts and workers-cli-postgres.test.ts:
 * `tandem workers add|list|deactivate|activate|invite|teams`, run as the user runs them (a child
 * process per command, through test/cli/run-cli.ts) against a store of each dialect; a server
 * on the same store then honours the invite link and the password set from standard input.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { buildServer } from '../../src/api/server.js';
import { ensureDefaultAccount, openResources } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { cliArgs } from '../support/cli.js';
import { createTestDatabase, dialectSkip, type TestDatabase, type TestDialect } from '../support/databases.js';
import { postForm } from './portal-harness.js';

const BOT_PASSWORD = 'piped in from a secret store';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `tandem …args` on the test store (seeding the demo team `demo`), with `stdin` piped in. */
async function tandemCli(database: TestDatabase, args: string[], stdin = ''): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TANDEM_')) env[name] = value;
  env.TANDEM_DATA_DIR = database.dataDir;
  if (database.databaseUrl) env.TANDEM_DATABASE_URL = database.databaseUrl;
  const argv = await cliArgs(...args);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, argv, { cwd: database.dataDir, env, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

interface ListedWorker {
  workerId: string;
  email: string;
  status: string;
  teams: string[];
  passwordSet: boolean;
  inviteExpiresAt: number | null;
}

/** The suite on one dialect; one test file per dialect keeps each well under the per-file timeout. */
export function describeWorkersCli(dialect: TestDialect): void {
  describe(`tandem workers (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let database: TestDatabase;
    const cli = (args: string[], stdin?: string) => tandemCli(database, args, stdin);
    const list = async () => {
      const listed = await cli(['workers', 'list', '--json']);
      assert.equal(listed.code, 0, listed.stderr);
      return JSON.parse(listed.stdout) as ListedWorker[];
    };

    before(async () => {
      database = await createTestDatabase(dialect);
      // What `tandem init` does; the CLI acts only on an existing store.
      const resources = await openResources({ ...loadConfig({ dataDir: database.dataDir }, {}, database.dataDir), databaseUrl: database.databaseUrl, logLevel: 'silent' });
      await ensureDefaultAccount(resources);
      await resources.store.close();
    });
    after(() => database?.drop());

    test('add prints a one-time invite link; --password-stdin sets the password instead', async () => {
      const invited = await cli(['workers', 'add', '--email', 'Ana@Example.com', '--team', 'demo', '--name', 'Ana']);
      assert.equal(invited.code, 0, invited.stderr);
      assert.match(invited.stdout, /^Added ana@example\.com \(worker id [0-9a-f]{16}\) to demo\.$/m);
      assert.match(invited.stdout, /^http:\/\/127\.0\.0\.1:8080\/portal\/invite\/[A-Za-z0-9_-]{43}$/m);

      const piped = await cli(['workers', 'add', '--email', 'bot@example.com', '--team', 'demo', '--password-stdin'], `${BOT_PASSWORD}\n`);
      assert.equal(piped.code, 0, piped.stderr);
      assert.match(piped.stdout, /Password set; they can sign in at http:\/\/127\.0\.0\.1:8080\/portal/);
      assert.doesNotMatch(piped.stdout, /invite/);

      const workers = await list();
      assert.deepEqual(
        workers.map((w) => [w.email, w.status, w.teams, w.passwordSet, w.inviteExpiresAt !== null]),
        [
          ['ana@example.com', 'active', ['demo'], false, true],
          ['bot@example.com', 'active', ['demo'], true, false],
        ],
      );
      const table = await cli(['workers', 'list']);
      assert.match(table.stdout, /ana@example\.com\s+active\s+invited\s+demo/);
    });

    test('refusals exit 1 with a message: duplicate email, unknown team, short password, unknown worker', async () => {
      const cases: [string[], string, RegExp][] = [
        [['workers', 'add', '--email', 'ana@example.com', '--team', 'demo'], '', /already exists/],
        [['workers', 'add', '--email', 'cy@example.com', '--team', 'nope'], '', /No work team named 'nope'/],
        [['workers', 'add', '--email', 'cy@example.com', '--team', 'demo', '--password-stdin'], 'short\n', /at least 10 characters/],
        [['workers', 'deactivate', 'nobody@example.com'], '', /No worker with email nobody@example\.com/],
      ];
      // None of them changes the store, so they run side by side.
      const results = await Promise.all(cases.map(([args, stdin]) => cli(args, stdin)));
      cases.forEach(([args, , message], i) => {
        assert.equal(results[i]!.code, 1, `${args.join(' ')}: ${results[i]!.stdout}`);
        assert.match(results[i]!.stderr, message);
      });
      assert.equal((await list()).length, 2);
    });

    test('a server on the same store honours the invite link and the piped password; deactivate and activate take effect', async () => {
      const reissued = await cli(['workers', 'invite', 'ana@example.com']);
      assert.equal(reissued.code, 0, reissued.stderr);
      const inviteUrl = /^(http:\/\/\S+\/portal\/invite\/\S+)$/m.exec(reissued.stdout)?.[1];
      assert.ok(inviteUrl);

      const config = { ...loadConfig({ dataDir: database.dataDir }, {}, database.dataDir), databaseUrl: database.databaseUrl, logLevel: 'silent' as const };
      const resources = await openResources(config);
      const app = await buildServer(resources);
      try {
        assert.equal((await app.inject({ method: 'GET', url: new URL(inviteUrl).pathname })).statusCode, 200);
        const signIn = () => postForm(app, '/portal/sign-in', { email: 'bot@example.com', password: BOT_PASSWORD });
        assert.equal((await signIn()).statusCode, 303);

        const deactivated = await cli(['workers', 'deactivate', 'bot@example.com']);
        assert.equal(deactivated.code, 0, deactivated.stderr);
        assert.match(deactivated.stdout, /Deactivated bot@example\.com; signed out everywhere, 0 tasks returned to the queue\./);
        assert.equal((await signIn()).statusCode, 403);
        assert.equal((await list()).find((w) => w.email === 'bot@example.com')?.status, 'inactive');

        assert.equal((await cli(['workers', 'activate', 'bot@example.com'])).code, 0);
        assert.equal((await signIn()).statusCode, 303);
      } finally {
        await app.close();
        await resources.store.close();
      }
    });

    test('teams replaces a worker’s work teams', async () => {
      const result = await cli(['workers', 'teams', 'ana@example.com', '--team', 'demo']);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual((await list()).find((w) => w.email === 'ana@example.com')?.teams, ['demo']);
    });
  });
}
