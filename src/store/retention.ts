import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/**
 * Terminal loops that ended before `cutoff`, oldest first. Reads human_loops_terminal_by_age
 * (migration 0003, literal statuses so both planners use it) from its start: a loop ends after
 * it was created, so every candidate was also created before the cut-off. The few created
 * before it but ended after it are read and skipped by each batch until they age out.
 */
export function retiredLoopsQuery(db: Db, cutoff: number, limit: number) {
  return db
    .selectFrom('human_loops')
    .select('id')
    .where(sql<boolean>`status in ('Completed', 'Failed', 'Stopped')`)
    .where('created_at', '<', cutoff)
    .where(sql<boolean>`coalesce(completed_at, failed_at, stopped_at) < ${cutoff}`)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit);
}

/**
 * Removes up to `limit` terminal loops that ended before `cutoff`, with their review slots,
 * answers and skips, in one transaction; returns how many loops it removed. The delete repeats
 * the conditions, so a loop is only ever removed while terminal and past the cut-off whatever
 * ran between the read and the delete. Output files are never touched.
 */
export async function removeRetiredLoops(db: Db, cutoff: number, limit: number): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const candidates = (await retiredLoopsQuery(tx, cutoff, limit).execute()).map((row) => row.id);
    if (candidates.length === 0) return 0;
    const removed = await tx
      .deleteFrom('human_loops')
      .where('id', 'in', candidates)
      .where(sql<boolean>`status in ('Completed', 'Failed', 'Stopped')`)
      .where(sql<boolean>`coalesce(completed_at, failed_at, stopped_at) < ${cutoff}`)
      .returning('id')
      .execute();
    const ids = removed.map((row) => row.id);
    if (ids.length === 0) return 0;
    await tx.deleteFrom('answers').where('human_loop_id', 'in', ids).execute();
    await tx.deleteFrom('task_skips').where('human_loop_id', 'in', ids).execute();
    await tx.deleteFrom('tasks').where('human_loop_id', 'in', ids).execute();
    return ids.length;
  });
}
