/**
 * Structural checks of a flow definition's HumanLoopActivationConditions document (the JSON
 * schema in AWS's Developer Guide plus its stated rules). Evaluation against an AI service's
 * response belongs to the built-in task types; this only decides whether a document is usable.
 */
import { exceedsJsonDepth, jsonTooDeepMessage } from './json-text.js';

export type RequestSource = 'AWS/Textract/AnalyzeDocument/Forms/V1' | 'AWS/Rekognition/DetectModerationLabels/Image/V3';

const CONDITION_TYPES: Record<RequestSource, string[]> = {
  'AWS/Textract/AnalyzeDocument/Forms/V1': ['ImportantFormKeyConfidenceCheck', 'MissingImportantFormKey', 'Sampling'],
  'AWS/Rekognition/DetectModerationLabels/Image/V3': ['ModerationLabelConfidenceCheck', 'Sampling'],
};

/** "Up to two levels of nesting are supported." */
const MAX_NESTING = 2;

/** Returns the problems found; [] when the document is valid for `source`. */
export function checkActivationConditions(document: string, source: RequestSource): string[] {
  if (exceedsJsonDepth(document)) return [jsonTooDeepMessage('HumanLoopActivationConditions')];
  let value: unknown;
  try {
    value = JSON.parse(document);
  } catch (error) {
    return [`HumanLoopActivationConditions is not valid JSON: ${(error as Error).message}`];
  }
  if (!isObject(value) || !Array.isArray(value.Conditions)) {
    return ['HumanLoopActivationConditions must be a JSON object with a "Conditions" array.'];
  }
  const problems: string[] = [];
  value.Conditions.forEach((node, i) => checkNode(node, `Conditions[${i}]`, 0, source, problems));
  return problems;
}

function checkNode(node: unknown, path: string, depth: number, source: RequestSource, problems: string[]): void {
  if (!isObject(node)) {
    problems.push(`${path} must be an object.`);
    return;
  }
  for (const operator of ['And', 'Or'] as const) {
    const children = node[operator];
    if (children === undefined) continue;
    if (!Array.isArray(children) || children.length < 2) {
      problems.push(`${path}.${operator} must be an array of at least 2 conditions.`);
      return;
    }
    if (depth >= MAX_NESTING) {
      problems.push(`${path}: at most ${MAX_NESTING} levels of And/Or nesting are supported.`);
      return;
    }
    children.forEach((child, i) => checkNode(child, `${path}.${operator}[${i}]`, depth + 1, source, problems));
    return;
  }
  const type = node.ConditionType;
  if (typeof type !== 'string') {
    problems.push(`${path} needs a ConditionType, or an And/Or array.`);
    return;
  }
  if (!CONDITION_TYPES[source].includes(type)) {
    problems.push(`${path}: ConditionType '${type}' is not supported for ${source} (use ${CONDITION_TYPES[source].join(', ')}).`);
    return;
  }
  const parameters = node.ConditionParameters;
  if (parameters !== undefined && !isObject(parameters)) {
    problems.push(`${path}.ConditionParameters must be an object.`);
    return;
  }
  if (type === 'Sampling') {
    const percentage = parameters?.RandomSamplingPercentage;
    if (typeof percentage !== 'number' || percentage < 0.01 || percentage > 100) {
      problems.push(`${path}: Sampling needs RandomSamplingPercentage between 0.01 and 100.`);
    }
  }
  if ((type === 'ImportantFormKeyConfidenceCheck' || type === 'MissingImportantFormKey') && typeof parameters?.ImportantFormKey !== 'string') {
    problems.push(`${path}: ${type} needs an ImportantFormKey string.`);
  }
  if (type === 'ModerationLabelConfidenceCheck' && typeof parameters?.ModerationLabelName !== 'string') {
    problems.push(`${path}: ModerationLabelConfidenceCheck needs a ModerationLabelName string.`);
  }
  checkParameters(type, parameters ?? {}, `${path}.ConditionParameters`, problems);
}

const COMPARATOR_SUFFIXES = ['Equals', 'LessThan', 'LessThanEquals', 'GreaterThan', 'GreaterThanEquals'];
const comparators = (prefix: string) => COMPARATOR_SUFFIXES.map((suffix) => `${prefix}${suffix}`);

/** The parameters each condition type takes; the numeric ones are confidences, 0 to 100. */
const PARAMETERS: Record<string, { names: string[]; confidences: string[] }> = {
  ImportantFormKeyConfidenceCheck: {
    names: ['ImportantFormKey', 'ImportantFormKeyAliases'],
    confidences: [...comparators('KeyValueBlockConfidence'), ...comparators('WordBlockConfidence')],
  },
  MissingImportantFormKey: { names: ['ImportantFormKey', 'ImportantFormKeyAliases'], confidences: [] },
  ModerationLabelConfidenceCheck: { names: ['ModerationLabelName'], confidences: comparators('Confidence') },
  Sampling: { names: ['RandomSamplingPercentage'], confidences: [] },
};

/** Unknown parameters, non-numeric or out-of-range confidences and bad alias lists, by JSON path. */
function checkParameters(type: string, parameters: Record<string, unknown>, path: string, problems: string[]): void {
  const allowed = PARAMETERS[type];
  if (!allowed) return;
  for (const [name, value] of Object.entries(parameters)) {
    if (allowed.confidences.includes(name)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
        problems.push(`${path}.${name} must be a number between 0 and 100.`);
      }
    } else if (name === 'ImportantFormKeyAliases') {
      if (!Array.isArray(value) || !value.every((alias) => typeof alias === 'string')) {
        problems.push(`${path}.ImportantFormKeyAliases must be an array of strings.`);
      }
    } else if (!allowed.names.includes(name)) {
      problems.push(`${path}.${name} is not a parameter of ${type}.`);
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
