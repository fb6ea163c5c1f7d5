/**
 * The outbox as an event log: fanning rows out to webhook deliveries (which gives each its
 * publication `sequence`), reading published events for a stream, and pruning old ones.
 */
import { sql, type Kysely } from 'kysely';
import { buildEnvelope, matchesFilter, type EventEnvelope } from '../domain/events.js';
import { isPostgres } from './migrations/dialect.js';
import type { Database, OutboxRow } from './schema.js';

type Db = Kysely<Database>;

/** Any constant: the advisory lock that lets one PostgreSQL session at a time publish. */
const PUBLISH_LOCK = 0x7a6e_0009;

/**
 * Publishes up to `limit` unpublished outbox rows, oldest first: gives each the next
 * `sequence`, and a pending delivery for every webhook whose filters it matches, in one
 * transaction. On PostgreSQL a transaction-scoped advisory lock admits one process at a time
 * (the others return 0 and try again later): sequences are then handed out in commit order, and
 * a loop's deliveries are created in the order its changes committed. Returns the rows published.
 */
export async function publishPendingEvents(db: Db, region: string, now: number, limit: number): Promise<number> {
  return db.transaction().execute(async (tx) => {
    if (isPostgres(tx as unknown as Kysely<unknown>)) {
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${PUBLISH_LOCK}) as locked`.execute(tx);
      if (!rows[0]?.locked) return 0;
    }
    const pending = await tx.selectFrom('outbox').selectAll().where('dispatched_at', 'is', null).orderBy('id').limit(limit).execute();
    if (pending.length === 0) return 0;
    const last = await tx.selectFrom('outbox').select((eb) => eb.fn.max('sequence').as('last')).executeTakeFirst();
    let sequence = Number(last?.last ?? 0);
    const hooks = await tx.selectFrom('webhooks').select(['id', 'account_id', 'flow_definition_name', 'detail_type']).execute();
    const deliveries: { webhook_id: string; outbox_id: number; subject_arn: string; state: 'pending'; next_attempt_at: number; created_at: number }[] = [];
    for (const row of pending) {
      sequence += 1;
      await tx.updateTable('outbox').set({ dispatched_at: now, sequence }).where('id', '=', row.id).execute();
      if (hooks.length === 0) continue;
      const envelope = buildEnvelope(row, region);
      for (const hook of hooks) {
        const filter = { accountId: hook.account_id, flowDefinitionName: hook.flow_definition_name, detailType: hook.detail_type };
        if (!matchesFilter(filter, envelope)) continue;
        deliveries.push({ webhook_id: hook.id, outbox_id: row.id, subject_arn: row.subject_arn, state: 'pending', next_attempt_at: now, created_at: row.created_at });
      }
    }
    for (let at = 0; at < deliveries.length; at += 200) {
      await tx.insertInto('webhook_deliveries').values(deliveries.slice(at, at + 200)).execute();
    }
    return pending.length;
  });
}

/** Published events of one account after `afterSequence`, in order. */
export async function readPublishedEvents(db: Db, accountId: string, afterSequence: number, limit: number): Promise<OutboxRow[]> {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('sequence', 'is not', null)
    .where('sequence', '>', afterSequence)
    .orderBy('sequence')
    .limit(limit)
    .execute();
}

export function envelopesOf(rows: OutboxRow[], region: string): { sequence: number; envelope: EventEnvelope }[] {
  return rows.map((row) => ({ sequence: row.sequence!, envelope: buildEnvelope(row, region) }));
}

/**
 * Removes up to `limit` published events created before `cutoff` that no webhook still owes
 * (no pending or dead-lettered delivery), with their delivered deliveries; returns how many.
 */
export async function pruneDeliveredEvents(db: Db, cutoff: number, limit: number): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const ids = (
      await tx
        .selectFrom('outbox')
        .select('id')
        .where('dispatched_at', 'is not', null)
        .where('created_at', '<', cutoff)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('webhook_deliveries')
                .select('webhook_deliveries.id')
                .whereRef('webhook_deliveries.outbox_id', '=', 'outbox.id')
                .where('webhook_deliveries.state', '!=', 'delivered'),
            ),
          ),
        )
        .orderBy('id')
        .limit(limit)
        .execute()
    ).map((row) => row.id);
    if (ids.length === 0) return 0;
    await tx.deleteFrom('webhook_deliveries').where('outbox_id', 'in', ids).where('state', '=', 'delivered').execute();
    const removed = await tx.deleteFrom('outbox').where('id', 'in', ids).executeTakeFirst();
    return Number(removed.numDeletedRows);
  });
}
