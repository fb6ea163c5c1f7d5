/**
 * Shared by keys-sqlite.test.ts and keys-postgres.test.ts.
 * `tandem keys create|list|revoke`, run as the user runs them (a child process per command,
 * through test/cli/run-cli.ts) against a store of each dialect: the secret is printed once,
 * never listed, never stored in plaintext, the key signs requests to a server on the same
 * store, and a revoked key is refused.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { ListWorkteamsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import pg from 'pg';
import { ensureDefaultAccount, openResources } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { ensureAccount } from '../../src/store/accounts.js';
import { startTandem } from '../../src/main.js';
import { openStore } from '../../src/store/database.js';
import { cliArgs } from '../support/cli.js';
import { createTestDatabase, dialectSkip, type TestDatabase, type TestDialect } from '../support/databases.js';

const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface ListedKey {
  accessKeyId: string;
  accountId: string;
  status: 'Active' | 'Revoked';
  created: string;
  description: string;
}

/** Environment for the CLI: none of this process's TANDEM_* settings, only the test store's. */
function cliEnv(database: TestDatabase): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TANDEM_')) env[name] = value;
  env.TANDEM_DATA_DIR = database.dataDir;
  if (database.databaseUrl) env.TANDEM_DATABASE_URL = database.databaseUrl;
  env.TANDEM_SEED_DEMO = 'false';
  return env;
}

