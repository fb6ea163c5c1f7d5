import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Resources } from '../resources.js';
import { scrapeMetrics } from '../observability/scrape.js';

/**
 * `GET /metrics` on the main port: only with `TANDEM_METRICS_TOKEN` set, and then only for
 * `Authorization: Bearer <token>`. Otherwise the answer says where metrics are served instead.
 */
export async function registerMetricsRoute(app: FastifyInstance, { resources }: { resources: Resources }) {
  const { metricsToken, metricsListen } = resources.config;
  const expected = metricsToken === undefined ? undefined : Buffer.from(`Bearer ${metricsToken}`);

  app.get('/metrics', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!expected) {
      request.refusal = 'metrics are not served on the main port';
      const where = metricsListen
        ? `Metrics are served without a token on the metrics listener (TANDEM_METRICS_LISTEN=${metricsListen.host}:${metricsListen.port}), not on this port.`
        : 'Metrics are off on this port: set TANDEM_METRICS_TOKEN to serve them here to `Authorization: Bearer <token>`, or TANDEM_METRICS_LISTEN=host:port to serve them on a separate listener.';
      return reply.code(404).type('text/plain; charset=utf-8').send(`${where}\n`);
    }
    const presented = Buffer.from(request.headers.authorization ?? '');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      request.refusal = request.headers.authorization ? 'wrong metrics token' : 'no metrics token';
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="tandem-metrics"')
        .type('text/plain; charset=utf-8')
        .send('Metrics need Authorization: Bearer <TANDEM_METRICS_TOKEN>.\n');
    }
    return sendMetrics(resources, reply);
  });
}

/** The scrape, or 503 with the reason (the store did not answer the gauges' queries). */
export async function sendMetrics(resources: Resources, reply: FastifyReply) {
  try {
    const scraped = await scrapeMetrics(resources);
    return reply.code(200).type(scraped.contentType).send(scraped.text);
  } catch (error) {
    reply.request.log.warn({ err: error }, 'metrics scrape failed');
    return reply
      .code(503)
      .type('text/plain; charset=utf-8')
      .send(`Metrics are unavailable: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
