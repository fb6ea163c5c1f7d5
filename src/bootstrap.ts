import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import { createLogger } from './observability/logger.js';
import { TandemMetrics } from './observability/metrics.js';
import type { TandemConfig } from './config.js';
import { seedDemo } from './demo.js';
import { systemClock, type Clock, type Resources } from './resources.js';
import { createAccessKey, ensureConfiguredKey, readSecret } from './security/access-keys.js';
import { loadMasterKey, SecretBox } from './security/secret-box.js';
import { ensureAccount, getSetting, putSetting, putSettingIfAbsent } from './store/accounts.js';
import { openStore } from './store/database.js';

/** What start-up learned about the default account, for the banner. */
export interface DefaultAccount {
  accountId: string;
  accessKeyId: string;
  /** Present when this start created the key or the configuration named it. */
  secretAccessKey?: string | undefined;
  /** True on the start that created the account (and seeded the demo). */
  created: boolean;
  credentialsFile?: string | undefined;
}

/** Opens the store and builds the resources every subsystem shares. */
export async function openResources(
  config: TandemConfig,
  options: { clock?: Clock; logDestination?: DestinationStream } = {},
): Promise<Resources> {
  const logger = createLogger(config, { destination: options.logDestination });
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    sqliteFile: join(config.dataDir, 'tandem.db'),
    sqliteSynchronous: config.sqliteSynchronous,
  });
  const secrets = new SecretBox(loadMasterKey(config.masterKey, join(config.dataDir, 'master.key')));
  const clock = options.clock ?? systemClock;
  return { config, store, clock, secrets, logger, metrics: new TandemMetrics(store, clock) };
}

/**
 * The default account and its root key: from configuration when given, otherwise created on
 * the first start and reused later (their ids live in the store's settings). The first start
 * also seeds the demo and writes an AWS credentials file into the data directory.
 */
export async function ensureDefaultAccount(resources: Resources): Promise<DefaultAccount> {
  const { config, store, clock } = resources;
  const accountId = config.accountId ?? (await putSettingIfAbsent(store.db, 'default_account_id', randomAccountId()));
  const created = await ensureAccount(store.db, accountId, clock.now());
  // The account the server runs with is the one the CLI acts on when it names none.
  if (config.accountId) await putSetting(store.db, 'default_account_id', accountId);

  let accessKeyId: string;
  let secretAccessKey: string | undefined;
  let credentialsFile: string | undefined;
  if (config.accessKeyId && config.secretAccessKey) {
    await ensureConfiguredKey(resources, accountId, config.accessKeyId, config.secretAccessKey);
    accessKeyId = config.accessKeyId;
    secretAccessKey = config.secretAccessKey;
  } else {
    const settingName = `root_access_key_id:${accountId}`;
    const known = await getSetting(store.db, settingName);
    const secret = known ? await readSecret(resources, known) : undefined;
    if (known && secret) {
      accessKeyId = known;
    } else {
      const key = await createAccessKey(resources, accountId, { description: 'root key created at first start' });
      await store.db
        .insertInto('settings')
        .values({ name: settingName, value: key.accessKeyId })
        .onConflict((oc) => oc.column('name').doUpdateSet({ value: key.accessKeyId }))
        .execute();
      accessKeyId = key.accessKeyId;
      secretAccessKey = key.secretAccessKey;
      credentialsFile = writeCredentialsFile(config, key.accessKeyId, key.secretAccessKey);
    }
  }
  if (created && config.seedDemo) await seedDemo(resources, { accountId, region: config.region });
  return { accountId, accessKeyId, secretAccessKey, created, credentialsFile };
}

function randomAccountId(): string {
  return String(randomInt(100_000_000_000, 1_000_000_000_000));
}

/** An AWS shared-credentials file (profile `tandem`), readable by its owner only. */
function writeCredentialsFile(config: TandemConfig, accessKeyId: string, secret: string): string {
  const file = join(config.dataDir, 'credentials');
  const text = `[tandem]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secret}\nregion = ${config.region}\n`;
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}
