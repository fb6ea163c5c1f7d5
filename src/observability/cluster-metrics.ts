import type { Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { ScrapedMetrics } from './scrape.js';
import type { TandemMetrics } from './metrics.js';

/**
 * Metrics of a multi-process Tandem (cluster.ts), summed over its server processes by
 * prom-client's AggregatorRegistry in the primary: counters and histograms add up, the gauges
 * read from the store take the `max` (every process reads the same store). A scrape that lands
 * on a server process (the main port is shared) asks the primary over the cluster's IPC channel,
 * so every scrape sees the whole Tandem whichever process answers it.
 */
type Request = { type: 'tandem-metrics-request'; id: number };
type Response = { type: 'tandem-metrics-response'; id: number; text?: string; error?: string };

const SCRAPE_TIMEOUT_MS = 10_000;

/** Primary side: the aggregator, and the answer to server processes' scrape requests. */
export class ClusterMetrics {
  readonly #aggregator = new AggregatorRegistry();

  async scrape(): Promise<ScrapedMetrics> {
    return { text: await this.#aggregator.clusterMetrics(), contentType: this.#aggregator.contentType };
  }

  /** Serves `worker`'s requests for the aggregated metrics. */
  answer(worker: Worker): void {
    worker.on('message', (message: Request) => {
      if (message?.type !== 'tandem-metrics-request') return;
      this.scrape().then(
        (scraped) => worker.isConnected() && worker.send({ type: 'tandem-metrics-response', id: message.id, text: scraped.text } satisfies Response),
        (error: unknown) =>
          worker.isConnected() && worker.send({ type: 'tandem-metrics-response', id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies Response),
      );
    });
  }
}

/** Server-process side: offers this process's registry to the primary and scrapes through it. */
export function joinClusterMetrics(metrics: TandemMetrics): void {
  AggregatorRegistry.setRegistries([metrics.registry]);
  // Constructing one installs prom-client's listener for the primary's collection requests.
  new AggregatorRegistry();
  const pending = new Map<number, (response: Response) => void>();
  let next = 0;
  process.on('message', (message: Response) => {
    if (message?.type === 'tandem-metrics-response') pending.get(message.id)?.(message);
  });
  const contentType = metrics.registry.contentType;
  metrics.scrapeWith(
    () =>
      new Promise<ScrapedMetrics>((resolve, reject) => {
        const id = next++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`the primary process did not answer within ${SCRAPE_TIMEOUT_MS / 1000} s`));
        }, SCRAPE_TIMEOUT_MS);
        pending.set(id, (response) => {
          clearTimeout(timer);
          pending.delete(id);
          if (response.text !== undefined) resolve({ text: response.text, contentType });
          else reject(new Error(response.error ?? 'no metrics'));
        });
        process.send?.({ type: 'tandem-metrics-request', id } satisfies Request);
      }),
  );
}
