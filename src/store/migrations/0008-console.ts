import { sql, type Kysely } from 'kysely';
import { isPostgres, type MigrationModule } from './dialect.js';

/**
 * The admin console: admin users (separate from workers and access keys), their sessions, the
 * audit log of what they did, and the index the console's loop list across flow definitions needs.
 */
export const consoleAdmins: MigrationModule = {
  async up(db: Kysely<unknown>) {
    const pg = isPostgres(db);
    const time = pg ? 'bigint' : 'integer';

    await db.schema
      .createTable('admins')
      .addColumn('id', 'text', (c) => c.primaryKey())
      // One admin per email across Tandem: the sign-in form asks for no account.
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull())
      // Null: a Tandem-wide operator, who may switch between accounts.
      .addColumn('account_id', 'text', (c) => c.references('accounts.id'))
      .addColumn('password_hash', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('invite_token_hash', 'text')
      .addColumn('invite_expires_at', time)
      .addColumn('created_at', time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('admin_sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('admin_id', 'text', (c) => c.notNull().references('admins.id').onDelete('cascade'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      // The account the console shows; fixed for an account's admin, switchable for an operator.
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('expires_at', time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('account_id', 'text')
      .addColumn('admin_id', 'text', (c) => c.notNull())
      .addColumn('admin_email', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addColumn('source_address', 'text', (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .execute();
    // The audit page: one account's entries, newest first.
    await sql`create index audit_log_by_account on audit_log (account_id, id)`.execute(db);

    // The console's loop list spans flow definitions: newest first within an account, and the
    // same with a status filter. Keyset pages over these are index range seeks.
    await sql`create index human_loops_by_account on human_loops (account_id, created_at, id)`.execute(db);
    await sql`create index human_loops_by_account_status on human_loops (account_id, status, created_at, id)`.execute(db);
    await sql`create index human_loops_by_flow_status on human_loops (account_id, flow_definition_name, status, created_at, id)`.execute(db);
    // Name-prefix search: a byte-order range. SQLite's (account_id, name) unique index already is
    // byte order; PostgreSQL's default collation may not be, so it gets a "C" one.
    if (pg) await sql`create index human_loops_by_name_c on human_loops (account_id, (name collate "C"))`.execute(db);
  },
};
