/**
 * The delivery side of events: publish committed outbox rows, then attempt the deliveries that
 * are due. Run by the engine in every process that runs it; the store's claims make that safe.
 */
import { afterFailedAttempt } from '../domain/delivery-schedule.js';
import { buildEnvelope } from '../domain/events.js';
import type { Resources } from '../resources.js';
import { publishPendingEvents } from '../store/event-log.js';
import { claimDueDeliveries, finishAttempt, type ClaimedDelivery } from '../store/webhooks.js';
import { postEvent } from './post-event.js';

/** Outbox rows published per transaction. */
export const PUBLISH_BATCH = 500;
/** Deliveries attempted at once by one process. */
export const DELIVERY_BATCH = 50;

export async function publishEvents(resources: Resources): Promise<number> {
  return publishPendingEvents(resources.store.db, resources.config.region, resources.clock.now(), PUBLISH_BATCH);
}

/** Attempts the due deliveries (one batch) and records each outcome; returns how many were attempted. */
export async function deliverDueEvents(resources: Resources, random: () => number = Math.random): Promise<number> {
  const { config, clock, store } = resources;
  const now = clock.now();
  // The lease outlasts the attempt's own deadline, so it only runs out when the process died.
  const leaseUntil = now + config.webhookTimeoutMs * 2 + 5_000;
  const claims = await claimDueDeliveries(store.db, now, leaseUntil, DELIVERY_BATCH);
  await Promise.all(claims.map((claim) => attempt(resources, claim, random)));
  return claims.length;
}

async function attempt(resources: Resources, { delivery, webhook, event }: ClaimedDelivery, random: () => number): Promise<void> {
  const { config, clock, store, logger, secrets } = resources;
  const envelope = buildEnvelope(event, config.region);
  const outcome = await postEvent({
    url: webhook.url,
    secret: secrets.open(webhook.secret_encrypted),
    eventId: envelope.id,
    body: JSON.stringify(envelope),
    timestamp: Math.floor(clock.now() / 1000),
    timeoutMs: config.webhookTimeoutMs,
    allowPrivateTargets: config.webhookAllowPrivateTargets,
  });
  const now = clock.now();
  if (outcome.ok) {
    // Counted once acknowledged: a claim lost meanwhile (the lease ran out) was delivered all the same.
    resources.metrics?.deliveryAttempted('delivered', event.created_at, now);
    await finishAttempt(store.db, delivery, { state: 'delivered', at: now });
    return;
  }
  const next = afterFailedAttempt(delivery.attempts, delivery.created_at, now, config.webhookRetryHours * 3_600_000, random());
  if ('dead' in next) {
    if (await finishAttempt(store.db, delivery, { state: 'dead', at: now, error: outcome.reason })) {
      resources.metrics?.deliveryAttempted('dead', event.created_at, now);
      logger.warn(
        { webhookId: webhook.id, deliveryId: delivery.id, eventId: envelope.id, attempts: delivery.attempts, reason: outcome.reason },
        'webhook delivery dead-lettered',
      );
    }
    return;
  }
  resources.metrics?.deliveryAttempted('retry', event.created_at, now);
  await finishAttempt(store.db, delivery, { state: 'pending', retryAt: next.retryAt, error: outcome.reason });
}
