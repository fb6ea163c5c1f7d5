import { sql, type Kysely } from 'kysely';
import { isPostgres, type MigrationModule } from './dialect.js';

/**
 * Webhook endpoints and their deliveries. The outbox stays the record of what happened; a
 * delivery row is one event owed to one endpoint, so each endpoint retries and dead-letters on
 * its own while the outbox row is marked dispatched once it has been fanned out.
 */
export const webhooks: MigrationModule = {
  async up(db: Kysely<unknown>) {
    const pg = isPostgres(db);
    const time = pg ? 'bigint' : 'integer';

    await db.schema
      .createTable('webhooks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('url', 'text', (c) => c.notNull())
      // Filters; null matches everything.
      .addColumn('account_id', 'text')
      .addColumn('flow_definition_name', 'text')
      .addColumn('detail_type', 'text')
      .addColumn('secret_encrypted', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('created_at', time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('webhook_id', 'text', (c) => c.notNull())
      .addColumn('outbox_id', time, (c) => c.notNull())
      // The loop the event is about: deliveries of one loop to one endpoint go in outbox order.
      .addColumn('subject_arn', 'text', (c) => c.notNull())
      // pending | delivered | dead
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      // When a pending delivery may next be tried; a claim moves it past the attempt's lease.
      .addColumn('next_attempt_at', time, (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('finished_at', time)
      .execute();
    // The claim reads due pending rows in outbox order, and checks each for an earlier pending
    // delivery of the same loop to the same endpoint.
    await sql`create index webhook_deliveries_due on webhook_deliveries (outbox_id) where state = 'pending'`.execute(db);
    await sql`create index webhook_deliveries_per_loop on webhook_deliveries (webhook_id, subject_arn, outbox_id) where state = 'pending'`.execute(db);
    await sql`create index webhook_deliveries_dead on webhook_deliveries (webhook_id, id) where state = 'dead'`.execute(db);
    await sql`create index webhook_deliveries_outbox on webhook_deliveries (outbox_id)`.execute(db);
    // The order events are published in (webhooks, SSE): given when the row is fanned out, by one
    // process at a time, so it grows in commit order. PostgreSQL hands out `id`s when rows are
    // inserted, not when they commit, so a reader following `id` could pass over a row that
    // commits late; one following `sequence` cannot.
    await db.schema.alterTable('outbox').addColumn('sequence', time).execute();
    await sql`create unique index outbox_sequence on outbox (sequence) where sequence is not null`.execute(db);
    await sql`create index outbox_by_account_sequence on outbox (account_id, sequence) where sequence is not null`.execute(db);
  },
};
