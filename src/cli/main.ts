import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { ConfigError, loadConfig, type ConfigFlags } from '../config.js';
import { registerAdminCommands } from './admins.js';
import { registerKeyCommands } from './keys.js';
import { runServe } from './serve.js';
import { runMigrate } from './migrate.js';
import { runInit } from './init.js';
import { registerBackupCommands } from './backup.js';
import { registerLoopCommands } from './loops.js';
import { registerWorkerCommands } from './workers.js';
import { registerTemplateCommands } from './templates.js';
import { registerWebhookCommands } from './webhooks.js';

/** Flags every command takes: the same settings as the env vars and tandem.config.json. */
export function addConfigOptions(command: Command): Command {
  return command
    .addOption(new Option('--config <file>', 'JSON config file').env('TANDEM_CONFIG'))
    .addOption(new Option('--host <host>', 'interface to listen on [TANDEM_HOST, default 127.0.0.1]'))
    .addOption(new Option('--port <port>', 'TCP port [TANDEM_PORT, default 8080]'))
    .addOption(new Option('--data-dir <dir>', 'data directory [TANDEM_DATA_DIR, default ./data]'))
    .addOption(new Option('--database-url <url>', 'postgres:// URL; SQLite in the data dir when unset [TANDEM_DATABASE_URL]'))
    .addOption(new Option('--region <region>', 'region in ARNs [TANDEM_REGION, default us-east-1]'))
    .addOption(new Option('--account-id <id>', 'default account id, 12 digits [TANDEM_ACCOUNT_ID]'))
    .addOption(new Option('--access-key-id <id>', 'root access key id for the default account [TANDEM_ACCESS_KEY_ID]'))
    .addOption(new Option('--secret-access-key <secret>', 'its secret [TANDEM_SECRET_ACCESS_KEY]'))
    .addOption(new Option('--master-key <hex>', 'key that encrypts stored secrets [TANDEM_MASTER_KEY]'))
    .addOption(new Option('--output-dir <dir>', 'where s3:// output paths land [TANDEM_OUTPUT_DIR]'))
    .addOption(new Option('--public-url <url>', 'URL workers use to reach Tandem [TANDEM_PUBLIC_URL]'))
    .addOption(new Option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent [TANDEM_LOG_LEVEL]'))
    .addOption(new Option('--processes <n>', 'server processes sharing the port, or auto (one per core) [TANDEM_PROCESSES, default 1]'))
    .addOption(new Option('--no-seed-demo', 'do not seed the demo in a new account [TANDEM_SEED_DEMO=false]'));
}

/** Commander's parsed options → config flags (commander sets seedDemo=true unless negated). */
export function configFrom(options: Record<string, unknown>) {
  const flags: ConfigFlags = { ...(options as ConfigFlags) };
  if (options.seedDemo !== false) delete flags.seedDemo;
  return loadConfig(flags);
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('tandem')
    .description('Self-hosted human review for ML predictions, wire-compatible with Amazon A2I.')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .showHelpAfterError();

  addConfigOptions(program.command('serve').description('start the server')).action(runServe);
  addConfigOptions(program.command('init').description('create the store and its default account without starting a server')).action(runInit);
  addConfigOptions(program.command('migrate').description('bring the database schema up to date and exit')).action(runMigrate);
  registerKeyCommands(program);
  registerWorkerCommands(program);
  registerAdminCommands(program);
  registerTemplateCommands(program);
  registerWebhookCommands(program);
  registerBackupCommands(program);
  registerLoopCommands(program);

  // No command used to mean `serve`, so a stray `npx tandem` started a second server on the same data.
  if (argv.length <= 2) {
    program.outputHelp();
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/** package.json's version, found upwards from this module (dist/cli, src/cli or a test bundle). */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'tandem' && manifest.version) return manifest.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
