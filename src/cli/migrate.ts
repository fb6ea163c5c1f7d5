import { withExistingStore } from './existing-store.js';

/** Opening an existing store brings its schema up to date; a missing store is refused, not created. */
export async function runMigrate(options: Record<string, unknown>): Promise<void> {
  await withExistingStore(
    options,
    async ({ resources }) => {
      process.stdout.write(`Database schema is up to date (${resources.store.dialect}).\n`);
    },
    { account: false },
  );
}
