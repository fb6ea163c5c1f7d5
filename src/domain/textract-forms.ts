/**
 * Activation conditions of `AWS/Textract/AnalyzeDocument/Forms/V1` over an AnalyzeDocument
 * response (`Blocks`, Textract's PascalCase): the key-value pairs are read from KEY_VALUE_SET
 * blocks and their CHILD/VALUE relationships, then the leaf conditions are decided per pair.
 *
 * Matching rules (AWS leaves some unstated; these are Tandem's, and the README says so):
 * - a pair's key text is its key's WORD children joined by one space; it matches
 *   `ImportantFormKey` or one of `ImportantFormKeyAliases` when equal after trimming and
 *   collapsing whitespace, case-sensitive (AWS's examples list `"Mail Address:"` and
 *   `"Mail address:"` as separate aliases); `"*"` matches every key;
 * - `KeyValueBlockConfidence…` must hold for the pair's KEY block and each of its VALUE blocks;
 * - `WordBlockConfidence…` must hold for each WORD (and SELECTION_ELEMENT) block making up the
 *   key and the value ("the confidences of each of the word blocks making up the key and value");
 * - several comparators in one condition are AND-ed.
 */
import {
  confidenceTest,
  evaluateConditionTree,
  isRecord,
  type EvaluationOutcome,
  type LeafOutcome,
} from './activation-evaluation.js';

export const TEXTRACT_FORMS_SOURCE = 'AWS/Textract/AnalyzeDocument/Forms/V1';

export interface TextractBlock {
  BlockType?: string;
  Id?: string;
  Confidence?: number;
  Text?: string;
  EntityTypes?: string[];
  Relationships?: Array<{ Type?: string; Ids?: string[] }>;
  Page?: number;
  [member: string]: unknown;
}

/** One detected key-value pair, by block ids. */
export interface FormKeyValuePair {
  keyId: string;
  keyText: string;
  /** Every block id making up the pair: KEY, VALUE blocks and their children. */
  blockIds: string[];
  /** Confidences of the KEY and VALUE blocks. */
  keyValueConfidences: number[];
  /** Confidences of the key's and value's WORD / SELECTION_ELEMENT children. */
  wordConfidences: number[];
}

export function normalizeFormKey(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

/** The form's key-value pairs, in the order of their KEY blocks. */
export function formKeyValuePairs(blocks: readonly TextractBlock[]): FormKeyValuePair[] {
  const byId = new Map<string, TextractBlock>();
  for (const block of blocks) if (typeof block.Id === 'string') byId.set(block.Id, block);
  const pairs: FormKeyValuePair[] = [];
  for (const block of blocks) {
    if (block.BlockType !== 'KEY_VALUE_SET' || !block.EntityTypes?.includes('KEY') || typeof block.Id !== 'string') continue;
    const blockIds = [block.Id];
    const keyValueConfidences = [confidenceOf(block)];
    const wordConfidences: number[] = [];
    const keyWords: string[] = [];
    for (const child of related(block, 'CHILD', byId)) {
      blockIds.push(child.Id!);
      wordConfidences.push(confidenceOf(child));
      if (typeof child.Text === 'string') keyWords.push(child.Text);
    }
    for (const value of related(block, 'VALUE', byId)) {
      blockIds.push(value.Id!);
      keyValueConfidences.push(confidenceOf(value));
      for (const child of related(value, 'CHILD', byId)) {
        blockIds.push(child.Id!);
        wordConfidences.push(confidenceOf(child));
      }
    }
    pairs.push({ keyId: block.Id, keyText: normalizeFormKey(keyWords.join(' ')), blockIds, keyValueConfidences, wordConfidences });
  }
  return pairs;
}

function related(block: TextractBlock, type: string, byId: Map<string, TextractBlock>): TextractBlock[] {
  const found: TextractBlock[] = [];
  for (const relationship of block.Relationships ?? []) {
    if (relationship.Type !== type) continue;
    for (const id of relationship.Ids ?? []) {
      const target = byId.get(id);
      if (target) found.push(target);
    }
  }
  return found;
}

/** A block without a confidence counts as 0: it is reviewed rather than trusted. */
function confidenceOf(block: TextractBlock): number {
  return typeof block.Confidence === 'number' ? block.Confidence : 0;
}

function keyNames(parameters: Record<string, unknown>): { wildcard: boolean; names: Set<string> } {
  const key = typeof parameters.ImportantFormKey === 'string' ? parameters.ImportantFormKey : '';
  const aliases = Array.isArray(parameters.ImportantFormKeyAliases) ? parameters.ImportantFormKeyAliases : [];
  const names = new Set([key, ...aliases.filter((a): a is string => typeof a === 'string')].map(normalizeFormKey));
  return { wildcard: key === '*', names };
}

/** Decides one Textract leaf condition against the pairs. */
export function textractLeaf(pairs: readonly FormKeyValuePair[], type: string, parameters: Record<string, unknown>): LeafOutcome {
  const { wildcard, names } = keyNames(parameters);
  const named = pairs.filter((pair) => wildcard || names.has(pair.keyText));
  if (type === 'MissingImportantFormKey') {
    return { result: named.length === 0, matches: new Set() };
  }
  if (type !== 'ImportantFormKeyConfidenceCheck') return { result: false, matches: new Set() };
  const blockTest = confidenceTest(parameters, 'KeyValueBlockConfidence');
  const wordTest = confidenceTest(parameters, 'WordBlockConfidence');
  const matches = new Set<string>();
  for (const pair of named) {
    if (!pair.keyValueConfidences.every(blockTest.passes)) continue;
    if (!pair.wordConfidences.every(wordTest.passes)) continue;
    for (const id of pair.blockIds) matches.add(id);
  }
  return { result: matches.size > 0, matches };
}

export interface TextractEvaluation extends EvaluationOutcome {
  /** The response's blocks that the true conditions selected, in the response's order. */
  selectedBlocks: TextractBlock[];
}

/** Evaluates a Textract flow's conditions over an AnalyzeDocument response's blocks. */
export function evaluateTextractConditions(
  conditions: unknown,
  blocks: readonly TextractBlock[],
  samplingKey: string,
): TextractEvaluation {
  const pairs = formKeyValuePairs(blocks);
  const outcome = evaluateConditionTree(conditions, {
    samplingKey,
    leaf: (type, parameters) => textractLeaf(pairs, type, parameters),
  });
  const selected = outcome.selected;
  const selectedBlocks =
    selected === 'all' ? [...blocks] : blocks.filter((b) => typeof b.Id === 'string' && selected.has(b.Id));
  return { ...outcome, selectedBlocks };
}

/** True when `value` looks like AnalyzeDocument's Blocks array (objects with a BlockType). */
export function isBlockList(value: unknown): value is TextractBlock[] {
  return Array.isArray(value) && value.every((b) => isRecord(b) && typeof b.BlockType === 'string');
}
