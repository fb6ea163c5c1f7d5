/**
 * Evaluation of HumanLoopActivationConditions (AWS Developer Guide, "JSON schema for human loop
 * activation conditions"), independent of the AI service: the tree walk, And/Or, the numeric
 * comparators and deterministic sampling live here; what a leaf condition means for a Textract or
 * Rekognition response is supplied by the caller as a {@link LeafEvaluator}.
 *
 * Rules, as AWS documents them:
 * - top-level `Conditions` are independent and OR-ed: any true member starts a human loop;
 * - every condition is evaluated, even after one is true, so the reviewer sees every inference
 *   that matched (and every node of the returned document carries an `EvaluationResult`);
 * - `Sampling` gives the same answer for the same input, every time.
 *
 * Pure: no I/O, no clock, no randomness; the sampling decision hashes `samplingKey`.
 *
 * @example
 * const outcome = evaluateConditionTree(JSON.parse(flow.activationConditions), {
 *   samplingKey: 'sha256-of-the-document',
 *   leaf: (type, parameters) => ({ result: true, matches: new Set(['block-1']) }),
 * });
 * outcome.activated; // true
 * outcome.results;   // the conditions, with EvaluationResult on every node
 */
import { hash } from 'node:crypto';

/** Which inferences a node selects for review: a set of inference ids, or every inference. */
export type Matches = ReadonlySet<string> | 'all';

export interface LeafOutcome {
  result: boolean;
  /** The inferences this leaf is about (key-value pairs, labels); empty for "missing" checks. */
  matches: Matches;
}

/**
 * Meaning of one leaf for the service at hand. `Sampling` never reaches it (handled here).
 * `path` is the leaf's JSON path in the document, e.g. `Conditions[0].And[1]`.
 */
export type LeafEvaluator = (type: string, parameters: Record<string, unknown>, path: string) => LeafOutcome;

export interface EvaluationInput {
  /** Identifies the input for sampling: the same key gives the same sampling decisions. */
  samplingKey: string;
  leaf: LeafEvaluator;
}

export interface EvaluationOutcome {
  /** True when any top-level condition is true: a human loop is to be started. */
  activated: boolean;
  /** The conditions document with `EvaluationResult` added to every node, keys sorted as AWS writes them. */
  results: { Conditions: unknown[] };
  /** Union of the inferences selected by the true top-level conditions. */
  selected: Matches;
}

const EMPTY: ReadonlySet<string> = new Set();

/**
 * Evaluates a parsed (and already validated) activation-conditions document. A document that is
 * a bare condition (AWS's Textract Example 4 omits the `Conditions` wrapper) is treated as a
 * one-member `Conditions` array.
 */
export function evaluateConditionTree(document: unknown, input: EvaluationInput): EvaluationOutcome {
  const conditions = isRecord(document) && Array.isArray(document.Conditions) ? (document.Conditions as unknown[]) : [document];
  let activated = false;
  let selected: Matches = EMPTY;
  const results = conditions.map((node, i) => {
    const evaluated = evaluateNode(node, `Conditions[${i}]`, input);
    if (evaluated.result) {
      activated = true;
      selected = union(selected, evaluated.matches);
    }
    return evaluated.annotated;
  });
  return { activated, results: { Conditions: results }, selected };
}

interface NodeOutcome extends LeafOutcome {
  annotated: Record<string, unknown>;
}

function evaluateNode(node: unknown, path: string, input: EvaluationInput): NodeOutcome {
  if (!isRecord(node)) return { result: false, matches: EMPTY, annotated: { EvaluationResult: false } };
  for (const operator of ['And', 'Or'] as const) {
    const children = node[operator];
    if (!Array.isArray(children)) continue;
    // No short-circuit: every child is evaluated so each gets its EvaluationResult.
    const outcomes = children.map((child, i) => evaluateNode(child, `${path}.${operator}[${i}]`, input));
    const result = operator === 'And' ? outcomes.every((o) => o.result) : outcomes.some((o) => o.result);
    const matches = !result ? EMPTY : operator === 'And' ? andMatches(outcomes) : orMatches(outcomes);
    return { result, matches, annotated: { EvaluationResult: result, [operator]: outcomes.map((o) => o.annotated) } };
  }
  const type = typeof node.ConditionType === 'string' ? node.ConditionType : '';
  const parameters = isRecord(node.ConditionParameters) ? node.ConditionParameters : {};
  const outcome =
    type === 'Sampling' ? sampling(parameters, path, input.samplingKey) : input.leaf(type, parameters, path);
  return {
    ...outcome,
    annotated: {
      ...(node.ConditionParameters !== undefined ? { ConditionParameters: node.ConditionParameters } : {}),
      ConditionType: node.ConditionType,
      EvaluationResult: outcome.result,
    },
  };
}

