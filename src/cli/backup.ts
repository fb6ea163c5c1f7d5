import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { backupSqlite, isTandemSqliteFile, restoreSqlite } from '../store/backup.js';
import { openStore } from '../store/database.js';
import { StoreRefusal, withExistingStore } from './existing-store.js';
import { addConfigOptions, configFrom } from './main.js';

const PG_BACKUP = 'For PostgreSQL, back up with pg_dump (pg_dump --format=custom --file tandem.dump "$TANDEM_DATABASE_URL") and keep TANDEM_MASTER_KEY with it.';
const PG_RESTORE = 'For PostgreSQL, restore with pg_restore into an empty database (pg_restore --dbname "$TANDEM_DATABASE_URL" tandem.dump).';

/**
 * `tandem backup <file>` and `tandem restore <file>` (SQLite).
 *
 * The backup is consistent while servers run. Stored secrets are encrypted under the master key,
 * which is not in the database: when it lives in the data directory it is copied to `<file>.key`
 * (mode 0600), and restore puts it back.
 *
 * @example
 * tandem backup /backups/tandem-$(date +%F).db
 * tandem restore /backups/tandem-2026-12-06.db --data-dir /var/lib/tandem-new
 */
export function registerBackupCommands(program: Command): void {
  addConfigOptions(program.command('backup').description('copy the SQLite store to a file, consistent while the server runs').argument('<file>')).action(
    (file: string, options: Record<string, unknown>) => {
      if (configFrom(options).databaseUrl) return refuse(PG_BACKUP);
      return withExistingStore(
        options,
        async ({ resources }) => {
          const target = resolve(file);
          const source = join(resources.config.dataDir, 'tandem.db');
          if (existsSync(target)) throw new StoreRefusal(`${target} exists; a backup never overwrites a file.`);
          const { pages } = await backupSqlite(source, target);
          const keyFile = join(resources.config.dataDir, 'master.key');
          const keyCopied = !resources.config.masterKey && existsSync(keyFile);
          if (keyCopied) copyFileSync(keyFile, `${target}.key`, 1);
          process.stdout.write(`Backed up ${pages} pages to ${target}.\n`);
          process.stdout.write(
            keyCopied
              ? `The master key is in ${target}.key; keep both files, and keep the key as private as the database.\n`
              : 'The master key is TANDEM_MASTER_KEY; keep it with the backup: the stored secrets need it.\n',
          );
        },
        { account: false },
      );
    },
  );

  addConfigOptions(program.command('restore').description('put a backup in place as the store of an empty data directory').argument('<file>')).action(
    async (file: string, options: Record<string, unknown>) => {
      const config = configFrom(options);
      if (config.databaseUrl) return refuse(PG_RESTORE);
      const backup = resolve(file);
      const target = join(config.dataDir, 'tandem.db');
      if (!isTandemSqliteFile(backup)) return refuse(`${backup} is not a Tandem backup.`);
      const present = existsSync(config.dataDir) ? readdirSync(config.dataDir).filter((f) => f.startsWith('tandem.db') || f === 'master.key') : [];
      if (present.length > 0) return refuse(`${config.dataDir} already holds a store (${present.join(', ')}); restore into an empty data directory.`);
      mkdirSync(config.dataDir, { recursive: true });
      restoreSqlite(backup, target);
      if (existsSync(`${backup}.key`)) copyFileSync(`${backup}.key`, join(config.dataDir, 'master.key'), 1);
      else if (!config.masterKey) process.stderr.write(`No ${backup}.key beside the backup: set TANDEM_MASTER_KEY to the key the backed-up store used.\n`);
      // Opening it brings an older backup's schema up to date and proves it is readable.
      const store = await openStore({ sqliteFile: target });
      await store.close();
      process.stdout.write(`Restored ${backup} to ${target}. Start the server on it with tandem serve.\n`);
    },
  );
}

function refuse(message: string): void {
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
}
