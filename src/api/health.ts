import type { FastifyInstance } from 'fastify';
import type { Resources } from '../resources.js';
import { checkStoreReadiness } from '../store/readiness.js';

/**
 * Probes for load balancers and orchestrators, unauthenticated: `/healthz` answers while the
 * process serves HTTP at all (liveness), `/readyz` only while the store answers and its schema
 * is current (readiness), with the reason when not.
 */
export async function registerHealth(app: FastifyInstance, { resources }: { resources: Resources }) {
  app.get('/healthz', async (_request, reply) => reply.code(200).header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    const readiness = await checkStoreReadiness(resources.store.db);
    reply.header('cache-control', 'no-store');
    if (readiness.ready) return reply.code(200).send({ status: 'ready' });
    request.log.warn({ reason: readiness.reason }, 'not ready');
    return reply.code(503).send({ status: 'not ready', reason: readiness.reason });
  });
}
