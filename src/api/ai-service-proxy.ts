import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestSource } from '../domain/activation-conditions.js';
import { MODERATION_SOURCE } from '../domain/moderation-labels.js';
import { TEXTRACT_FORMS_SOURCE } from '../domain/textract-forms.js';
import {
  decodeDocumentBytes,
  requireBuiltInFlow,
  startBuiltInReview,
  type BuiltInHumanLoopConfig,
  type DocumentSource,
} from '../operations/built-in-review.js';
import type { DocumentStore } from '../output/document-store.js';
import type { Resources } from '../resources.js';
import type { AiService, AiServiceUpstream, UpstreamResponse } from '../upstream/ai-service-upstream.js';
import { analyzeDocumentShape, detectModerationLabelsShape } from './ai-service-shapes.js';
import { AiServiceError, NotFoundError, UnknownOperationError, UpstreamUnavailableError } from './aws/errors.js';
import { parseJsonBody } from './aws/json-body.js';
import { validateInput, type Shape } from './aws/shape-validation.js';
import { REVIEW_HOOKS } from './review-hooks.js';

/** `X-Amz-Target` prefixes of the AI services Tandem stands in for, and the SigV4 service each is signed for. */
const SERVICE_BY_TARGET_PREFIX: Record<string, AiService> = { Textract: 'textract', RekognitionService: 'rekognition' };

interface ProxiedOperation {
  service: AiService;
  source: RequestSource;
  shape: Shape;
  documentMember: 'Document' | 'Image';
  /**
   * What the service calls a flow definition that does not exist: Rekognition models
   * ResourceNotFoundException for DetectModerationLabels, Textract's AnalyzeDocument has no such
   * error and reports a bad parameter.
   */
  notFoundCode: string;
}

/** The operations that carry a HumanLoopConfig, by `X-Amz-Target`. */
const OPERATIONS: Record<string, ProxiedOperation> = {
  'Textract.AnalyzeDocument': {
    service: 'textract',
    source: TEXTRACT_FORMS_SOURCE,
    shape: analyzeDocumentShape,
    documentMember: 'Document',
    notFoundCode: 'InvalidParameterException',
  },
  'RekognitionService.DetectModerationLabels': {
    service: 'rekognition',
    source: MODERATION_SOURCE,
    shape: detectModerationLabelsShape,
    documentMember: 'Image',
    notFoundCode: 'ResourceNotFoundException',
  },
};

/**
 * The SigV4 service a request with this `X-Amz-Target` must be signed for: `textract` or
 * `rekognition` for the AI services' targets, `sagemaker` for everything else (the A2I runtime
 * is signed for `sagemaker` too).
 */
export function signingServiceOf(target: string | undefined): string {
  const prefix = target?.slice(0, target.indexOf('.'));
  return prefix !== undefined && Object.hasOwn(SERVICE_BY_TARGET_PREFIX, prefix) ? SERVICE_BY_TARGET_PREFIX[prefix]! : 'sagemaker';
}

/** Whether the target names one of the AI services (their errors are awsJson1_1). */
export function isAiServiceTarget(target: string | undefined): boolean {
  return signingServiceOf(target) !== 'sagemaker';
}

export type AiServiceProxy = (request: FastifyRequest, reply: FastifyReply, target: string) => Promise<FastifyReply>;

/**
 * Proxy mode: existing Textract and Rekognition code pointed at Tandem keeps its HumanLoopConfig.
 * The request is checked as the service would check it (shape, flow definition, document size)
 * before anything leaves Tandem, forwarded without HumanLoopConfig, and the service's response
 * goes through the same evaluation and start as the intake API's (startBuiltInReview). The
 * client gets the service's response plus HumanLoopActivationOutput; a service error comes back
 * as the service sent it, and a service that cannot be reached is a 503 the SDKs retry.
 * Without HumanLoopConfig, the call is forwarded and answered untouched.
 */
