import { existsSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { isTandemError } from '../api/aws/errors.js';
import { openResources } from '../bootstrap.js';
import type { TandemConfig } from '../config.js';
import type { Resources } from '../resources.js';
import { accountExists, getSetting } from '../store/accounts.js';
import { configFrom } from './main.js';

/**
 * A command that needs a store found none, or a named account is not in it: one line on stderr
 * and exit code 1. Never a reason to create anything: only `tandem serve` and `tandem init` do.
 */
export class StoreRefusal extends Error {}

export interface StoreTarget {
  resources: Resources;
  /** The account the command acts on (absent for commands that span accounts). */
  accountId: string;
  /** Where the store is, for messages: the SQLite file, or the PostgreSQL URL without its password. */
  location: string;
}

export interface ExistingStoreOptions {
  /** Resolve the account (`--account`, else TANDEM_ACCOUNT_ID, else the store's default). @defaultValue `true` */
  account?: boolean;
  /** Print the "acted on" line to stderr instead of stdout (machine-readable output). */
  quiet?: boolean;
}

/**
 * Runs a CLI command against the store the server uses, refusing when there is none. The store's
 * recorded public URL (the running server's) replaces the shell's, so printed links reach it.
 *
 * @example
 * withExistingStore(options, async ({ resources, accountId }) => { … });
 */
export async function withExistingStore(
  options: Record<string, unknown>,
  action: (target: StoreTarget) => Promise<void>,
  settings: ExistingStoreOptions = {},
): Promise<void> {
  const config = configFrom(options);
  const location = storeLocation(config);
  let resources: Resources | undefined;
  try {
    await requireStore(config, location);
    resources = await openResources({ ...config, logLevel: 'warn' });
    const publicUrl = await getSetting(resources.store.db, 'public_url');
    if (publicUrl) resources.config = { ...resources.config, publicUrl };
    let accountId = '';
    if (settings.account !== false) {
      accountId = await resolveAccount(resources, (options.account as string | undefined) ?? config.accountId, location);
    }
    const line = settings.account === false ? `Store: ${location}` : `Store: ${location}, account ${accountId}`;
    (settings.quiet ? process.stderr : process.stdout).write(`${line}\n`);
    await action({ resources, accountId, location });
  } catch (error) {
    if (!(error instanceof StoreRefusal) && !isTandemError(error)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } finally {
    await resources?.store.close();
  }
}

/** The store's place, as messages name it. */
export function storeLocation(config: TandemConfig): string {
  if (!config.databaseUrl) return join(config.dataDir, 'tandem.db');
  const url = new URL(config.databaseUrl);
  if (url.password) url.password = '***';
  return url.toString();
}

/** True when the configured database holds a Tandem store (never creates one). */
export async function storeExists(config: TandemConfig): Promise<boolean> {
  return (await probeStore(config)) === undefined;
}

async function requireStore(config: TandemConfig, location: string): Promise<void> {
  const problem = await probeStore(config);
  if (problem) throw new StoreRefusal(`No Tandem store at ${location}: ${problem}. Check TANDEM_DATA_DIR / TANDEM_DATABASE_URL, or create one with tandem init.`);
  // A store without its master key cannot read its secrets; a fresh key would make them garbage.
  if (!config.masterKey && !existsSync(join(config.dataDir, 'master.key'))) {
    throw new StoreRefusal(`The store at ${location} needs its master key: ${join(config.dataDir, 'master.key')} is missing and TANDEM_MASTER_KEY is unset.`);
  }
}

/** Undefined when a Tandem store is there; otherwise why not. */
async function probeStore(config: TandemConfig): Promise<string | undefined> {
  if (!config.databaseUrl) {
    const file = join(config.dataDir, 'tandem.db');
    if (!existsSync(file)) return 'the file does not exist';
    let database: SQLite.Database | undefined;
    try {
      database = new SQLite(file, { fileMustExist: true });
      const row = database.prepare("select 1 from sqlite_master where type = 'table' and name = 'accounts'").get();
      return row ? undefined : 'the database has no Tandem tables';
    } catch (error) {
      return `it cannot be opened (${(error as Error).message})`;
    } finally {
      database?.close();
    }
  }
  const client = new pg.Client({ connectionString: config.databaseUrl });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ present: boolean }>("select to_regclass('accounts') is not null as present");
    return rows[0]?.present ? undefined : 'the database has no Tandem tables';
  } catch (error) {
    return `the database cannot be reached (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The named account when it exists; otherwise the store's default account (recorded by the
 * server at start), or its only account. Never creates one.
 */
async function resolveAccount(resources: Resources, requested: string | undefined, location: string): Promise<string> {
  const { db } = resources.store;
  if (requested) {
    if (!/^\d{12}$/.test(requested)) throw new StoreRefusal('An account id is 12 digits.');
    if (!(await accountExists(db, requested))) throw new StoreRefusal(`No account ${requested} in the store at ${location}.`);
    return requested;
  }
  const recorded = await getSetting(db, 'default_account_id');
  if (recorded && (await accountExists(db, recorded))) return recorded;
  const accounts = await db.selectFrom('accounts').select('id').limit(2).execute();
  if (accounts.length === 1) return accounts[0]!.id;
  throw new StoreRefusal(`The store at ${location} has no default account; name one with --account.`);
}
