import { type Kysely } from 'kysely';
import { isPostgres, type MigrationModule } from './dialect.js';

/**
 * Buckets belong to accounts (issue 10), and output writes that keep failing are bounded.
 *
 * Upgrade path: before this migration every account wrote into one shared output directory. Each
 * bucket named by an existing flow definition's S3OutputPath is given to the account of the
 * OLDEST such flow definition, so output already on disk stays readable by the account that
 * wrote it. A bucket several accounts used goes to the first; the others' flow definitions then
 * fail their next output with a reason naming the owner, until an operator maps the bucket
 * (TANDEM_BUCKETS) or the flow definition is recreated with a bucket of its own.
 */
export const buckets: MigrationModule = {
  async up(db: Kysely<unknown>) {
    const time = isPostgres(db) ? 'bigint' : 'integer';
    await db.schema
      .createTable('buckets')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('buckets_by_account').on('buckets').columns(['account_id', 'name']).execute();

    // Output writes that failed and wait for their next attempt (a separate table, so the hot
    // human_loops rows stay as they are).
    await db.schema
      .createTable('output_retries')
      .addColumn('human_loop_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('error', 'text', (c) => c.notNull())
      .addColumn('first_failed_at', time, (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('retry_at', time, (c) => c.notNull())
      .execute();

    const flows = await (db as Kysely<LegacyFlows>)
      .selectFrom('flow_definitions')
      .select(['account_id', 'output_config', 'created_at'])
      .orderBy('created_at')
      .orderBy('account_id')
      .execute();
    const owners = new Map<string, { account_id: string; created_at: number }>();
    for (const flow of flows) {
      const bucket = bucketOf(flow.output_config);
      if (bucket && !owners.has(bucket)) owners.set(bucket, { account_id: flow.account_id, created_at: Number(flow.created_at) });
    }
    for (const [name, owner] of owners) {
      await (db as Kysely<LegacyFlows>).insertInto('buckets').values({ name, ...owner }).execute();
    }
  },
};

interface LegacyFlows {
  flow_definitions: { account_id: string; output_config: string; created_at: number };
  buckets: { name: string; account_id: string; created_at: number };
}

function bucketOf(outputConfig: string): string | undefined {
  try {
    const path = (JSON.parse(outputConfig) as { S3OutputPath?: unknown }).S3OutputPath;
    const match = typeof path === 'string' ? /^s3:\/\/([^/]+)/.exec(path) : null;
    return match?.[1];
  } catch {
    return undefined;
  }
}
