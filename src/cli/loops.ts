import type { Command } from 'commander';
import { NotFoundError } from '../api/aws/errors.js';
import { retryFailedOutput } from '../operations/completion.js';
import { findHumanLoop } from '../store/human-loops.js';
import { withExistingStore } from './existing-store.js';
import { addConfigOptions } from './main.js';

type Options = Record<string, unknown>;

/**
 * `tandem loops retry-output <name>…`: writes output.json again for loops that ended Failed
 * because it could not be written (a missing bucket, a store that refused), once the cause is
 * fixed, and moves them to Completed. Run it with the server's settings (the same object store).
 *
 * @example
 * tandem loops retry-output invoice-0042 invoice-0043 --account 111122223333
 */
export function registerLoopCommands(program: Command): void {
  const loops = program.command('loops').description('act on human loops');

  addConfigOptions(loops.command('retry-output').description('write output.json again for loops that Failed for their output, and complete them'))
    .argument('<human-loop-name...>')
    .option('--account <id>', "the account (default: TANDEM_ACCOUNT_ID, else the store's default account)")
    .action((names: string[], options: Options) =>
      withExistingStore(options, async ({ resources, accountId }) => {
        let failures = 0;
        for (const name of names) {
          const loop = await findHumanLoop(resources.store.db, accountId, name);
          if (!loop) throw new NotFoundError(`Human loop '${name}' does not exist in account ${accountId}.`);
          const outcome = await retryFailedOutput(resources, loop);
          if (outcome.ok) {
            process.stdout.write(`${name}: Completed, output at ${outcome.uri}\n`);
          } else {
            failures += 1;
            process.stderr.write(`${name}: not retried: ${outcome.reason}\n`);
          }
        }
        if (failures > 0) process.exitCode = 1;
      }),
    );
}
