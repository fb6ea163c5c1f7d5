import { hash } from 'node:crypto';
import { AiServiceError, NotFoundError, ValidationError } from '../api/aws/errors.js';
import type { RequestSource } from '../domain/activation-conditions.js';
import { belongsTo, parseArn } from '../domain/arns.js';
import {
  ACTIVATION_REASON_CONDITIONS,
  ACTIVATION_REASON_NO_CONDITIONS,
  activationOutput,
  buildBuiltInInputContent,
  humanLoopContextFor,
  type HumanLoopActivationOutput,
} from '../domain/built-in-input.js';
import { evaluateModerationConditions, isModerationLabelList, MODERATION_SOURCE } from '../domain/moderation-labels.js';
import { evaluateTextractConditions, isBlockList, TEXTRACT_FORMS_SOURCE } from '../domain/textract-forms.js';
import type { DocumentStore } from '../output/document-store.js';
import type { Caller, Resources } from '../resources.js';
import { findFlowDefinition } from '../store/flow-definitions.js';
import type { FlowDefinitionRow } from '../store/schema.js';
import { claimBucketFor } from './buckets.js';
import { startHumanLoop, type LoopStartedHook } from './human-loops.js';

export interface BuiltInHumanLoopConfig {
  HumanLoopName: string;
  FlowDefinitionArn: string;
  DataAttributes?: { ContentClassifiers?: string[] | undefined } | undefined;
}

export interface DocumentSource {
  Bytes?: string | undefined;
  S3Object?: { Bucket?: string | undefined; Name?: string | undefined; Version?: string | undefined } | undefined;
}

/** Per service: where the document sits in the request, its size limit and the error AWS gives past it. */
const SERVICES: Record<RequestSource, { documentMember: 'Document' | 'Image'; maxBytes: number; tooLarge: string; response: string }> = {
  [TEXTRACT_FORMS_SOURCE]: { documentMember: 'Document', maxBytes: 10 * 1024 * 1024, tooLarge: 'DocumentTooLargeException', response: 'Blocks' },
  [MODERATION_SOURCE]: { documentMember: 'Image', maxBytes: 5 * 1024 * 1024, tooLarge: 'ImageTooLargeException', response: 'ModerationLabels' },
};

/**
 * The flow definition a built-in request names, checked before anything else happens (before a
 * proxied request reaches the upstream service): it must exist in the caller's account, be
 * Active, and be of the request's built-in type.
 */
export async function requireBuiltInFlow(
  resources: Resources,
  caller: Caller,
  config: BuiltInHumanLoopConfig,
  source: RequestSource,
): Promise<FlowDefinitionRow> {
  const parsed = parseArn('flow-definition', config.FlowDefinitionArn);
  if (!parsed) throw new AiServiceError('InvalidParameterException', `HumanLoopConfig.FlowDefinitionArn '${config.FlowDefinitionArn}' is not a flow definition ARN.`);
  const flow = belongsTo(parsed, caller) ? await findFlowDefinition(resources.store.db, caller.accountId, parsed.name) : undefined;
  if (!flow) throw new NotFoundError(`Flow definition '${config.FlowDefinitionArn}' does not exist.`);
  if (flow.request_source !== source) {
    const kind = flow.request_source ? `for ${flow.request_source}` : 'a custom task type (no HumanLoopRequestSource)';
    throw new AiServiceError('InvalidParameterException', `Flow definition '${flow.name}' is ${kind}; this request needs one for ${source}.`);
  }
  if (flow.status !== 'Active') throw new ValidationError(`Flow definition '${flow.name}' is ${flow.status}, not Active.`);
  return flow;
}

/** Decodes and size-checks uploaded bytes (before a proxied request is forwarded, too). */
export function decodeDocumentBytes(source: RequestSource, document: DocumentSource): Buffer | undefined {
  if (document.Bytes === undefined) return undefined;
  const service = SERVICES[source];
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(document.Bytes) || document.Bytes.length % 4 !== 0) {
    throw new AiServiceError('InvalidParameterException', `${service.documentMember}.Bytes is not base64.`);
  }
  const bytes = Buffer.from(document.Bytes, 'base64');
  if (bytes.length > service.maxBytes) {
    throw new AiServiceError(
      service.tooLarge,
      `${service.documentMember}.Bytes is ${bytes.length} bytes; at most ${service.maxBytes} are accepted.`,
    );
  }
  return bytes;
}

