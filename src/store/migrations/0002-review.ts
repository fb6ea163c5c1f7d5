import { sql, type Kysely } from 'kysely';
import { isPostgres, type MigrationModule } from './dialect.js';

/** Workers, their teams and sessions; review slots (tasks) and answers. */
export const review: MigrationModule = {
  async up(db: Kysely<unknown>) {
    const time = isPostgres(db) ? 'bigint' : 'integer';

    await db.schema
      .createTable('workers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text')
      .addColumn('password_hash', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('identity_provider', 'text', (c) => c.notNull())
      .addColumn('oidc_issuer', 'text')
      .addColumn('oidc_subject', 'text')
      .addColumn('invite_token_hash', 'text')
      .addColumn('invite_expires_at', time)
      .addColumn('created_at', time, (c) => c.notNull())
      .addUniqueConstraint('workers_account_email', ['account_id', 'email'])
      .execute();

    await db.schema
      .createTable('workteam_members')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('workteam_name', 'text', (c) => c.notNull())
      .addColumn('worker_id', 'text', (c) => c.notNull().references('workers.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('workteam_members_pk', ['account_id', 'workteam_name', 'worker_id'])
      .execute();
    await db.schema.createIndex('workteam_members_by_worker').on('workteam_members').column('worker_id').execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('worker_id', 'text', (c) => c.notNull().references('workers.id').onDelete('cascade'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('expires_at', time, (c) => c.notNull())
      .execute();

    // One row per review slot: a loop with TaskCount N has N tasks.
    await db.schema
      .createTable('tasks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('human_loop_id', 'text', (c) => c.notNull())
      .addColumn('workteam_name', 'text', (c) => c.notNull())
      .addColumn('slot', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('worker_id', 'text')
      .addColumn('leased_at', time)
      .addColumn('lease_expires_at', time)
      .addColumn('time_limit_seconds', 'integer', (c) => c.notNull())
      .addColumn('available_until', time, (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('done_at', time)
      .addUniqueConstraint('tasks_loop_slot', ['human_loop_id', 'slot'])
      .execute();
    // The claim: a team's open slots, oldest first.
    await sql`create index tasks_open_by_team on tasks (account_id, workteam_name, created_at, id) where status = 'open'`.execute(db);
    // Lease expiry scans leased slots by deadline.
    await sql`create index tasks_leased_by_deadline on tasks (lease_expires_at) where status = 'leased'`.execute(db);
    // A worker holds at most one slot of a loop at a time, enforced by the store itself.
    await sql`create unique index tasks_one_per_worker on tasks (human_loop_id, worker_id) where worker_id is not null`.execute(db);

    await db.schema
      .createTable('answers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('human_loop_id', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('worker_id', 'text', (c) => c.notNull())
      .addColumn('answer_content', 'text', (c) => c.notNull())
      .addColumn('worker_metadata', 'text', (c) => c.notNull())
      .addColumn('accepted_at', time, (c) => c.notNull())
      .addColumn('submitted_at', time, (c) => c.notNull())
      .addColumn('time_spent_seconds', 'real', (c) => c.notNull())
      .addUniqueConstraint('answers_loop_worker', ['human_loop_id', 'worker_id'])
      .execute();

    // Workers who skipped a loop are not offered it again.
    await db.schema
      .createTable('task_skips')
      .addColumn('human_loop_id', 'text', (c) => c.notNull())
      .addColumn('worker_id', 'text', (c) => c.notNull())
      .addColumn('skipped_at', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('task_skips_pk', ['human_loop_id', 'worker_id'])
      .execute();

    // Loops whose answers are all in but whose output.json is not yet durable.
    await db.schema.alterTable('human_loops').addColumn('answers_complete_at', time).execute();
  },
};
