/**
 * Child-process entry: the baseline server. A bare Fastify app whose `POST /echo` answers the
 * JSON body it received — Fastify's own JSON parser and serializer, no logger, no hooks, no
 * plugins — so its rate is what this machine, Node and Fastify can do for one small JSON
 * round trip. Started by `startEchoServer()` (servers.ts).
 */
import Fastify from 'fastify';
import { announceReady, failStartup, onStopRequested } from './child-server.js';

try {
  const app = Fastify({ logger: false });
  app.post('/echo', async (request) => request.body);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  onStopRequested(() => app.close());
  announceReady(`http://127.0.0.1:${port}`);
} catch (error) {
  failStartup(error);
}