export interface BuiltInReviewRequest {
  source: RequestSource;
  /** The AI service request as the client sent it (PascalCase), HumanLoopConfig included. */
  request: Record<string, unknown> & { HumanLoopConfig: BuiltInHumanLoopConfig };
  /** The AI service's response (PascalCase): `Blocks`… or `ModerationLabels`… */
  response: Record<string, unknown>;
}

/**
 * Evaluates the flow's activation conditions on an AI service response and starts the human loop
 * when they say so. The loop's input is A2I's built-in `inputContent`; uploaded bytes are kept in
 * `documents` and the request names them as an S3 object instead. Starting is StartHumanLoop's
 * own transaction (loop, event, review slots), so a failure leaves nothing half-started.
 */
export async function startBuiltInReview(
  resources: Resources,
  caller: Caller,
  review: BuiltInReviewRequest,
  documents: DocumentStore,
  onStarted?: LoopStartedHook,
): Promise<HumanLoopActivationOutput> {
  const { source, request, response } = review;
  const config = request.HumanLoopConfig;
  const flow = await requireBuiltInFlow(resources, caller, config, source);
  const service = SERVICES[source];
  const items = response[service.response];
  if (source === TEXTRACT_FORMS_SOURCE ? !isBlockList(items) : !isModerationLabelList(items)) {
    throw new AiServiceError('InvalidParameterException', `The ${source} response needs a ${service.response} array.`);
  }
  const document = (request[service.documentMember] ?? {}) as DocumentSource;
  const bytes = decodeDocumentBytes(source, document);
  const samplingKey = bytes ? `sha256:${hash('sha256', bytes, 'hex')}` : s3Identity(document);

  const conditions = flow.activation_conditions === null ? undefined : (JSON.parse(flow.activation_conditions) as unknown);
  let activated = true;
  let conditionResults: unknown;
  let selectedResponse: Record<string, unknown> = response;
  if (conditions !== undefined) {
    if (source === TEXTRACT_FORMS_SOURCE) {
      const outcome = evaluateTextractConditions(conditions, isBlockList(items) ? items : [], samplingKey);
      ({ activated } = outcome);
      conditionResults = outcome.results;
      selectedResponse = { ...withoutMember(response, 'Blocks'), Blocks: outcome.selectedBlocks };
    } else {
      const outcome = evaluateModerationConditions(conditions, isModerationLabelList(items) ? items : [], samplingKey);
      ({ activated } = outcome);
      conditionResults = outcome.results;
      selectedResponse = { ...withoutMember(response, 'ModerationLabels'), ModerationLabels: outcome.selectedLabels };
    }
  }
  const reason = conditions !== undefined ? ACTIVATION_REASON_CONDITIONS : ACTIVATION_REASON_NO_CONDITIONS;
  if (!activated) return activationOutput(undefined, conditionResults, reason);

  let storedRequest: Record<string, unknown> = request;
  if (bytes) {
    const stored = await documents.put(caller.accountId, bytes);
    // The reviewer's grant_read_access link is checked against the bucket's owner.
    await claimBucketFor(resources, resources.store.db, stored.bucket, caller.accountId);
    storedRequest = { ...request, [service.documentMember]: { S3Object: { Bucket: stored.bucket, Name: stored.name } } };
  }
  const inputContent = buildBuiltInInputContent({
    request: storedRequest,
    response,
    selectedResponse,
    conditionResults: conditionResults ?? {},
  });
  const classifiers = config.DataAttributes?.ContentClassifiers;
  const { HumanLoopArn } = await startHumanLoop(
    resources,
    caller,
    {
      HumanLoopName: config.HumanLoopName,
      FlowDefinitionArn: config.FlowDefinitionArn,
      HumanLoopInput: { InputContent: JSON.stringify(inputContent) },
      ...(classifiers ? { DataAttributes: { ContentClassifiers: classifiers } } : {}),
    },
    onStarted,
    humanLoopContextFor(source, conditions),
  );
  return activationOutput(HumanLoopArn, conditionResults, reason);
}

function s3Identity(document: DocumentSource): string {
  const object = document.S3Object ?? {};
  return `s3://${object.Bucket ?? ''}/${object.Name ?? ''}?versionId=${object.Version ?? ''}`;
}

function withoutMember(record: Record<string, unknown>, member: string): Record<string, unknown> {
  const { [member]: _dropped, ...rest } = record;
  return rest;
}
