/**
 * The pure half of crowd-textract-analyze-document: Textract blocks (the `initial-value`
 * attribute, camelCase as A2I's inputContent has them, PascalCase accepted too) → the key-value
 * pairs a reviewer sees, and the reviewed pairs → the answer's `blocks`.
 *
 * Answer blocks follow the element doc's example: per kept pair a KEY block
 * (`blockType`, `entityTypes: ["KEY"]`, `id`, `relationships` CHILD word ids then VALUE id,
 * `text`) and its VALUE block (`entityTypes: ["VALUE"]`, CHILD word ids, `text`), the texts as the
 * reviewer left them. `confidence` and `geometry` are left out, as in the doc's example; pairs
 * marked not relevant are left out; added pairs get new ids and no CHILD words (UNCONFIRMED how
 * AWS encodes additions and removals; this is Tandem's choice).
 */
import type { JsonValue } from './answer.js';
import type { LooseValue } from './literal.js';

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface KeyValuePair {
  keyId: string;
  valueId: string;
  keyText: string;
  valueText: string;
  keyWordIds: string[];
  valueWordIds: string[];
  page: number;
  keyBox: Box | undefined;
  valueBox: Box | undefined;
  /** Added by the reviewer (not in the machine's result). */
  added: boolean;
  /** Marked by the reviewer as not relevant: left out of the answer. */
  irrelevant: boolean;
}

type Record_ = { [key: string]: LooseValue };

function member(block: Record_, camel: string): LooseValue {
  return block[camel] ?? block[camel[0]!.toUpperCase() + camel.slice(1)];
}

function text(value: LooseValue): string {
  return typeof value === 'string' ? value : '';
}

function relationshipIds(block: Record_, type: string): string[] {
  const relationships = member(block, 'relationships');
  if (!Array.isArray(relationships)) return [];
  return relationships.flatMap((relationship) => {
    if (relationship === null || typeof relationship !== 'object' || Array.isArray(relationship)) return [];
    if (text(member(relationship, 'type')) !== type) return [];
    const ids = member(relationship, 'ids');
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  });
}

function boxOf(block: Record_ | undefined): Box | undefined {
  const geometry = block ? member(block, 'geometry') : undefined;
  if (geometry === null || typeof geometry !== 'object' || Array.isArray(geometry) || geometry === undefined) return undefined;
  const box = member(geometry, 'boundingBox');
  if (box === null || typeof box !== 'object' || Array.isArray(box) || box === undefined) return undefined;
  const [left, top, width, height] = ['left', 'top', 'width', 'height'].map((name) => member(box, name));
  if (![left, top, width, height].every((n) => typeof n === 'number')) return undefined;
  return { left: left as number, top: top as number, width: width as number, height: height as number };
}

/** Every KEY block with its VALUE, in the order the blocks list them. */
export function pairsFromBlocks(value: LooseValue): KeyValuePair[] {
  const blocks = (Array.isArray(value) ? value : []).filter(
    (block): block is Record_ => block !== null && typeof block === 'object' && !Array.isArray(block),
  );
  const byId = new Map<string, Record_>();
  for (const block of blocks) {
    const id = text(member(block, 'id'));
    if (id) byId.set(id, block);
  }
  const wordsText = (ids: string[], fallback: LooseValue) => {
    const words = ids.map((id) => byId.get(id)).filter((b): b is Record_ => b !== undefined && text(member(b, 'blockType')) === 'WORD');
    return words.length > 0 ? words.map((w) => text(member(w, 'text'))).join(' ') : text(fallback);
  };
  const pairs: KeyValuePair[] = [];
  for (const block of blocks) {
    const entityTypes = member(block, 'entityTypes');
    if (text(member(block, 'blockType')) !== 'KEY_VALUE_SET' || !Array.isArray(entityTypes) || !entityTypes.includes('KEY')) continue;
    const keyWordIds = relationshipIds(block, 'CHILD');
    const valueId = relationshipIds(block, 'VALUE')[0] ?? '';
    const valueBlock = byId.get(valueId);
    const valueWordIds = valueBlock ? relationshipIds(valueBlock, 'CHILD') : [];
    const page = member(block, 'page');
    pairs.push({
      keyId: text(member(block, 'id')),
      valueId,
      keyText: wordsText(keyWordIds, member(block, 'text')),
      valueText: valueBlock ? wordsText(valueWordIds, member(valueBlock, 'text')) : '',
      keyWordIds,
      valueWordIds,
      page: typeof page === 'number' && page >= 1 ? page : 1,
      keyBox: boxOf(block),
      valueBox: boxOf(valueBlock),
      added: false,
      irrelevant: false,
    });
  }
  return pairs;
}

/** The answer's `blocks`: a KEY and a VALUE block per pair the reviewer kept. */
export function answerBlocks(pairs: readonly KeyValuePair[]): JsonValue[] {
  return pairs
    .filter((pair) => !pair.irrelevant)
    .flatMap((pair) => [
      {
        blockType: 'KEY_VALUE_SET',
        entityTypes: ['KEY'],
        id: pair.keyId,
        relationships: [
          ...(pair.keyWordIds.length > 0 ? [{ type: 'CHILD', ids: [...pair.keyWordIds] }] : []),
          { type: 'VALUE', ids: [pair.valueId] },
        ],
        text: pair.keyText.trim(),
      },
      {
        blockType: 'KEY_VALUE_SET',
        entityTypes: ['VALUE'],
        id: pair.valueId,
        relationships: pair.valueWordIds.length > 0 ? [{ type: 'CHILD', ids: [...pair.valueWordIds] }] : [],
        text: pair.valueText.trim(),
      },
    ]);
}

/** The `keys` attribute: `[{importantFormKey, importantFormKeyAliases}]` (or plain strings). */
export interface ImportantKey {
  key: string;
  aliases: string[];
}

export function importantKeysOf(value: LooseValue): ImportantKey[] {
  return (Array.isArray(value) ? value : []).flatMap((item) => {
    if (typeof item === 'string') return [{ key: item, aliases: [] }];
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return [];
    const key = text(member(item, 'importantFormKey'));
    const aliases = member(item, 'importantFormKeyAliases');
    return key ? [{ key, aliases: Array.isArray(aliases) ? aliases.filter((a): a is string => typeof a === 'string') : [] }] : [];
  });
}

/** Important keys no kept pair has (compared without case, surrounding space or a trailing colon). */
export function missingImportantKeys(keys: readonly ImportantKey[], pairs: readonly KeyValuePair[]): ImportantKey[] {
  const normalize = (s: string) => s.trim().replace(/:$/, '').trim().toLowerCase();
  const present = new Set(pairs.filter((p) => !p.irrelevant).map((p) => normalize(p.keyText)));
  return keys.filter((k) => ![k.key, ...k.aliases].some((name) => present.has(normalize(name))));
}

/** A random v4 UUID for an added block; getRandomValues works outside secure contexts too. */
export function newBlockId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
