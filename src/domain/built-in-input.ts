/**
 * The input of a built-in human loop (Textract forms, Rekognition moderation) in the layout A2I
 * writes to output.json's `inputContent`, and the `HumanLoopActivationOutput` the services
 * answer with. Pure; AWS's examples write the request and responses with lowerCamelCase keys
 * (`blocks`, `boundingBox`, `s3Object`) and the condition results with the document's own keys.
 */

/** Copies `value` with every object key's first letter lower-cased (`BoundingBox` → `boundingBox`). */
export function lowerCamelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerCamelKeys);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const name = key.charAt(0).toLowerCase() + key.slice(1);
    Object.defineProperty(out, name, { value: lowerCamelKeys(item), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export interface BuiltInInputParts {
  /** The AI service request (PascalCase, as sent), document bytes already replaced by their stored S3 object. */
  request: Record<string, unknown>;
  /** The AI service response (PascalCase, as received). */
  response: Record<string, unknown>;
  /** The part of the response the true conditions selected (PascalCase). */
  selectedResponse: Record<string, unknown>;
  /** The conditions with `EvaluationResult` on every node. */
  conditionResults: unknown;
}

/** `inputContent` of a built-in loop, keys in the order AWS writes them. */
export function buildBuiltInInputContent(parts: BuiltInInputParts): Record<string, unknown> {
  return {
    aiServiceRequest: lowerCamelKeys(parts.request),
    aiServiceResponse: lowerCamelKeys(parts.response),
    humanTaskActivationConditionResults: parts.conditionResults,
    selectedAiServiceResponse: lowerCamelKeys(parts.selectedResponse),
  };
}

export interface HumanLoopActivationOutput {
  HumanLoopArn?: string;
  HumanLoopActivationReasons?: string[];
  /** A JSON string, as AWS returns it. */
  HumanLoopActivationConditionsEvaluationResults?: string;
}

/**
 * Why a loop was started. AWS documents the member, not its values; `ConditionsEvaluation` is
 * the value cited for condition-based activation. Without conditions every request is reviewed
 * ("If HumanLoopActivationConfig is not given, then all requests go to humans").
 */
export const ACTIVATION_REASON_CONDITIONS = 'ConditionsEvaluation';
export const ACTIVATION_REASON_NO_CONDITIONS = 'NoActivationConditions';

export function activationOutput(
  humanLoopArn: string | undefined,
  conditionResults: unknown,
  reason: string,
): HumanLoopActivationOutput {
  return {
    ...(humanLoopArn !== undefined ? { HumanLoopArn: humanLoopArn, HumanLoopActivationReasons: [reason] } : {}),
    ...(conditionResults !== undefined
      ? { HumanLoopActivationConditionsEvaluationResults: JSON.stringify(conditionResults) }
      : {}),
  };
}
