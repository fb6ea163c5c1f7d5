import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

/** Why the store cannot serve yet; undefined when it can. */
export type StoreReadiness = { ready: true } | { ready: false; reason: string };

/** A stuck connection attempt must not hold a load balancer's probe longer than this. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Whether the store answers a query and every migration compiled into this program has run on
 * it: a process started against a database that an older Tandem migrated, or that someone
 * rolled back, is up but must not take traffic.
 */
export async function checkStoreReadiness(db: Kysely<Database>): Promise<StoreReadiness> {
  try {
    const pending = await withTimeout(
      (async () => {
        await sql`select 1`.execute(db);
        const migrations = await new Migrator({ db, provider: migrationProvider }).getMigrations();
        return migrations.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
      })(),
      PROBE_TIMEOUT_MS,
    );
    if (pending.length > 0) return { ready: false, reason: `migrations pending: ${pending.join(', ')} (run tandem migrate)` };
    return { ready: true };
  } catch (error) {
    return { ready: false, reason: `store unreachable: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
