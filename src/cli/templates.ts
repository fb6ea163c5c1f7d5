import type { Command } from 'commander';
import { checkStoredTemplates } from '../operations/template-holds.js';
import { withExistingStore } from './existing-store.js';
import { addConfigOptions } from './main.js';

type Options = Record<string, unknown>;

/**
 * `tandem templates check`: worker task templates.
 *
 * `check` lists every stored task UI (all accounts) whose template uses a crowd element or
 * Liquid filter/tag Tandem does not have, with the reason and the number of loops waiting for it
 * (their slots are held, see operations/template-holds.ts), and reopens held loops whose
 * template has become usable. Exit code 1 when any template has a problem.
 *
 * @example
 * tandem templates check          # "All 3 stored task templates are usable." or one block per problem
 * tandem templates check --json
 */
export function registerTemplateCommands(program: Command): Command {
  const templates = program.command('templates').description('worker task templates: check stored ones');

  addConfigOptions(templates.command('check').description('list stored task templates that use an unknown crowd element, filter or tag'))
    .option('--json', 'print JSON')
    .action((options: Options) =>
      withExistingStore(options, async ({ resources }) => {
        const total = await resources.store.db
          .selectFrom('human_task_uis')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        const reports = await checkStoredTemplates(resources);
        const broken = reports.filter((r) => r.problems.length > 0);
        if (options.json) {
          print(JSON.stringify(reports));
        } else {
          for (const report of reports) {
            if (report.problems.length === 0) {
              print(`${report.humanTaskUiArn}: now usable; ${report.reopenedSlots} held review slot(s) back in the queue.`);
              continue;
            }
            print(`${report.humanTaskUiArn}: ${report.heldLoops} loop(s) waiting`);
            for (const problem of report.problems) print(`  ${problem.Code}: ${problem.Message}`);
          }
          const n = Number(total.n);
          if (broken.length === 0) print(`All ${n} stored task template${n === 1 ? ' is' : 's are'} usable.`);
          else print(`${broken.length} of ${n} stored task templates cannot be shown to reviewers; their loops wait. Create a fixed task UI and flow definition.`);
        }
        if (broken.length > 0) process.exitCode = 1;
      }, { account: false, quiet: Boolean(options.json) }),
    );
  return templates;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
