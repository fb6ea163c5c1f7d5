import { sql, type Kysely } from 'kysely';
import { isPostgres, type MigrationModule } from './dialect.js';

/** Accounts, keys, the SageMaker resources, human loops and the event outbox. */
export const controlPlane: MigrationModule = {
  async up(db: Kysely<unknown>) {
    const pg = isPostgres(db);
    const time = pg ? 'bigint' : 'integer';

    await db.schema
      .createTable('settings')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('access_keys')
      .addColumn('access_key_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('secret_encrypted', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('revoked_at', time)
      .execute();

    await db.schema
      .createTable('workteams')
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('workforce_name', 'text')
      .addColumn('member_definitions', 'text', (c) => c.notNull())
      .addColumn('notification_configuration', 'text')
      .addColumn('worker_access_configuration', 'text')
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('updated_at', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('workteams_pk', ['account_id', 'name'])
      .execute();

    await db.schema
      .createTable('human_task_uis')
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('template', 'text', (c) => c.notNull())
      .addColumn('template_sha256', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('human_task_uis_pk', ['account_id', 'name'])
      .execute();

    await db.schema
      .createTable('flow_definitions')
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('role_arn', 'text', (c) => c.notNull())
      .addColumn('request_source', 'text')
      .addColumn('activation_conditions', 'text')
      .addColumn('human_loop_config', 'text', (c) => c.notNull())
      .addColumn('output_config', 'text', (c) => c.notNull())
      .addColumn('workteam_name', 'text', (c) => c.notNull())
      .addColumn('human_task_ui_name', 'text', (c) => c.notNull())
      .addColumn('task_count', 'integer', (c) => c.notNull())
      .addColumn('task_availability_lifetime_seconds', 'integer', (c) => c.notNull())
      .addColumn('task_time_limit_seconds', 'integer', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('failure_reason', 'text')
      .addColumn('created_at', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('flow_definitions_pk', ['account_id', 'name'])
      .execute();

    await db.schema
      .createTable('human_loops')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('flow_definition_name', 'text', (c) => c.notNull())
      .addColumn('flow_definition_arn', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('input_content', 'text', (c) => c.notNull())
      .addColumn('input_sha256', 'text', (c) => c.notNull())
      .addColumn('content_classifiers', 'text', (c) => c.notNull())
      .addColumn('failure_reason', 'text')
      .addColumn('failure_code', 'text')
      .addColumn('output_s3_uri', 'text')
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('stop_requested_at', time)
      .addColumn('stopped_at', time)
      .addColumn('completed_at', time)
      .addColumn('failed_at', time)
      .addUniqueConstraint('human_loops_account_name', ['account_id', 'name'])
      .execute();
    // ListHumanLoops: one flow definition's loops in creation order, keyset-paginated.
    await db.schema
      .createIndex('human_loops_by_flow')
      .on('human_loops')
      .columns(['account_id', 'flow_definition_name', 'created_at', 'id'])
      .execute();

    await db.schema
      .createTable('outbox')
      .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('subject_arn', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('dispatched_at', time)
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    // The dispatcher scans undelivered rows only; a partial index keeps that scan small.
    await sql`create index outbox_pending on outbox (id) where dispatched_at is null`.execute(db);
  },
};
