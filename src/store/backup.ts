import { chmodSync, copyFileSync, existsSync } from 'node:fs';
import SQLite from 'better-sqlite3';

/**
 * Copies a live SQLite store to `target` with SQLite's online backup API, consistent while
 * servers keep writing. All pages are copied in one backup step: a step reads one snapshot (WAL
 * readers do not block writers), whereas copying in chunks restarts whenever another connection
 * commits in between, which under steady load may be forever.
 */
export async function backupSqlite(source: string, target: string): Promise<{ pages: number }> {
  if (existsSync(target)) throw new Error(`${target} exists; a backup never overwrites a file.`);
  const database = new SQLite(source, { fileMustExist: true });
  try {
    database.pragma('busy_timeout = 5000');
    const result = await database.backup(target, { progress: () => 0x7fffffff });
    chmodSync(target, 0o600);
    return { pages: result.totalPages };
  } finally {
    database.close();
  }
}

/** True when `file` is an SQLite database holding Tandem's tables. */
export function isTandemSqliteFile(file: string): boolean {
  let database: SQLite.Database | undefined;
  try {
    database = new SQLite(file, { fileMustExist: true, readonly: true });
    return database.prepare("select 1 from sqlite_master where type = 'table' and name = 'accounts'").get() !== undefined;
  } catch {
    return false;
  } finally {
    database?.close();
  }
}

/** Copies a backup into place as the store file (the data directory holds no store). */
export function restoreSqlite(backup: string, target: string): void {
  copyFileSync(backup, target, 1 /* COPYFILE_EXCL: never replace a store */);
  chmodSync(target, 0o600);
}
