import { InvalidArgumentError, type Command } from 'commander';
import { createAccessKey } from '../security/access-keys.js';
import { listAccessKeys, revokeAccessKey } from '../store/access-keys.js';
import { withExistingStore } from './existing-store.js';
import { addConfigOptions } from './main.js';

/** `tandem keys create|list|revoke`: access keys, acting on the same store as the server. */
export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('manage API access keys');

  addConfigOptions(keys.command('create').description('create an access key and print its secret once'))
    .option('--account <id>', 'account the key belongs to (default: TANDEM_ACCOUNT_ID, else the store\'s default account)', accountIdArgument)
    .option('--description <text>', 'what the key is for')
    .option('--json', 'print JSON')
    .action((options: Record<string, unknown>) =>
      withExistingStore(options, async ({ resources, accountId }) => {
        const key = await createAccessKey(resources, accountId, { description: options.description as string | undefined });
        if (options.json) process.stdout.write(`${JSON.stringify(key)}\n`);
        else
          process.stdout.write(
            `Access key id      ${key.accessKeyId}\nSecret access key  ${key.secretAccessKey}\nAccount id         ${accountId}\n` +
              'The secret is shown only now; store it safely.\n',
          );
      }, { quiet: Boolean(options.json) }),
    );

  addConfigOptions(keys.command('list').description('list access keys (never their secrets)'))
    .option('--json', 'print JSON')
    .action((options: Record<string, unknown>) =>
      withExistingStore(options, async ({ resources }) => {
        const rows = (await listAccessKeys(resources.store.db)).map((row) => ({
          accessKeyId: row.access_key_id,
          accountId: row.account_id,
          status: row.revoked_at === null ? 'Active' : 'Revoked',
          created: new Date(row.created_at).toISOString(),
          description: row.description ?? '',
        }));
        if (options.json) {
          process.stdout.write(`${JSON.stringify(rows)}\n`);
          return;
        }
        process.stdout.write('ACCESS KEY ID         ACCOUNT        STATUS   CREATED                   DESCRIPTION\n');
        for (const r of rows) {
          process.stdout.write(
            `${r.accessKeyId.padEnd(21)} ${r.accountId.padEnd(14)} ${r.status.padEnd(8)} ${r.created.padEnd(25)} ${r.description}\n`,
          );
        }
      }, { account: false, quiet: Boolean(options.json) }),
    );

  addConfigOptions(keys.command('revoke').description('revoke an access key').argument('<accessKeyId>')).action(
    (accessKeyId: string, options: Record<string, unknown>) =>
      withExistingStore(options, async ({ resources }) => {
        if (!(await revokeAccessKey(resources.store.db, accessKeyId, resources.clock.now()))) {
          process.stderr.write(`No active access key ${accessKeyId}.\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(`Revoked ${accessKeyId}. Servers stop accepting it within 5 seconds.\n`);
      }, { account: false }),
  );
}

/**
 * Checked while the command line is parsed, so a typo is commander's one-line error (exit 1)
 * before anything is opened or created, not a stack trace after the store was initialized.
 */
function accountIdArgument(value: string): string {
  if (!/^\d{12}$/.test(value)) throw new InvalidArgumentError('An account id is 12 digits.');
  return value;
}
