import { ensureDefaultAccount, openResources } from '../bootstrap.js';
import { ensureAccount } from '../store/accounts.js';
import { storeExists, storeLocation } from './existing-store.js';
import { configFrom } from './main.js';

/**
 * `tandem init`: creates the store (schema, master key) and its default account, as the first
 * `tandem serve` does, without starting a server. On an existing store it creates nothing except
 * an account named with --account-id / TANDEM_ACCOUNT_ID that the store lacks; the store's
 * default account stays as it is.
 *
 * @example
 * tandem init --data-dir /var/lib/tandem                 # new store, random account id
 * TANDEM_ACCOUNT_ID=123456789012 tandem init             # add that account to the existing store
 */
export async function runInit(options: Record<string, unknown>): Promise<void> {
  const config = configFrom(options);
  const location = storeLocation(config);
  const existed = await storeExists(config);
  const resources = await openResources({ ...config, logLevel: 'warn' });
  try {
    if (existed) {
      if (config.accountId && (await ensureAccount(resources.store.db, config.accountId, resources.clock.now()))) {
        process.stdout.write(`Added account ${config.accountId} to the store at ${location}.\n`);
      } else {
        process.stdout.write(`The store at ${location} already exists; nothing was created.\n`);
      }
      return;
    }
    const account = await ensureDefaultAccount(resources);
    process.stdout.write(
      `Created the store at ${location}.\n` +
        `  Default account    ${account.accountId}\n` +
        `  Access key id      ${account.accessKeyId}\n` +
        (account.secretAccessKey ? `  Secret access key  ${account.secretAccessKey}\n` : '') +
        (account.credentialsFile ? `  Credentials file   ${account.credentialsFile} (profile "tandem")\n` : '') +
        (account.created && config.seedDemo ? '  Demo               work team "demo", task UI "demo-classify", flow definition "demo-flow"\n' : ''),
    );
  } finally {
    await resources.store.close();
  }
}
