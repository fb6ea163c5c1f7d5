/**
 * Webhook endpoints and the deliveries owed to them. Deliveries are claimed with a lease (the
 * attempt's deadline moved into `next_attempt_at`), so a process that dies mid-attempt leaves
 * the delivery to be claimed again once the lease runs out, and several processes on one
 * PostgreSQL never attempt the same delivery at once.
 */
import { sql, type Kysely } from 'kysely';
import { isPostgres } from './migrations/dialect.js';
import type { Database, OutboxRow, WebhookDeliveryRow, WebhookRow } from './schema.js';

type Db = Kysely<Database>;

export async function insertWebhook(db: Db, row: WebhookRow): Promise<void> {
  await db.insertInto('webhooks').values(row).execute();
}

export async function listWebhooks(db: Db, accountId: string | undefined): Promise<WebhookRow[]> {
  let query = db.selectFrom('webhooks').selectAll().orderBy('created_at').orderBy('id');
  if (accountId !== undefined) query = query.where('account_id', '=', accountId);
  return query.execute();
}

export async function findWebhook(db: Db, id: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Removes the endpoint and everything it was still owed. */
export async function deleteWebhook(db: Db, id: string): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    await tx.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
    const removed = await tx.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst();
    return Number(removed.numDeletedRows) > 0;
  });
}

/** A claimed attempt: the delivery, its endpoint and its event. */
export interface ClaimedDelivery {
  delivery: WebhookDeliveryRow;
  webhook: WebhookRow;
  event: OutboxRow;
}

/**
 * Claims up to `limit` due deliveries, each the oldest still pending of its loop for its
 * endpoint (so a loop's events reach an endpoint in order), by moving their next attempt past
 * `leaseUntil` and counting the attempt. PostgreSQL skips rows another process is claiming.
 */
export async function claimDueDeliveries(db: Db, now: number, leaseUntil: number, limit: number): Promise<ClaimedDelivery[]> {
  const claimed = await db.transaction().execute(async (tx) => {
    let query = tx
      .selectFrom('webhook_deliveries as d')
      .select('d.id')
      .where('d.state', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('webhook_deliveries as e')
              .select('e.id')
              .whereRef('e.webhook_id', '=', 'd.webhook_id')
              .whereRef('e.subject_arn', '=', 'd.subject_arn')
              .where('e.state', '=', 'pending')
              .whereRef('e.outbox_id', '<', 'd.outbox_id'),
          ),
        ),
      )
      .orderBy('d.outbox_id')
      .limit(limit);
    if (isPostgres(tx as unknown as Kysely<unknown>)) query = query.forUpdate().skipLocked();
    const ids = (await query.execute()).map((row) => row.id);
    if (ids.length === 0) return [];
    return tx
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: leaseUntil, attempts: sql`attempts + 1` })
      .where('id', 'in', ids)
      .where('state', '=', 'pending')
      .returningAll()
      .execute();
  });
  if (claimed.length === 0) return [];
  const hooks = new Map(
    (await db.selectFrom('webhooks').selectAll().where('id', 'in', [...new Set(claimed.map((d) => d.webhook_id))]).execute()).map((h) => [h.id, h]),
  );
  const events = new Map(
    (await db.selectFrom('outbox').selectAll().where('id', 'in', [...new Set(claimed.map((d) => d.outbox_id))]).execute()).map((e) => [e.id, e]),
  );
  return claimed.flatMap((delivery) => {
    const webhook = hooks.get(delivery.webhook_id);
    const event = events.get(delivery.outbox_id);
    return webhook && event ? [{ delivery: delivery as WebhookDeliveryRow, webhook, event }] : [];
  });
}

/**
 * Records an attempt's outcome, if the attempt still holds its claim (same attempt count,
 * still pending): a late answer after the lease ran out and another process took over changes
 * nothing.
 */
export async function finishAttempt(
  db: Db,
  claim: WebhookDeliveryRow,
  outcome: { state: 'delivered'; at: number } | { state: 'pending'; retryAt: number; error: string } | { state: 'dead'; at: number; error: string },
): Promise<boolean> {
  const values =
    outcome.state === 'delivered'
      ? { state: 'delivered' as const, finished_at: outcome.at, last_error: null }
      : outcome.state === 'dead'
        ? { state: 'dead' as const, finished_at: outcome.at, last_error: outcome.error }
        : { next_attempt_at: outcome.retryAt, last_error: outcome.error };
  const result = await db
    .updateTable('webhook_deliveries')
    .set(values)
    .where('id', '=', claim.id)
    .where('attempts', '=', claim.attempts)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface DeadLetter {
  delivery: WebhookDeliveryRow;
  event: OutboxRow;
}

export async function listDeadLetters(db: Db, webhookId: string, limit: number): Promise<DeadLetter[]> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .where('state', '=', 'dead')
    .orderBy('id')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  const events = new Map((await db.selectFrom('outbox').selectAll().where('id', 'in', rows.map((r) => r.outbox_id)).execute()).map((e) => [e.id, e]));
  return rows.flatMap((delivery) => {
    const event = events.get(delivery.outbox_id);
    return event ? [{ delivery, event }] : [];
  });
}

/** Puts dead-lettered deliveries of an endpoint (all, or the given ids) back in the queue, due now, with a fresh retry window. */
export async function replayDeadLetters(db: Db, webhookId: string, deliveryIds: number[] | undefined, now: number): Promise<number> {
  let query = db
    .updateTable('webhook_deliveries')
    .set({ state: 'pending', next_attempt_at: now, attempts: 0, created_at: now, finished_at: null })
    .where('webhook_id', '=', webhookId)
    .where('state', '=', 'dead');
  if (deliveryIds !== undefined) {
    if (deliveryIds.length === 0) return 0;
    query = query.where('id', 'in', deliveryIds);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
