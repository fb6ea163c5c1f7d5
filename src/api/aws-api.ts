import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Caller, Resources } from '../resources.js';
import { makeKeyLookup } from '../security/access-keys.js';
import { registerA2iRuntime } from './a2i-runtime.js';
import { localDocumentStore } from '../output/document-store.js';
import { aiServiceUpstream } from '../upstream/ai-service-upstream.js';
import { isAiServiceTarget, makeAiServiceProxy, signingServiceOf, type AiServiceProxy } from './ai-service-proxy.js';
import { INTAKE_BODY_LIMIT_BYTES, registerIntake } from './intake.js';
import { AuthenticationError, PayloadTooLargeError, UnknownOperationError } from './aws/errors.js';
import { verifySigV4 } from './aws/sigv4.js';
import { serializeTimestamps } from './aws/timestamps.js';
import { errorResponse, toWireError, type Protocol } from './aws/wire-errors.js';
import { dispatchSageMaker, SAGEMAKER_TARGET_PREFIX } from './sagemaker.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

const EMPTY = Buffer.alloc(0);

/** SageMaker's own requests keep the server-wide limit; POST / admits more for documents sent to the AI services. */
const SAGEMAKER_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/**
 * Both AWS APIs on one port, as the SDKs' endpoint override expects: requests carrying
 * `X-Amz-Target: SageMaker.*` are SageMaker (awsJson1_1, on any path, since SDKs keep an
 * endpoint's path prefix), `/human-loops…` is the A2I runtime (restJson1). Every request is
 * SigV4-verified before its body is parsed, and bodies are kept raw for the signature's hash.
 */
export async function registerAwsApi(app: FastifyInstance, { resources }: { resources: Resources }) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const lookup = makeKeyLookup(resources);
  app.decorateRequest('caller', undefined);
  const proxy = makeAiServiceProxy(
    resources,
    aiServiceUpstream({ config: resources.config, logger: resources.logger }),
    localDocumentStore(resources.config.outputDir),
  );

  app.addHook('preHandler', async (request) => {
    const [rawPath = '/', rawQuery = ''] = splitUrl(request.raw.url ?? '/');
    const verified = await verifySigV4(
      { method: request.method, rawPath, rawQuery, headers: request.headers, body: bodyOf(request) },
      lookup,
      new Date(resources.clock.now()),
    );
    // Textract and Rekognition clients sign for their own service; everything else is SageMaker's.
    const expectedService = signingServiceOf(header(request, 'x-amz-target'));
    if (verified.service !== expectedService) {
      throw new AuthenticationError(
        'InvalidSignatureException',
        `Credential should be scoped to correct service: '${expectedService}'. `,
      );
    }
    if (verified.region !== resources.config.region) {
      // As AWS: a key signed for another region is refused, so ARNs never name two regions.
      throw new AuthenticationError(
        'InvalidSignatureException',
        `Credential should be scoped to a valid region, not '${verified.region}'. This Tandem serves '${resources.config.region}'.`,
      );
    }
    request.caller = { accountId: verified.accountId, region: resources.config.region, accessKeyId: verified.accessKeyId };
  });

  app.setErrorHandler((error, request, reply) => sendError(resources, request, reply, error));
  app.setNotFoundHandler(async (request, reply) => {
    // Unknown paths get an AWS-shaped answer too, after the same signature check.
    if (isAwsJson(request)) return awsJsonRoute(resources, proxy, request, reply);
    throw new UnknownOperationError(`No operation matches ${request.method} ${splitUrl(request.url)[0]}.`);
  });

  app.post('/', { bodyLimit: INTAKE_BODY_LIMIT_BYTES }, (request, reply) => awsJsonRoute(resources, proxy, request, reply));
  await registerA2iRuntime(app, resources);
  await registerIntake(app, resources);
}

/** awsJson1_1 on POST: Textract and Rekognition targets go to the proxy, the rest to SageMaker. */
async function awsJsonRoute(resources: Resources, proxy: AiServiceProxy, request: FastifyRequest, reply: FastifyReply) {
  const target = header(request, 'x-amz-target');
  if (target !== undefined && isAiServiceTarget(target)) return proxy(request, reply, target);
  if (bodyOf(request).length > SAGEMAKER_BODY_LIMIT_BYTES) throw new PayloadTooLargeError('Request body is larger than the maximum allowed size.');
  const result = await dispatchSageMaker(resources, request.caller!, target, bodyOf(request));
  return sendResult(reply, request, 'awsJson1_1', result);
}

export function sendResult(reply: FastifyReply, request: FastifyRequest, protocol: Protocol, result: unknown) {
  const format = protocol === 'awsJson1_1' ? 'epoch-seconds' : 'date-time';
  return reply
    .code(200)
    .header('content-type', protocol === 'awsJson1_1' ? 'application/x-amz-json-1.1' : 'application/json')
    .header('x-amzn-requestid', request.id)
    // A Buffer keeps Fastify from appending `; charset=utf-8`, which AWS does not send.
    .send(Buffer.from(JSON.stringify(serializeTimestamps(result, format))));
}

function sendError(resources: Resources, request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const protocol = isAwsJson(request) ? 'awsJson1_1' : 'restJson1';
  const wire = toWireError(error, protocol);
  if (wire.internal) request.log.error({ err: error }, 'request failed');
  else request.log.debug({ type: wire.type, message: wire.message }, 'client error');
  const response = errorResponse(wire, protocol, request.id);
  return reply.code(response.status).headers(response.headers).send(Buffer.from(response.body));
}

function isAwsJson(request: FastifyRequest): boolean {
  const target = header(request, 'x-amz-target');
  return (target?.startsWith(`${SAGEMAKER_TARGET_PREFIX}.`) ?? false) || isAiServiceTarget(target);
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function bodyOf(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : EMPTY;
}

function splitUrl(url: string): [string, string] {
  const at = url.indexOf('?');
  return at === -1 ? [url, ''] : [url.slice(0, at), url.slice(at + 1)];
}
