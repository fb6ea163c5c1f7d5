import type { Command } from 'commander';
import {
  activateWorker,
  addWorker,
  deactivateWorker,
  listWorkers,
  reissueInvite,
  setWorkerTeams,
  workerIdByEmail,
  type WorkerSummary,
} from '../operations/workers.js';
import type { Resources } from '../resources.js';
import { withExistingStore } from './existing-store.js';
import { addConfigOptions } from './main.js';

type Options = Record<string, unknown>;

/**
 * `tandem workers add|list|deactivate|activate|invite|teams`: the people who answer tasks,
 * acting on the same store as the server.
 *
 * @example
 * tandem workers add --email ana@example.com --team reviewers     # prints a one-time invite link
 * printf '%s' "$PASSWORD" | tandem workers add --email bot@example.com --team qa --password-stdin
 */
export function registerWorkerCommands(program: Command): void {
  const workers = program.command('workers').description('manage the workers who answer tasks in the portal');

  withAccount(addConfigOptions(workers.command('add').description('add a worker and print their one-time invite link')))
    .requiredOption('--email <email>', "the worker's email address (their sign-in name)")
    .requiredOption('--team <name>', 'work team to join (repeat for several)', collect, [])
    .option('--name <name>', 'display name')
    .option('--password-stdin', 'read the password from standard input instead of making an invite link')
    .option('--json', 'print JSON')
    .action((options: Options) =>
      run(options, async (resources, accountId) => {
        const password = options.passwordStdin ? await readPasswordFromStdin() : undefined;
        const { worker, inviteUrl } = await addWorker(resources, {
          accountId,
          email: options.email as string,
          teams: options.team as string[],
          name: options.name as string | undefined,
          password,
        });
        if (options.json) return print(JSON.stringify({ ...worker, inviteUrl }));
        print(`Added ${worker.email} (worker id ${worker.workerId}) to ${worker.teams.join(', ')}.`);
        if (inviteUrl) print(`Invite link (works once, for 7 days):\n${inviteUrl}`);
        else print(`Password set; they can sign in at ${resources.config.publicUrl}/portal`);
      }),
    );

  withAccount(addConfigOptions(workers.command('list').description('list workers')))
    .option('--json', 'print JSON')
    .action((options: Options) =>
      run(options, async (resources, accountId) => {
        const rows = await listWorkers(resources, accountId);
        if (options.json) return print(JSON.stringify(rows));
        print(`${'WORKER ID'.padEnd(17)} ${'EMAIL'.padEnd(32)} ${'STATUS'.padEnd(8)} ${'SIGN-IN'.padEnd(14)} TEAMS`);
        for (const w of rows) print(`${w.workerId.padEnd(17)} ${w.email.padEnd(32)} ${w.status.padEnd(8)} ${signInState(w).padEnd(14)} ${w.teams.join(',')}`);
      }),
    );

  withAccount(addConfigOptions(workers.command('deactivate').description('stop a worker signing in; their tasks return to the queue')))
    .argument('<email>')
    .action((email: string, options: Options) =>
      run(options, async (resources, accountId) => {
        const { releasedLeases } = await deactivateWorker(resources, accountId, await workerIdByEmail(resources, accountId, email));
        print(`Deactivated ${email}; signed out everywhere, ${releasedLeases} task${releasedLeases === 1 ? '' : 's'} returned to the queue.`);
      }),
    );

  withAccount(addConfigOptions(workers.command('activate').description('let a deactivated worker sign in again')))
    .argument('<email>')
    .action((email: string, options: Options) =>
      run(options, async (resources, accountId) => {
        await activateWorker(resources, accountId, await workerIdByEmail(resources, accountId, email));
        print(`Activated ${email}.`);
      }),
    );

  withAccount(addConfigOptions(workers.command('invite').description('make a new one-time link for a worker to set their password')))
    .argument('<email>')
    .action((email: string, options: Options) =>
      run(options, async (resources, accountId) => {
        const url = await reissueInvite(resources, accountId, await workerIdByEmail(resources, accountId, email));
        print(`Invite link for ${email} (works once, for 7 days; earlier links stop working):\n${url}`);
      }),
    );

  withAccount(addConfigOptions(workers.command('teams').description("replace a worker's work teams")))
    .argument('<email>')
    .requiredOption('--team <name>', 'work team (repeat for several)', collect, [])
    .action((email: string, options: Options) =>
      run(options, async (resources, accountId) => {
        await setWorkerTeams(resources, accountId, await workerIdByEmail(resources, accountId, email), options.team as string[]);
        print(`${email} now belongs to ${(options.team as string[]).join(', ')}.`);
      }),
    );
}

function withAccount(command: Command): Command {
  return command.option('--account <id>', 'the account (default: TANDEM_ACCOUNT_ID, else the store\'s default account)');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function signInState(worker: WorkerSummary): string {
  if (worker.identityProvider === 'Oidc') return 'single sign-on';
  if (worker.passwordSet) return 'password';
  return worker.inviteExpiresAt !== null ? 'invited' : 'no password';
}

/** The whole of standard input, without one trailing newline (`echo` adds it). */
export async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new Error('--password-stdin reads the password from a pipe, e.g. printf %s "$PASSWORD" | tandem workers add …');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function run(options: Options, action: (resources: Resources, accountId: string) => Promise<void>): Promise<void> {
  return withExistingStore(options, ({ resources, accountId }) => action(resources, accountId), { quiet: Boolean(options.json) });
}
