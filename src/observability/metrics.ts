import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../resources.js';
import type { ScrapedMetrics } from './scrape.js';
import type { Store } from '../store/database.js';
import { readMetricsSnapshot, type MetricsSnapshot } from '../store/metrics-snapshot.js';

/** Short operations (HTTP requests, claims, answers): 2.5 ms to 10 s. */
const LATENCY_BUCKETS = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Commit to a webhook's acknowledgement: milliseconds when all is well, hours while an endpoint is down. */
const DELIVERY_LAG_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600];
/** A human loop's life: a minute to a month. */
const LOOP_LIFETIME_BUCKETS = [60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 86_400, 3 * 86_400, 7 * 86_400, 30 * 86_400];

export type EndedStatus = 'Completed' | 'Failed' | 'Stopped';

/** A webhook delivery attempt's outcome: acknowledged (2xx), failed and to be retried, or failed for good. */
export type DeliveryOutcome = 'delivered' | 'retry' | 'dead';

/**
 * Tandem's Prometheus metrics, one registry per process. Counters and histograms are recorded
 * where things happen; the gauges are read from the store when scraped, so every process
 * reports the same values (their cluster aggregator is `max`, not `sum`).
 */
export class TandemMetrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'operation' | 'code'>;
  readonly claimDuration: Histogram<'outcome'>;
  readonly answerDuration: Histogram<'outcome'>;
  readonly completionTime: Histogram<'account' | 'flow_definition'>;
  readonly loopsEnded: Counter<'account' | 'flow_definition' | 'status'>;
  readonly webhookDeliveries: Counter<'outcome'>;
  readonly deliveryLag: Histogram;
  /** The store read in flight: one serves every gauge of a scrape (their collects run concurrently). */
  #snapshot: Promise<MetricsSnapshot> | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'tandem_http_request_duration_seconds',
      help: 'HTTP requests by operation (AWS operation name, or the route pattern) and status code.',
      labelNames: ['operation', 'code'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.claimDuration = new Histogram({
      name: 'tandem_task_claim_duration_seconds',
      help: "Time to answer a reviewer's request for the next task; outcome claimed or empty.",
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.answerDuration = new Histogram({
      name: 'tandem_answer_submit_duration_seconds',
      help: "Time to store a reviewer's answer (and write output.json when it was the last one); outcome saved, completed_loop or refused.",
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.completionTime = new Histogram({
      name: 'tandem_human_loop_completion_seconds',
      help: 'Time from StartHumanLoop to Completed, per flow definition.',
      labelNames: ['account', 'flow_definition'],
      buckets: LOOP_LIFETIME_BUCKETS,
      registers,
    });
    this.loopsEnded = new Counter({
      name: 'tandem_human_loops_ended_total',
      help: 'Human loops that reached Completed, Failed or Stopped, per flow definition.',
      labelNames: ['account', 'flow_definition', 'status'],
      registers,
    });

    this.webhookDeliveries = new Counter({
      name: 'tandem_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome: delivered (2xx), retry (failed, tried again later) or dead (dead-lettered).',
      labelNames: ['outcome'],
      registers,
    });
    this.deliveryLag = new Histogram({
      name: 'tandem_webhook_delivery_lag_seconds',
      help: "Time from an event's commit to a webhook's 2xx acknowledgement of it, retries included.",
      buckets: DELIVERY_LAG_BUCKETS,
      registers,
    });

    const snapshot = () => this.snapshot();
    new Gauge({
      name: 'tandem_human_loops',
      help: 'Human loops now InProgress or Stopping, per flow definition (read from the store at scrape).',
      labelNames: ['account', 'flow_definition', 'status'],
      registers,
      aggregator: 'max',
      async collect() {
        const { loops } = await snapshot();
        this.reset();
        for (const loop of loops) this.set({ account: loop.accountId, flow_definition: loop.flowDefinition, status: loop.status }, loop.count);
      },
    });
    new Gauge({
      name: 'tandem_tasks_waiting',
      help: 'Review slots waiting for a reviewer, per work team (read from the store at scrape).',
      labelNames: ['account', 'workteam'],
      registers,
      aggregator: 'max',
      async collect() {
        const { queues } = await snapshot();
        this.reset();
        for (const queue of queues) this.set({ account: queue.accountId, workteam: queue.workteam }, queue.waiting);
      },
    });
    new Gauge({
      name: 'tandem_tasks_leased',
      help: 'Review slots a reviewer holds now, per work team (read from the store at scrape).',
      labelNames: ['account', 'workteam'],
      registers,
      aggregator: 'max',
      async collect() {
        const { queues } = await snapshot();
        this.reset();
        for (const queue of queues) this.set({ account: queue.accountId, workteam: queue.workteam }, queue.leased);
      },
    });
    new Gauge({
      name: 'tandem_outbox_backlog',
      help: 'Events not yet delivered (read from the store at scrape): stage unpublished (committed, not yet fanned out to webhooks and streams) or undelivered (webhook deliveries waiting for an attempt).',
      labelNames: ['stage'],
      registers,
      aggregator: 'max',
      async collect() {
        const { events } = await snapshot();
        this.set({ stage: 'unpublished' }, events.unpublished);
        this.set({ stage: 'undelivered' }, events.undelivered);
      },
    });
    new Gauge({
      name: 'tandem_webhook_dead_letters',
      help: 'Webhook deliveries in the dead-letter list, waiting for a replay (read from the store at scrape).',
      registers,
      aggregator: 'max',
      async collect() {
        this.set((await snapshot()).events.deadLetters);
      },
    });
    const scrapeClock = this.clock;
    new Gauge({
      name: 'tandem_tasks_oldest_waiting_age_seconds',
      help: 'Age of the oldest review slot still waiting, per work team; 0 when none waits.',
      labelNames: ['account', 'workteam'],
      registers,
      aggregator: 'max',
      async collect() {
        const { queues } = await snapshot();
        this.reset();
        const now = scrapeClock.now();
        for (const queue of queues) {
          const age = queue.oldestWaitingAt === null ? 0 : Math.max(0, (now - queue.oldestWaitingAt) / 1000);
          this.set({ account: queue.accountId, workteam: queue.workteam }, age);
        }
      },
    });
  }

  /** A delivery attempt ended; `committedAt` (the event's outbox time) and `at` in ms. */
  deliveryAttempted(outcome: DeliveryOutcome, committedAt: number, at: number): void {
    this.webhookDeliveries.inc({ outcome });
    if (outcome === 'delivered') this.deliveryLag.observe(Math.max(0, (at - committedAt) / 1000));
  }

  /** A loop reached an end state; `createdAt` and `endedAt` in ms. */
  loopEnded(loop: { account_id: string; flow_definition_name: string; created_at: number }, status: EndedStatus, endedAt: number): void {
    const labels = { account: loop.account_id, flow_definition: loop.flow_definition_name };
    this.loopsEnded.inc({ ...labels, status });
    if (status === 'Completed') this.completionTime.observe(labels, Math.max(0, (endedAt - loop.created_at) / 1000));
  }

  #scrape: (() => Promise<ScrapedMetrics>) | undefined;

  /** What a scrape of this process answers: its own registry, or the cluster's (cluster-metrics.ts). */
  async scrape(): Promise<ScrapedMetrics> {
    if (this.#scrape) return this.#scrape();
    return { text: await this.registry.metrics(), contentType: this.registry.contentType };
  }

  /** Makes scrapes answer with `scrape` instead: a cluster's server process asks the primary. */
  scrapeWith(scrape: () => Promise<ScrapedMetrics>): void {
    this.#scrape = scrape;
  }

  private snapshot(): Promise<MetricsSnapshot> {
    if (!this.#snapshot) {
      const read = readMetricsSnapshot(this.store.db);
      this.#snapshot = read;
      const clear = () => {
        if (this.#snapshot === read) this.#snapshot = undefined;
      };
      read.then(clear, clear);
    }
    return this.#snapshot;
  }
}
