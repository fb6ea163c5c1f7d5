import { sql, type Kysely } from 'kysely';
import type { MigrationModule } from './dialect.js';

/**
 * Indexes that keep every list page and every periodic engine query a bounded index range at
 * millions of loops (issue 15). Partial indexes hold only the rows in the state a query looks
 * for, so they stay small however much history the store keeps. Their WHERE clauses are written
 * with literals, and the queries that use them must spell the same literals (not bound
 * parameters): SQLite only uses a partial index when the query's WHERE visibly implies the
 * index's, and PostgreSQL's generic plans cannot either.
 */
export const scaleIndexes: MigrationModule = {
  async up(db: Kysely<unknown>) {
    // The SageMaker lists page by (created_at, name) within an account; with the row-value
    // cursor (store/keyset.ts) each page is one range on these.
    await sql`create index flow_definitions_by_age on flow_definitions (account_id, created_at, name)`.execute(db);
    await sql`create index human_task_uis_by_age on human_task_uis (account_id, created_at, name)`.execute(db);
    await sql`create index workteams_by_age on workteams (account_id, created_at, name)`.execute(db);

    // finish-stopping: loops left Stopping by a crash. Usually empty.
    await sql`create index human_loops_stopping on human_loops (id) where status = 'Stopping'`.execute(db);
    // complete-answered-loops: every answer in, output.json not yet durable. Usually empty.
    await sql`create index human_loops_answered on human_loops (id) where status = 'InProgress' and answers_complete_at is not null`.execute(
      db,
    );
    // DeleteFlowDefinition refuses while loops of the flow are active; count only those.
    await sql`create index human_loops_active_by_flow on human_loops (account_id, flow_definition_name) where status in ('InProgress', 'Stopping')`.execute(
      db,
    );
    // Retention: terminal loops oldest first (store/retention.ts).
    await sql`create index human_loops_terminal_by_age on human_loops (created_at, id) where status in ('Completed', 'Failed', 'Stopped')`.execute(
      db,
    );
    // expire-overdue-loops: slots still waiting, by availability deadline.
    await sql`create index tasks_waiting_by_deadline on tasks (available_until) where status in ('open', 'leased', 'held')`.execute(db);
    // The portal's next-task first re-offers the worker's own leases; without this it read
    // every slot of the store looking for the worker's.
    await sql`create index tasks_leased_by_worker on tasks (worker_id, leased_at, id) where status = 'leased'`.execute(db);
  },
};
