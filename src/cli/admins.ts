import type { Command } from 'commander';
import { addAdmin } from '../operations/admins.js';
import { withExistingStore } from './existing-store.js';
import { addConfigOptions } from './main.js';
import { readPasswordFromStdin } from './workers.js';

type Options = Record<string, unknown>;

/**
 * `tandem admins add`: people who use the admin console at `/console`.
 *
 * @example
 * tandem admins add --email ops@example.com --role admin --operator          # prints an invite link
 * printf '%s' "$PASSWORD" | tandem admins add --email lee@example.com --role viewer --password-stdin
 */
export function registerAdminCommands(program: Command): void {
  const admins = program.command('admins').description('manage the admins who use the console at /console');

  addConfigOptions(admins.command('add').description('add a console admin and print their one-time invite link'))
    .requiredOption('--email <email>', "the admin's email address (their sign-in name)")
    .requiredOption('--role <role>', 'admin (may change everything) or viewer (read-only)')
    .option('--account <id>', 'the account they administer (default: the default account)')
    .option('--operator', 'a Tandem-wide operator who can switch between all accounts')
    .option('--password-stdin', 'read the password from standard input instead of making an invite link')
    .action((options: Options) =>
      withExistingStore(
        options,
        async ({ resources, accountId }) => {
          const password = options.passwordStdin ? await readPasswordFromStdin() : undefined;
          const { admin, inviteUrl } = await addAdmin(resources, { email: options.email as string, role: options.role as string, accountId: options.operator ? null : accountId, password });
          const scope = admin.account_id === null ? 'every account (operator)' : `account ${admin.account_id}`;
          process.stdout.write(`Added ${admin.role} ${admin.email} for ${scope}.\n`);
          if (inviteUrl) process.stdout.write(`Invite link (works once, for 7 days):\n${inviteUrl}\n`);
          else process.stdout.write(`Password set; sign in at ${resources.config.publicUrl}/console\n`);
        },
        { account: !options.operator },
      ),
    );
}
