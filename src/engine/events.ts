import type { EngineTask } from './engine.js';
import { deliverDueEvents, publishEvents } from '../events/delivery.js';
import { pruneDeliveredEvents } from '../store/event-log.js';

/**
 * Publishes committed outbox rows and delivers due webhook events. Polled often: its idle run
 * is one indexed read of the outbox and one of the deliveries, and the poll interval is most of
 * the delivery lag.
 */
export const deliverEventsTask: EngineTask = {
  name: 'deliver-events',
  idleIntervalMs: 100,
  async run(resources) {
    const published = await publishEvents(resources);
    const attempted = await deliverDueEvents(resources);
    return published + attempted;
  },
};

/** Events per prune transaction: small, so a prune never holds SQLite's writer for long. */
export const EVENT_PRUNE_BATCH = 500;

/** Removes events older than TANDEM_EVENT_RETENTION_HOURS that every webhook has received. */
export const pruneEventsTask: EngineTask = {
  name: 'prune-events',
  idleIntervalMs: 60_000,
  async run(resources) {
    const cutoff = resources.clock.now() - resources.config.eventRetentionHours * 3_600_000;
    return pruneDeliveredEvents(resources.store.db, cutoff, EVENT_PRUNE_BATCH);
  },
};
