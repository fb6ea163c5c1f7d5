import type { Resources } from '../resources.js';

export interface ScrapedMetrics {
  text: string;
  contentType: string;
}

/** The metrics in the Prometheus text format: this process's, or a multi-process Tandem's. */
export async function scrapeMetrics(resources: Resources): Promise<ScrapedMetrics> {
  const metrics = resources.metrics;
  if (!metrics) throw new Error('this process records no metrics');
  return metrics.scrape();
}
