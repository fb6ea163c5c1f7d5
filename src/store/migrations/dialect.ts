import { PostgresAdapter, type Kysely } from 'kysely';

export interface MigrationModule {
  up(db: Kysely<unknown>): Promise<void>;
}

/** Migrations are shared by both dialects; the few column types that differ ask this. */
export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
