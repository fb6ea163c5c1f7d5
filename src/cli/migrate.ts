import { join } from 'node:path';
import { openStore } from '../store/database.js';
import { configFrom } from './main.js';

export async function runMigrate(options: Record<string, unknown>): Promise<void> {
  const config = configFrom(options);
  const store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile: join(config.dataDir, 'tandem.db') });
  await store.close();
  process.stdout.write(`Database schema is up to date (${store.dialect}).\n`);
}
