import { sql, type Kysely } from 'kysely';
import { isPostgres, type MigrationModule } from './dialect.js';

/**
 * The reviewer's workspace (issue 14): leases that follow the person, idempotent submits.
 * - `tasks.idle_release_at`: when a leased slot goes back to the queue because its page stopped
 *   sending heartbeats (or said it was closed), well before `lease_expires_at`; null means the
 *   lease only ends at its time limit. The engine finds due rows through the partial index.
 * - `answers.submission_id`: the id the portal page generated for a submit, so a retried submit
 *   of a stored answer is recognised instead of refused (no double answers either way: the
 *   unique (human_loop_id, worker_id) constraint already forbids them).
 */
export const reviewerWorkspace: MigrationModule = {
  async up(db: Kysely<unknown>) {
    const time = isPostgres(db) ? 'bigint' : 'integer';
    await db.schema.alterTable('tasks').addColumn('idle_release_at', time).execute();
    await sql`create index tasks_leased_by_idle_release on tasks (idle_release_at) where status = 'leased' and idle_release_at is not null`.execute(db);
    await db.schema.alterTable('answers').addColumn('submission_id', 'text').execute();
    // History pages through a worker's answers newest first (keyset on submitted_at, id).
    await db.schema.createIndex('answers_by_worker').on('answers').columns(['worker_id', 'submitted_at', 'id']).execute();
  },
};
