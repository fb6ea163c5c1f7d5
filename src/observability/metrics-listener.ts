import { createServer, type Server } from 'node:http';
import type { ScrapedMetrics } from './scrape.js';

export interface MetricsListener {
  /** `http://host:port` actually listened on. */
  url: string;
  close(): Promise<void>;
}

/**
 * The separate, unauthenticated metrics listener (TANDEM_METRICS_LISTEN): `GET /metrics` and
 * nothing else, meant for an address only the scraper reaches. Plain node:http: it must keep
 * answering while the main server is saturated, and it needs none of the main server's parsers.
 */
export async function startMetricsListener(
  address: { host: string; port: number },
  scrape: () => Promise<ScrapedMetrics>,
  onError: (error: unknown) => void,
): Promise<MetricsListener> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('This listener serves GET /metrics only.\n');
      return;
    }
    scrape().then(
      (scraped) => response.writeHead(200, { 'content-type': scraped.contentType, 'cache-control': 'no-store' }).end(scraped.text),
      (error: unknown) => {
        onError(error);
        response
          .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
          .end(`Metrics are unavailable: ${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : address.port;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
