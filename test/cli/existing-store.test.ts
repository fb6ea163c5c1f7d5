/**
 * The CLI acts on the store the server uses and never creates one (issue 13, item 6): on a data
 * directory or database without a Tandem store, commands refuse with one line and exit 1, leaving
 * nothing behind; on the server's store they act on the account the server runs with
 * (TANDEM_ACCOUNT_ID of the server, not of the shell) and say which store and account; invite
 * links use the URL the server recorded at start (item 7).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { startTandem, type RunningTandem } from '../../src/main.js';
import { runTandem } from '../support/cli.js';
import { createTestDatabase, DIALECTS, dialectSkip, type TestDatabase } from '../support/databases.js';

const SERVER_ACCOUNT = '210987654321';

async function tableCount(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("select count(*) as n from pg_tables where schemaname = 'public'");
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

describe('the CLI needs an existing store', { concurrency: true }, () => {
  for (const dialect of DIALECTS) {
    describe(dialect, { skip: dialectSkip(dialect), concurrency: 1 }, () => {
      let database: TestDatabase;
      before(async () => {
        database = await createTestDatabase(dialect);
      });
      after(() => database?.drop());

      test('commands refuse a data directory or database without a store, creating nothing', async () => {
        // SQLite: a typo'd data directory; PostgreSQL: an empty database.
        const store = { dataDir: dialect === 'sqlite' ? join(database.dataDir, 'typo') : database.dataDir, databaseUrl: database.databaseUrl };
        const [worker, admin] = await Promise.all([
          runTandem(store, ['workers', 'add', '--email', 'ana@example.com', '--team', 'demo'], { cwd: database.dataDir }),
          runTandem(store, ['keys', 'create'], { cwd: database.dataDir, env: { TANDEM_ACCOUNT_ID: SERVER_ACCOUNT } }),
        ]);
        for (const result of [worker, admin]) {
          assert.equal(result.code, 1, result.stdout);
          assert.match(result.stderr, /^No Tandem store at \S+: .+ create one with tandem init\.\n$/);
          assert.equal(result.stdout, '');
        }
        if (dialect === 'sqlite') assert.equal(existsSync(store.dataDir), false, 'the data directory was created');
        else assert.equal(await tableCount(database.databaseUrl!), 0, 'tables were created');
        assert.deepEqual(readdirSync(database.dataDir), [], 'no file was written');
      });

      describe('with a server running with TANDEM_ACCOUNT_ID', () => {
        let server: RunningTandem;
        before(async () => {
          server = await startTandem({
            ...loadConfig({}, {}, database.dataDir),
            port: 0,
            dataDir: database.dataDir,
            databaseUrl: database.databaseUrl,
            accountId: SERVER_ACCOUNT,
            logLevel: 'silent',
          });
        });
        after(() => server?.close());

        test("commands act on the server's account, say so, and refuse an account the store lacks", async () => {
          const [added, unknown, init] = await Promise.all([
            runTandem(database, ['workers', 'add', '--email', 'ana@example.com', '--team', 'demo']),
            runTandem(database, ['workers', 'list'], { env: { TANDEM_ACCOUNT_ID: '999999999999' } }),
            runTandem(database, ['init']),
          ]);
          const location = dialect === 'sqlite' ? join(database.dataDir, 'tandem.db') : /^Store: (postgres\S+),/m.exec(added.stdout)?.[1];
          assert.equal(added.code, 0, added.stderr);
          assert.match(added.stdout, new RegExp(`^Store: ${escape(location!)}, account ${SERVER_ACCOUNT}$`, 'm'));
          assert.match(added.stdout, /^Added ana@example\.com .* to demo\.$/m);
          // The server listens on a random port; the invite link the CLI prints reaches it.
          assert.match(added.stdout, new RegExp(`^${escape(server.url)}/portal/invite/[A-Za-z0-9_-]{43}$`, 'm'));
          assert.notEqual(new URL(server.url).port, '8080');

          assert.equal(unknown.code, 1, unknown.stdout);
          assert.equal(unknown.stderr, `No account 999999999999 in the store at ${location}.\n`);

          assert.equal(init.code, 0, init.stderr);
          assert.equal(init.stdout, `The store at ${location} already exists; nothing was created.\n`);
          const accounts = await server.resources.store.db.selectFrom('accounts').select('id').execute();
          assert.deepEqual(accounts.map((a) => a.id), [SERVER_ACCOUNT], 'no second account');
        });
      });
    });
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