async function tandemCli(database: TestDatabase, ...args: string[]): Promise<CliResult> {
  try {
    // cwd is the data dir, so no tandem.config.json of the repository can apply.
    const { stdout, stderr } = await run(process.execPath, await cliArgs(...args), {
      cwd: database.dataDir,
      env: cliEnv(database),
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

async function listKeys(database: TestDatabase): Promise<ListedKey[]> {
  const listed = await tandemCli(database, 'keys', 'list', '--json');
  assert.equal(listed.code, 0, listed.stderr);
  return JSON.parse(listed.stdout) as ListedKey[];
}

/** Every byte the store holds, as text: the SQLite files, or a dump of access_keys on PostgreSQL. */
async function storedBytes(database: TestDatabase): Promise<string> {
  if (!database.databaseUrl) {
    const files = ['tandem.db', 'tandem.db-wal', 'tandem.db-shm'].map((f) => join(database.dataDir, f)).filter((f) => existsSync(f));
    assert.ok(files.length > 0);
    return files.map((f) => readFileSync(f).toString('latin1')).join('\n');
  }
  const client = new pg.Client({ connectionString: database.databaseUrl });
  await client.connect();
  try {
    const keys = await client.query('select row_to_json(k)::text as row from access_keys k');
    const settings = await client.query('select row_to_json(s)::text as row from settings s');
    return [...keys.rows, ...settings.rows].map((r: { row: string }) => r.row).join('\n');
  } finally {
    await client.end();
  }
}

/** The access_keys rows and settings, read directly from the store. */
async function readStore(database: TestDatabase) {
  const store = await openStore({ databaseUrl: database.databaseUrl, sqliteFile: join(database.dataDir, 'tandem.db') });
  try {
    const keys = await store.db.selectFrom('access_keys').selectAll().execute();
    const settings = new Map((await store.db.selectFrom('settings').selectAll().execute()).map((r) => [r.name, r.value]));
    return { keys, settings };
  } finally {
    await store.close();
  }
}

/** Starts a Tandem on `database` and sends ListWorkteams signed with each key: 'ok' or the error name. */
async function tryKeys(database: TestDatabase, keys: Array<{ accessKeyId: string; secretAccessKey: string }>): Promise<string[]> {
  const tandem = await startTandem({
    ...loadConfig({}, {}, database.dataDir),
    port: 0,
    dataDir: database.dataDir,
    databaseUrl: database.databaseUrl,
    logLevel: 'silent',
    seedDemo: false,
  });
  try {
    const outcomes: string[] = [];
    for (const credentials of keys) {
      const client = new SageMakerClient({ endpoint: tandem.url, region: 'us-east-1', credentials, maxAttempts: 1 });
      try {
        await client.send(new ListWorkteamsCommand({}));
        outcomes.push('ok');
      } catch (error) {
        outcomes.push((error as Error).name);
      } finally {
        client.destroy();
      }
    }
    return outcomes;
  } finally {
    await tandem.close();
  }
}

// Each command is a child process that loads the whole program (seconds on a busy machine), so
// the dialects run side by side, each in order, and the steps are as few as the checks allow.
/** The suite on some dialects; a test file per dialect keeps each under the per-file timeout. */
export function describeKeys(dialects: readonly TestDialect[]): void {
  describe(`tandem keys (${dialects.join(', ')})`, { concurrency: true }, () => {
    // Dialect-independent (nothing is opened): registered once, with the SQLite file.
    if (dialects.includes('sqlite')) test('a malformed --account is a one-line usage error, before any store is opened', async () => {
      const database = await createTestDatabase('sqlite');
      try {
        const result = await tandemCli(database, 'keys', 'create', '--account', '12345');
        assert.notEqual(result.code, 0);
        assert.match(result.stderr, /^error: option '--account <id>' argument '12345' is invalid\. An account id is 12 digits\./m);
        assert.doesNotMatch(result.stderr, /\bat .*\.ts:\d+/, 'no stack trace');
        assert.equal(existsSync(join(database.dataDir, 'tandem.db')), false, 'nothing was created');
      } finally {
        await database.drop();
      }
    });

    for (const dialect of dialects) {
      describe(dialect, { skip: dialectSkip(dialect), concurrency: 1 }, () => {
        let database: TestDatabase;
        /** Made with --json, in the default account. */
        let created: { accessKeyId: string; secretAccessKey: string; accountId: string };
        /** Made with the text output, in an explicit account, with a description. */
        let textKey: { accessKeyId: string; secretAccessKey: string };

        before(async () => {
          database = await createTestDatabase(dialect);
          // What `tandem init` does (the CLI acts only on an existing store), plus a second account.
          const resources = await openResources({ ...loadConfig({}, {}, database.dataDir), dataDir: database.dataDir, databaseUrl: database.databaseUrl, logLevel: 'silent', seedDemo: false });
          await ensureDefaultAccount(resources);
          await ensureAccount(resources.store.db, '123456789012', Date.now());
          await resources.store.close();
        });
        after(() => database?.drop());

        test('keys create --json prints a new key and its secret in the default account', async () => {
          const result = await tandemCli(database, 'keys', 'create', '--json');
          assert.equal(result.code, 0, result.stderr);
          created = JSON.parse(result.stdout) as typeof created;
          assert.deepEqual(Object.keys(created).sort(), ['accessKeyId', 'accountId', 'secretAccessKey']);
          assert.match(created.accessKeyId, /^TNDM[A-Z2-7]{16}$/);
          assert.match(created.secretAccessKey, /^[A-Za-z0-9]{40}$/);
          assert.match(created.accountId, /^\d{12}$/);
          const { settings } = await readStore(database);
          assert.equal(settings.get('default_account_id'), created.accountId, 'the default account is recorded, so it is stable');
        });

        test('keys create (text) prints the secret once, with a warning to store it', async () => {
          const result = await tandemCli(database, 'keys', 'create', '--account', '123456789012', '--description', 'ci pipeline');
          assert.equal(result.code, 0, result.stderr);
          const id = /^Access key id\s+(\S+)$/m.exec(result.stdout)?.[1];
          const secret = /^Secret access key\s+(\S+)$/m.exec(result.stdout)?.[1];
          assert.ok(id && secret, result.stdout);
          assert.match(result.stdout, /^Account id\s+123456789012$/m);
          assert.match(result.stdout, /shown only now/);
          assert.notEqual(id, created.accessKeyId);
          assert.notEqual(secret, created.secretAccessKey);
          textKey = { accessKeyId: id, secretAccessKey: secret };
        });

        test('keys list --json shows the keys without their secrets', async () => {
          const keys = await listKeys(database);
          for (const key of keys) assert.deepEqual(Object.keys(key).sort(), ['accessKeyId', 'accountId', 'created', 'description', 'status']);
          const mine = keys.find((k) => k.accessKeyId === textKey.accessKeyId);
          assert.deepEqual({ ...mine, created: undefined }, {
            accessKeyId: textKey.accessKeyId,
            accountId: '123456789012',
            status: 'Active',
            created: undefined,
            description: 'ci pipeline',
          });
          assert.ok(!Number.isNaN(Date.parse(mine!.created)));
          assert.equal(keys.find((k) => k.accessKeyId === created.accessKeyId)?.status, 'Active');
          const text = JSON.stringify(keys);
          assert.ok(!text.includes(created.secretAccessKey) && !text.includes(textKey.secretAccessKey), 'a secret is listed');
        });

        test('no secret is stored in plaintext', async () => {
          const bytes = await storedBytes(database);
          assert.ok(bytes.includes(created.accessKeyId), 'the dump does hold the keys');
          for (const secret of [created.secretAccessKey, textKey.secretAccessKey]) {
            assert.ok(!bytes.includes(secret), 'secret found in the store');
            assert.ok(!bytes.includes(Buffer.from(secret).toString('base64')), 'base64 of the secret found in the store');
            assert.ok(!bytes.includes(Buffer.from(secret).toString('hex')), 'hex of the secret found in the store');
          }
          // The key that decrypts them lives outside the store, readable by its owner only.
          const masterKey = join(database.dataDir, 'master.key');
          assert.equal(statSync(masterKey).mode & 0o077, 0);
          assert.ok(!bytes.includes(readFileSync(masterKey, 'utf8').trim()), 'master key found in the store');
        });

        test('the created keys sign requests to a server on the same store', async () => {
          assert.deepEqual(await tryKeys(database, [created, textKey, { ...created, secretAccessKey: `${created.secretAccessKey}x` }]), [
            'ok',
            'ok',
            'InvalidSignatureException',
          ]);
        });

        test('keys revoke marks the key Revoked; the server then refuses it', async () => {
          const result = await tandemCli(database, 'keys', 'revoke', textKey.accessKeyId);
          assert.equal(result.code, 0, result.stderr);
          assert.match(result.stdout, new RegExp(`^Revoked ${textKey.accessKeyId}\\.`, 'm'));

          const listed = await tandemCli(database, 'keys', 'list');
          assert.equal(listed.code, 0, listed.stderr);
          assert.match(listed.stdout, /^ACCESS KEY ID\s+ACCOUNT\s+STATUS\s+CREATED\s+DESCRIPTION$/m);
          assert.match(listed.stdout, new RegExp(`^${textKey.accessKeyId}\\s+123456789012\\s+Revoked\\s+\\S+\\s+ci pipeline$`, 'm'));
          assert.match(listed.stdout, new RegExp(`^${created.accessKeyId}\\s+${created.accountId}\\s+Active\\s`, 'm'));
          assert.ok(!listed.stdout.includes(created.secretAccessKey) && !listed.stdout.includes(textKey.secretAccessKey), 'a secret is listed');
          const row = (await readStore(database)).keys.find((k) => k.access_key_id === textKey.accessKeyId)!;
          assert.ok(Number(row.revoked_at) > 0, 'revoked_at is recorded');

          assert.deepEqual(await tryKeys(database, [textKey, created]), ['UnrecognizedClientException', 'ok']);
        });

        test('revoking a revoked key fails with exit code 1', async () => {
          const result = await tandemCli(database, 'keys', 'revoke', textKey.accessKeyId);
          assert.equal(result.code, 1);
          assert.equal(result.stderr, `No active access key ${textKey.accessKeyId}.\n`);
        });
      });
    }
  });
}
