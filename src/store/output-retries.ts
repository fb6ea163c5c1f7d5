import { sql, type Kysely } from 'kysely';
import type { Database, OutputRetriesTable } from './schema.js';

type Db = Kysely<Database>;

export async function findOutputRetry(db: Db, loopId: string): Promise<OutputRetriesTable | undefined> {
  return db.selectFrom('output_retries').selectAll().where('human_loop_id', '=', loopId).executeTakeFirst();
}

/** Inserts or replaces the loop's retry row. */
export async function saveOutputRetry(db: Db, row: OutputRetriesTable): Promise<void> {
  await db
    .insertInto('output_retries')
    .values(row)
    .onConflict((oc) =>
      oc.column('human_loop_id').doUpdateSet({ error: row.error, attempts: row.attempts, retry_at: row.retry_at }),
    )
    .execute();
}

export async function deleteOutputRetry(db: Db, loopId: string): Promise<void> {
  await db.deleteFrom('output_retries').where('human_loop_id', '=', loopId).execute();
}

/** Answered loops still InProgress whose next output attempt is due (or that never tried). */
export async function findLoopsAwaitingOutput(db: Db, now: number, limit: number): Promise<string[]> {
  const rows = await loopsAwaitingOutputQuery(db, now, limit).execute();
  return rows.map((row) => row.id);
}

/**
 * Reads the partial index human_loops_answered (migration 0003), never the history: the
 * predicate is a literal so both planners can prove that index applies.
 */
export function loopsAwaitingOutputQuery(db: Db, now: number, limit: number) {
  return db
    .selectFrom('human_loops')
    .leftJoin('output_retries', 'output_retries.human_loop_id', 'human_loops.id')
    .select('human_loops.id')
    .where(sql<boolean>`human_loops.status = 'InProgress' and human_loops.answers_complete_at is not null`)
    .where((eb) => eb.or([eb('output_retries.retry_at', 'is', null), eb('output_retries.retry_at', '<=', now)]))
    .limit(limit);
}