/**
 * A true And selects the inferences all its item-selecting children agree on (a confidence
 * check AND-ed with sampling reviews the sampled matches; two ranges on one label review the
 * labels inside both). When the children are about different inferences (a check on "Name" AND
 * a check on "Address"), the intersection is empty although the And is true; then each child's
 * matches are reviewed, since each is why the loop started.
 */
function andMatches(outcomes: NodeOutcome[]): Matches {
  let common: Matches = 'all';
  for (const o of outcomes) common = intersect(common, o.matches);
  if (common === 'all' || common.size > 0) return common;
  return orMatches(outcomes);
}

function orMatches(outcomes: NodeOutcome[]): Matches {
  let all: Matches = EMPTY;
  for (const o of outcomes) if (o.result) all = union(all, o.matches);
  return all;
}

function union(a: Matches, b: Matches): Matches {
  if (a === 'all' || b === 'all') return 'all';
  if (a.size === 0) return b;
  if (b.size === 0) return a;
  return new Set([...a, ...b]);
}

function intersect(a: Matches, b: Matches): Matches {
  if (a === 'all') return b;
  if (b === 'all') return a;
  return new Set([...a].filter((id) => b.has(id)));
}

/**
 * Sampling selects every inference of a sampled input. The decision is a hash of the input's
 * key and the condition's path (two Sampling conditions in one document decide independently),
 * mapped uniformly onto [0, 100); the input is sampled when that point is below the percentage.
 */
function sampling(parameters: Record<string, unknown>, path: string, samplingKey: string): LeafOutcome {
  const percentage = typeof parameters.RandomSamplingPercentage === 'number' ? parameters.RandomSamplingPercentage : 0;
  const result = samplingPoint(samplingKey, path) < percentage;
  return { result, matches: result ? 'all' : EMPTY };
}

/** A point in [0, 100) derived from the key: 48 bits of SHA-256, so the steps are far below 0.01 %. */
export function samplingPoint(samplingKey: string, path: string): number {
  const digest = hash('sha256', `${samplingKey}\u0000${path}`, 'hex');
  return (parseInt(digest.slice(0, 12), 16) / 2 ** 48) * 100;
}

/** The comparator suffixes AWS documents, after a prefix such as `Confidence` or `WordBlockConfidence`. */
export const COMPARATORS = {
  Equals: (value: number, threshold: number) => value === threshold,
  LessThan: (value: number, threshold: number) => value < threshold,
  LessThanEquals: (value: number, threshold: number) => value <= threshold,
  GreaterThan: (value: number, threshold: number) => value > threshold,
  GreaterThanEquals: (value: number, threshold: number) => value >= threshold,
} as const;

export type ComparatorName = keyof typeof COMPARATORS;
export const COMPARATOR_NAMES = Object.keys(COMPARATORS) as ComparatorName[];

/** A bound comparison: `value` passes when every `{prefix}{Comparator}` parameter holds (AND-ed). */
export interface ConfidenceTest {
  readonly count: number;
  passes(value: number): boolean;
}

/** Collects the `{prefix}Equals`, `{prefix}LessThan`… parameters of a condition. */
export function confidenceTest(parameters: Record<string, unknown>, prefix: string): ConfidenceTest {
  const checks: Array<(value: number) => boolean> = [];
  for (const name of COMPARATOR_NAMES) {
    const threshold = parameters[`${prefix}${name}`];
    if (typeof threshold === 'number') {
      const compare = COMPARATORS[name];
      checks.push((value) => compare(value, threshold));
    }
  }
  return {
    count: checks.length,
    passes: (value) => checks.every((check) => check(value)),
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