export function makeAiServiceProxy(resources: Resources, upstream: AiServiceUpstream, documents: DocumentStore): AiServiceProxy {
  return async (request, reply, target) => {
    const operation = Object.hasOwn(OPERATIONS, target) ? OPERATIONS[target] : undefined;
    if (!operation) {
      throw new UnknownOperationError(
        `Tandem serves only ${Object.keys(OPERATIONS).join(' and ')} of the AI services, not '${target}'.`,
      );
    }
    const body = parseJsonBody(Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
    // The table pairs each target with its own shape; the typed result is not needed past here.
    const validate = validateInput as unknown as (shape: Shape, value: unknown) => Record<string, unknown>;
    const input = validate(operation.shape, body) as Record<string, unknown> & { HumanLoopConfig?: BuiltInHumanLoopConfig };
    const config = input.HumanLoopConfig;
    if (config) {
      // Checked before the upstream is called (and billed): a request that cannot start a loop
      // fails the way the service fails it, having done nothing.
      await inServiceTerms(operation, () => requireBuiltInFlow(resources, request.caller!, config, operation.source));
      decodeDocumentBytes(operation.source, (input[operation.documentMember] ?? {}) as DocumentSource);
    }

    // Members this Tandem does not model yet are forwarded too, so a newer SDK keeps working.
    const { HumanLoopConfig: _humanLoopConfig, ...forwarded } = body;
    const answer = await upstream.call(operation.service, target, JSON.stringify(forwarded));
    if (answer.status !== 200) return passThroughError(reply, request, operation, answer);
    const response = parseServiceResponse(operation, answer.body);
    if (!config) return sendJson(reply, request, answer.body);

    const output = await inServiceTerms(operation, () =>
      startBuiltInReview(
        resources,
        request.caller!,
        { source: operation.source, request: { ...input, HumanLoopConfig: config }, response },
        documents,
        REVIEW_HOOKS.onStarted,
      ),
    );
    return sendJson(reply, request, Buffer.from(JSON.stringify({ ...response, HumanLoopActivationOutput: output })));
  };
}

async function inServiceTerms<T>(operation: ProxiedOperation, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof NotFoundError) throw new AiServiceError(operation.notFoundCode, error.message);
    throw error;
  }
}

function parseServiceResponse(operation: ProxiedOperation, body: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UpstreamUnavailableError(`${displayName(operation)} answered with a body that is not a JSON object. Try again.`);
  }
  return value as Record<string, unknown>;
}

/**
 * An error the service answered in its own protocol (`x-amzn-ErrorType` or `__type`) reaches
 * the client unchanged, so its SDK raises the same modeled exception; anything else (an HTML
 * page from a load balancer, an empty 502) is the service being unavailable.
 */
function passThroughError(reply: FastifyReply, request: FastifyRequest, operation: ProxiedOperation, answer: UpstreamResponse) {
  const type = answer.errorType ?? errorTypeInBody(answer.body);
  if (type === undefined || answer.status < 400) {
    request.log.warn({ status: answer.status, upstreamRequestId: answer.requestId }, 'upstream answered without an AWS error');
    throw new UpstreamUnavailableError(`${displayName(operation)} answered HTTP ${answer.status} without an AWS error. Try again.`);
  }
  request.log.debug({ status: answer.status, type, upstreamRequestId: answer.requestId }, 'upstream error passed through');
  return reply
    .code(answer.status)
    .header('content-type', 'application/x-amz-json-1.1')
    .header('x-amzn-requestid', request.id)
    .header('x-amzn-errortype', type)
    .send(answer.body);
}

function errorTypeInBody(body: Buffer): string | undefined {
  try {
    const value = JSON.parse(body.toString('utf8')) as { __type?: unknown; code?: unknown } | null;
    const type = value?.__type ?? value?.code;
    return typeof type === 'string' && type !== '' ? type : undefined;
  } catch {
    return undefined;
  }
}

function sendJson(reply: FastifyReply, request: FastifyRequest, body: Buffer) {
  return reply.code(200).header('content-type', 'application/x-amz-json-1.1').header('x-amzn-requestid', request.id).send(body);
}

function displayName(operation: ProxiedOperation): string {
  return operation.service === 'textract' ? 'Textract' : 'Rekognition';
}
