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

/** One entry of `humanLoopContext.importantFormKeys`, the shape `crowd-textract-analyze-document`'s `keys` takes. */
export interface ImportantFormKey {
  importantFormKey: string;
  importantFormKeyAliases: string[];
}

/** What a built-in task's template reads as `task.input.humanLoopContext`. */
export interface HumanLoopContext {
  importantFormKeys?: ImportantFormKey[];
}

const FORM_KEY_CONDITIONS = new Set(['ImportantFormKeyConfidenceCheck', 'MissingImportantFormKey']);

/**
 * The loop context A2I gives a built-in task's template. For Textract forms: every important
 * form key its activation conditions name (And/Or included, `"*"` left out, as it names no key),
 * once each with the union of its aliases, in the order the document names them, so
 * `keys="{{ task.input.humanLoopContext.importantFormKeys }}"` can offer keys that were not found.
 * Rekognition templates read no context: `undefined`.
 */
export function humanLoopContextFor(source: string, conditions: unknown): HumanLoopContext | undefined {
  if (source !== 'AWS/Textract/AnalyzeDocument/Forms/V1') return undefined;
  const keys = new Map<string, Set<string>>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    for (const member of ['Conditions', 'And', 'Or']) if (Array.isArray(record[member])) visit(record[member]);
    if (typeof record.ConditionType !== 'string' || !FORM_KEY_CONDITIONS.has(record.ConditionType)) return;
    const parameters = (record.ConditionParameters ?? {}) as Record<string, unknown>;
    const key = parameters.ImportantFormKey;
    if (typeof key !== 'string' || key === '*') return;
    const aliases = keys.get(key) ?? new Set<string>();
    keys.set(key, aliases);
    if (Array.isArray(parameters.ImportantFormKeyAliases)) {
      for (const alias of parameters.ImportantFormKeyAliases) if (typeof alias === 'string') aliases.add(alias);
    }
  };
  visit(conditions);
  return {
    importantFormKeys: [...keys].map(([importantFormKey, aliases]) => ({ importantFormKey, importantFormKeyAliases: [...aliases] })),
  };
}

/**
 * `task.input` of a loop's worker template: the loop's input, plus `humanLoopContext` for a
 * built-in loop (stored beside the input, since output.json's `inputContent` has no such member).
 */
export function templateTaskInput(inputContent: string, humanLoopContext: string | null | undefined): unknown {
  const input = JSON.parse(inputContent) as unknown;
  if (humanLoopContext == null || typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  return { ...(input as Record<string, unknown>), humanLoopContext: JSON.parse(humanLoopContext) as unknown };
}
