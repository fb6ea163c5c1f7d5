import type { Resources } from '../resources.js';

export interface ScrapedMetrics {
  text: string;
  contentType: string;
}

/** This process's metrics in the Prometheus text format. */
export async function scrapeMetrics(resources: Resources): Promise<ScrapedMetrics> {
  const metrics = resources.metrics;
  if (!metrics) throw new Error('this process records no metrics');
  return { text: await metrics.text(), contentType: metrics.registry.contentType };
}
