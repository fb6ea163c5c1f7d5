/**
 * Activation conditions of `AWS/Rekognition/DetectModerationLabels/Image/V3` over a
 * DetectModerationLabels response's `ModerationLabels`. `ModerationLabelName` is matched exactly
 * and case-sensitively against each label's `Name` (`"*"` matches every label); the
 * `Confidence…` comparators are AND-ed. A label's identity is its index in the response.
 */
import { confidenceTest, evaluateConditionTree, isRecord, type EvaluationOutcome, type LeafOutcome } from './activation-evaluation.js';

export const MODERATION_SOURCE = 'AWS/Rekognition/DetectModerationLabels/Image/V3';

export interface ModerationLabel {
  Name?: string;
  ParentName?: string;
  Confidence?: number;
  [member: string]: unknown;
}

export function moderationLeaf(labels: readonly ModerationLabel[], type: string, parameters: Record<string, unknown>): LeafOutcome {
  if (type !== 'ModerationLabelConfidenceCheck') return { result: false, matches: new Set() };
  const name = parameters.ModerationLabelName;
  const test = confidenceTest(parameters, 'Confidence');
  const matches = new Set<string>();
  labels.forEach((label, i) => {
    if (name !== '*' && label.Name !== name) return;
    if (test.passes(typeof label.Confidence === 'number' ? label.Confidence : 0)) matches.add(String(i));
  });
  return { result: matches.size > 0, matches };
}

export interface ModerationEvaluation extends EvaluationOutcome {
  selectedLabels: ModerationLabel[];
}

export function evaluateModerationConditions(
  conditions: unknown,
  labels: readonly ModerationLabel[],
  samplingKey: string,
): ModerationEvaluation {
  const outcome = evaluateConditionTree(conditions, {
    samplingKey,
    leaf: (type, parameters) => moderationLeaf(labels, type, parameters),
  });
  const selected = outcome.selected;
  const selectedLabels = selected === 'all' ? [...labels] : labels.filter((_label, i) => selected.has(String(i)));
  return { ...outcome, selectedLabels };
}

export function isModerationLabelList(value: unknown): value is ModerationLabel[] {
  return Array.isArray(value) && value.every((l) => isRecord(l) && typeof l.Name === 'string');
}
