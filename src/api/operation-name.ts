import type { FastifyRequest } from 'fastify';
import { sageMakerOperationNames, SAGEMAKER_TARGET_PREFIX } from './sagemaker.js';

const SAGEMAKER_OPERATIONS = new Set(sageMakerOperationNames());

/** The A2I runtime's and the intake's operations by method and route pattern. */
const ROUTE_OPERATIONS: Record<string, string> = {
  'POST /human-loops': 'StartHumanLoop',
  'GET /human-loops': 'ListHumanLoops',
  'POST /human-loops/stop': 'StopHumanLoop',
  'GET /human-loops/:name': 'DescribeHumanLoop',
  'DELETE /human-loops/:name': 'DeleteHumanLoop',
  'POST /intake/analyze-document': 'AnalyzeDocument',
  'POST /intake/detect-moderation-labels': 'DetectModerationLabels',
};

/**
 * What a request did, for logs and the duration histogram: the AWS operation
 * (`SageMaker.CreateFlowDefinition` from `X-Amz-Target`, `StartHumanLoop` for the A2I runtime),
 * otherwise `METHOD /route/:pattern`. Never the raw URL, so names stay few (a label value per
 * loop name would make a metric series per loop) and carry no signed-link credentials.
 */
export function operationName(request: FastifyRequest): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string' && target.startsWith(`${SAGEMAKER_TARGET_PREFIX}.`)) {
    const name = target.slice(SAGEMAKER_TARGET_PREFIX.length + 1);
    return SAGEMAKER_OPERATIONS.has(name) ? target : `${SAGEMAKER_TARGET_PREFIX}.(unknown)`;
  }
  const route = request.routeOptions.url;
  if (route === undefined) return `${request.method} (no route)`;
  return ROUTE_OPERATIONS[`${request.method} ${route}`] ?? `${request.method} ${route}`;
}
