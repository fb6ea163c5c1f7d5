import type { FastifyInstance } from 'fastify';
import { MODERATION_SOURCE } from '../domain/moderation-labels.js';
import { TEXTRACT_FORMS_SOURCE } from '../domain/textract-forms.js';
import { startBuiltInReview } from '../operations/built-in-review.js';
import { localDocumentStore } from '../output/document-store.js';
import type { Resources } from '../resources.js';
import { analyzeDocumentIntakeShape, detectModerationLabelsIntakeShape } from './ai-service-shapes.js';
import { parseJsonBody } from './aws/json-body.js';
import { validateInput } from './aws/shape-validation.js';
import { bodyOf, sendResult } from './aws-api.js';
import { REVIEW_HOOKS } from './review-hooks.js';

/**
 * Room for a 10 MiB document sent as base64 (~13.4 MiB) next to a large Blocks array; a larger
 * document is answered by the size check (DocumentTooLargeException), not by a 413.
 */
export const INTAKE_BODY_LIMIT_BYTES = 32 * 1024 * 1024;

/** Members of an intake body that belong to the AI service's response, not its request. */
const TEXTRACT_RESPONSE_MEMBERS = ['Blocks', 'DocumentMetadata', 'AnalyzeDocumentModelVersion'] as const;
const MODERATION_RESPONSE_MEMBERS = ['ModerationLabels', 'ModerationModelVersion'] as const;

/**
 * Bring-your-own response (a Tandem API, restJson1, signed like the A2I runtime): the AI
 * service's request with its HumanLoopConfig, plus the response it got (from AWS or any engine),
 * in one JSON body. Tandem evaluates the flow definition's activation conditions, starts the
 * loop when they say so and answers `{"HumanLoopActivationOutput": {...}}` as the service would.
 *
 * @example
 * POST /intake/analyze-document
 * {"Document": {"S3Object": {"Bucket": "forms", "Name": "w2.png"}}, "FeatureTypes": ["FORMS"],
 *  "HumanLoopConfig": {"HumanLoopName": "w2-1", "FlowDefinitionArn": "arn:aws:sagemaker:…"},
 *  "Blocks": [...], "DocumentMetadata": {"Pages": 1}}
 */
export async function registerIntake(app: FastifyInstance, resources: Resources) {
  const documents = localDocumentStore(resources.config.outputDir);

  app.post('/intake/analyze-document', { bodyLimit: INTAKE_BODY_LIMIT_BYTES }, async (request, reply) => {
    const body = parseJsonBody(bodyOf(request));
    const input = validateInput(analyzeDocumentIntakeShape, body);
    const [serviceRequest, response] = split(input, TEXTRACT_RESPONSE_MEMBERS);
    const output = await startBuiltInReview(
      resources,
      request.caller!,
      { source: TEXTRACT_FORMS_SOURCE, request: { ...serviceRequest, HumanLoopConfig: input.HumanLoopConfig }, response },
      documents,
      REVIEW_HOOKS.onStarted,
    );
    return sendResult(reply, request, 'restJson1', { HumanLoopActivationOutput: output });
  });

  app.post('/intake/detect-moderation-labels', { bodyLimit: INTAKE_BODY_LIMIT_BYTES }, async (request, reply) => {
    const body = parseJsonBody(bodyOf(request));
    const input = validateInput(detectModerationLabelsIntakeShape, body);
    const [serviceRequest, response] = split(input, MODERATION_RESPONSE_MEMBERS);
    const output = await startBuiltInReview(
      resources,
      request.caller!,
      { source: MODERATION_SOURCE, request: { ...serviceRequest, HumanLoopConfig: input.HumanLoopConfig }, response },
      documents,
      REVIEW_HOOKS.onStarted,
    );
    return sendResult(reply, request, 'restJson1', { HumanLoopActivationOutput: output });
  });
}

function split(input: Record<string, unknown>, responseMembers: readonly string[]): [Record<string, unknown>, Record<string, unknown>] {
  const request: Record<string, unknown> = {};
  const response: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) (responseMembers.includes(name) ? response : request)[name] = value;
  return [request, response];
}
