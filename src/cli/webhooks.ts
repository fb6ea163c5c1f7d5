import type { Command } from 'commander';
import { isTandemError } from '../api/aws/errors.js';
import { openResources } from '../bootstrap.js';
import { addWebhook, listDeadLetters, listWebhooks, removeWebhook, replayDeadLetters } from '../operations/webhooks.js';
import type { Resources } from '../resources.js';
import { addConfigOptions, configFrom } from './main.js';
import { readPasswordFromStdin } from './workers.js';

type Options = Record<string, unknown>;

/** The operator's view: every account's webhooks. */
const OPERATOR = { accountId: undefined };

/**
 * `tandem webhooks add|list|remove|dead-letters|replay`: endpoints that receive events, acting
 * on the same store as the server (an operator's command: webhooks of every account).
 *
 * @example
 * tandem webhooks add --url https://hooks.example.com/tandem --account 111122223333   # prints the signing secret once
 * tandem webhooks dead-letters wh-…            # what could not be delivered within the retry window
 * tandem webhooks replay wh-…                  # queue them again
 */
export function registerWebhookCommands(program: Command): void {
  const webhooks = program.command('webhooks').description('manage the endpoints that receive events');

  addConfigOptions(webhooks.command('add').description('add an endpoint and print its signing secret (shown once)'))
    .requiredOption('--url <url>', 'where events are POSTed (http or https)')
    .option('--account <id>', 'only events of this account (default: every account)')
    .option('--flow-definition <name>', 'only events of loops of this flow definition')
    .option('--detail-type <type>', 'only events of this detail-type, e.g. "SageMaker A2I HumanLoop Status Change"')
    .option('--description <text>', 'a note for the list')
    .option('--secret-stdin', 'read the signing secret from standard input instead of generating one')
    .option('--json', 'print JSON')
    .action((options: Options) =>
      run(options, async (resources) => {
        const secret = options.secretStdin ? await readPasswordFromStdin() : undefined;
        const { webhook, secret: shown } = await addWebhook(resources, OPERATOR, {
          url: options.url as string,
          accountId: options.account as string | undefined,
          flowDefinitionName: options.flowDefinition as string | undefined,
          detailType: options.detailType as string | undefined,
          description: options.description as string | undefined,
          secret,
        });
        if (options.json) return print(JSON.stringify({ ...webhook, secret: shown }));
        print(`Added webhook ${webhook.webhookId} → ${webhook.url}`);
        print(`Signing secret (shown once; verify the Tandem-Signature header with it):\n${shown}`);
      }),
    );

  addConfigOptions(webhooks.command('list').description('list endpoints'))
    .option('--json', 'print JSON')
    .action((options: Options) =>
      run(options, async (resources) => {
        const rows = await listWebhooks(resources, OPERATOR);
        if (options.json) return print(JSON.stringify(rows));
        print(`${'WEBHOOK ID'.padEnd(40)} ${'ACCOUNT'.padEnd(12)} ${'FILTERS'.padEnd(30)} URL`);
        for (const w of rows) {
          const filters = [w.flowDefinitionName && `flow=${w.flowDefinitionName}`, w.detailType && `type=${w.detailType}`].filter(Boolean).join(' ') || '-';
          print(`${w.webhookId.padEnd(40)} ${(w.accountId ?? 'all').padEnd(12)} ${filters.padEnd(30)} ${w.url}`);
        }
      }),
    );

  addConfigOptions(webhooks.command('remove').description('remove an endpoint (and drop what it was still owed)'))
    .argument('<webhook-id>')
    .action((id: string, options: Options) =>
      run(options, async (resources) => {
        await removeWebhook(resources, OPERATOR, id);
        print(`Removed webhook ${id}.`);
      }),
    );

  addConfigOptions(webhooks.command('dead-letters').description('events an endpoint did not accept within the retry window'))
    .argument('<webhook-id>')
    .option('--json', 'print JSON')
    .action((id: string, options: Options) =>
      run(options, async (resources) => {
        const letters = await listDeadLetters(resources, OPERATOR, id, 1000);
        if (options.json) return print(JSON.stringify(letters));
        print(`${'DELIVERY'.padEnd(9)} ${'EVENT ID'.padEnd(37)} ${'ATTEMPTS'.padEnd(8)} ${'DETAIL-TYPE'.padEnd(40)} LAST ERROR`);
        for (const l of letters) {
          print(`${String(l.deliveryId).padEnd(9)} ${l.eventId.padEnd(37)} ${String(l.attempts).padEnd(8)} ${l.event['detail-type'].padEnd(40)} ${l.lastError ?? ''}`);
        }
      }),
    );

  addConfigOptions(webhooks.command('replay').description('queue dead-lettered events of an endpoint again'))
    .argument('<webhook-id>')
    .option('--delivery <id>', 'only this delivery (repeat for several; default: all)', (value: string, previous: number[]) => [...previous, Number(value)], [])
    .action((id: string, options: Options) =>
      run(options, async (resources) => {
        const only = options.delivery as number[];
        if (only.some((n) => !Number.isInteger(n))) throw new Error('--delivery takes a delivery number from `tandem webhooks dead-letters`');
        const count = await replayDeadLetters(resources, OPERATOR, id, only.length > 0 ? only : undefined);
        print(`Queued ${count} event${count === 1 ? '' : 's'} for delivery again.`);
      }),
    );
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function run(options: Options, action: (resources: Resources) => Promise<void>): Promise<void> {
  const resources = await openResources({ ...configFrom(options), logLevel: 'warn' });
  try {
    await action(resources);
  } catch (error) {
    if (!isTandemError(error)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } finally {
    await resources.store.close();
  }
}
