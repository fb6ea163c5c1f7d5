import { type Kysely } from 'kysely';
import { isPostgres, type MigrationModule } from './dialect.js';

/**
 * Failed sign-ins per key (an email, or a client address), in the store rather than one process's
 * memory, so every process behind a load balancer counts the same failures (issue 13).
 */
export const signInThrottle: MigrationModule = {
  async up(db: Kysely<unknown>) {
    const time = isPostgres(db) ? 'bigint' : 'integer';
    await db.schema
      .createTable('sign_in_throttle')
      // `portal|email|ana@example.com`, `console|address|203.0.113.7`, … (security/sign-in-throttle.ts)
      .addColumn('key', 'text', (c) => c.primaryKey())
      // The fixed window the failures count in: it starts at the first failure after the last one ended.
      .addColumn('window_start', time, (c) => c.notNull())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('last_failure_at', time, (c) => c.notNull())
      .execute();
    // Housekeeping deletes rows whose last failure is old.
    await db.schema.createIndex('sign_in_throttle_by_last_failure').on('sign_in_throttle').column('last_failure_at').execute();
  },
};
