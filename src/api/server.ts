import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Resources } from '../resources.js';
import { registerAdminApi } from './admin.js';
import { registerCrowdBundle } from './crowd-bundle.js';
import { registerAwsApi } from './aws-api.js';
import { registerConsole } from './console/console.js';
import { registerEventStream } from './events-stream.js';
import { registerPortal } from './portal/portal.js';
import { registerPublicLinks } from './public-links.js';
import { refuseNulCharacters } from './nul-guard.js';
import { registerHealth } from './health.js';
import { handleClientError, handleFrameworkError, requireOneHostHeader } from './http-errors.js';
import { registerMetricsRoute } from './metrics-route.js';
import { registerRequestObservability } from './request-observability.js';
import { registerS3Api } from './s3/s3-api.js';
import { rewriteS3Url, S3_ROUTE_PREFIX } from './s3/s3-routing.js';

/** Large enough for a 3 MiB InputContent even when JSON escaping doubles it. */
export const API_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/**
 * The HTTP server: the AWS APIs (A2I runtime and SageMaker) and the public signed links.
 * Listening is the caller's business, so tests use `inject` on the same instance.
 */
export async function buildServer(resources: Resources): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: resources.logger,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Fastify's two lines per request give way to one with the operation
    // (request-observability.ts); the id the client gets as x-amzn-RequestId is `requestId` in
    // every line of the request.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit: API_BODY_LIMIT_BYTES,
    // Lets in-flight requests finish on shutdown while refusing new ones.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Requests signed for service `s3` go to the S3 API whatever their path (s3/s3-routing.ts).
    rewriteUrl: rewriteS3Url,
    clientErrorHandler: handleClientError,
    frameworkErrors: handleFrameworkError,
    // request.ip / request.protocol come from X-Forwarded-For / -Proto only when the socket's
    // peer is a configured proxy; from anyone else those headers are ignored.
    trustProxy: resources.config.trustedProxies.length > 0 ? resources.config.trustedProxies : false,
  });
  requireOneHostHeader(app);
  refuseNulCharacters(app);
  registerRequestObservability(app, resources);
  await app.register(registerHealth, { resources });
  await app.register(registerMetricsRoute, { resources });
  await app.register(registerS3Api, { resources, prefix: S3_ROUTE_PREFIX });
  await app.register(registerPublicLinks, { resources });
  await app.register(registerCrowdBundle, { resources });
  await app.register(registerAwsApi, { resources });
  await app.register(registerPortal, { resources });
  await app.register(registerAdminApi, { resources });
  await app.register(registerConsole, { resources });
  await app.register(registerEventStream, { resources });
  return app;
}
