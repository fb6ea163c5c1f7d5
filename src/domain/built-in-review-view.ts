/**
 * What an operator needs to see of a built-in review's input (Textract forms, Rekognition
 * moderation) instead of raw JSON: the document, its key-value pairs with confidences and where
 * they sit on the page, and which of them the activation conditions selected. Pure: reads the
 * `inputContent` layout of domain/built-in-input.ts (lowerCamelCase keys, as A2I writes it).
 */

/** A rectangle as a fraction of the page, as Textract's BoundingBox gives it. */
export interface PageBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface ObjectLocation {
  bucket: string;
  name: string;
}

export interface ReviewedKeyValue {
  key: string;
  value: string;
  page: number;
  /** The lowest confidence of the KEY and VALUE blocks. */
  keyValueConfidence: number;
  /** The lowest confidence of the key's and value's words, or undefined without words. */
  wordConfidence: number | undefined;
  /** One of the pairs the true activation conditions selected for review. */
  selected: boolean;
  /** The union of the key's and the value's boxes, when the blocks have geometry. */
  box: PageBox | undefined;
}

export interface ReviewedModerationLabel {
  name: string;
  parentName: string;
  confidence: number;
  selected: boolean;
}

export type BuiltInReviewView =
  | { kind: 'textract'; document: ObjectLocation | undefined; pages: number; pairs: ReviewedKeyValue[] }
  | { kind: 'moderation'; image: ObjectLocation | undefined; labels: ReviewedModerationLabel[] };

interface Block {
  id: string;
  blockType: string;
  text: string | undefined;
  confidence: number;
  page: number;
  entityTypes: string[];
  relationships: Array<{ type: string; ids: string[] }>;
  box: PageBox | undefined;
}

/** The view of a built-in loop's input, or undefined when the input is not one. */
export function builtInReviewView(inputContent: unknown): BuiltInReviewView | undefined {
  if (!isRecord(inputContent)) return undefined;
  const request = inputContent.aiServiceRequest;
  const response = inputContent.aiServiceResponse;
  if (!isRecord(request) || !isRecord(response)) return undefined;
  const selected = isRecord(inputContent.selectedAiServiceResponse) ? inputContent.selectedAiServiceResponse : {};
  if (Array.isArray(response.blocks)) {
    const selectedIds = new Set(blocksOf(selected.blocks).map((b) => b.id));
    const blocks = blocksOf(response.blocks);
    const pages = Math.max(1, ...blocks.map((b) => b.page));
    return { kind: 'textract', document: locationOf(request.document), pages, pairs: keyValues(blocks, selectedIds) };
  }
  if (Array.isArray(response.moderationLabels)) {
    const selectedNames = new Set(
      (Array.isArray(selected.moderationLabels) ? selected.moderationLabels : []).filter(isRecord).map((l) => String(l.name ?? '')),
    );
    const labels = response.moderationLabels.filter(isRecord).map((label) => ({
      name: String(label.name ?? ''),
      parentName: String(label.parentName ?? ''),
      confidence: numberOr(label.confidence, 0),
      selected: selectedNames.has(String(label.name ?? '')),
    }));
    return { kind: 'moderation', image: locationOf(request.image), labels };
  }
  return undefined;
}

function keyValues(blocks: Block[], selectedIds: ReadonlySet<string>): ReviewedKeyValue[] {
  const byId = new Map(blocks.map((b) => [b.id, b]));
  const related = (block: Block, type: string) =>
    block.relationships.filter((r) => r.type === type).flatMap((r) => r.ids.map((id) => byId.get(id)).filter((b): b is Block => b !== undefined));
  const pairs: ReviewedKeyValue[] = [];
  for (const key of blocks) {
    if (key.blockType !== 'KEY_VALUE_SET' || !key.entityTypes.includes('KEY')) continue;
    const keyWords = related(key, 'CHILD');
    const values = related(key, 'VALUE');
    const valueWords = values.flatMap((v) => related(v, 'CHILD'));
    const words = [...keyWords, ...valueWords];
    pairs.push({
      key: joinText(keyWords),
      value: joinText(valueWords.map((w) => (w.blockType === 'SELECTION_ELEMENT' ? { ...w, text: w.text ?? '☐' } : w))),
      page: key.page,
      keyValueConfidence: Math.min(key.confidence, ...values.map((v) => v.confidence)),
      wordConfidence: words.length > 0 ? Math.min(...words.map((w) => w.confidence)) : undefined,
      selected: selectedIds.has(key.id),
      box: union([key, ...values].map((b) => b.box)),
    });
  }
  return pairs;
}

function joinText(blocks: Block[]): string {
  return blocks
    .map((b) => b.text ?? '')
    .filter((t) => t !== '')
    .join(' ');
}

function union(boxes: Array<PageBox | undefined>): PageBox | undefined {
  const present = boxes.filter((b): b is PageBox => b !== undefined);
  if (present.length === 0) return undefined;
  const left = Math.min(...present.map((b) => b.left));
  const top = Math.min(...present.map((b) => b.top));
  const right = Math.max(...present.map((b) => b.left + b.width));
  const bottom = Math.max(...present.map((b) => b.top + b.height));
  return { left, top, width: right - left, height: bottom - top };
}

function blocksOf(value: unknown): Block[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).flatMap((raw) => {
    if (typeof raw.id !== 'string') return [];
    const geometry = isRecord(raw.geometry) ? raw.geometry : {};
    return [
      {
        id: raw.id,
        blockType: String(raw.blockType ?? ''),
        text: typeof raw.text === 'string' ? raw.text : undefined,
        confidence: numberOr(raw.confidence, 0),
        page: numberOr(raw.page, 1),
        entityTypes: Array.isArray(raw.entityTypes) ? raw.entityTypes.map(String) : [],
        relationships: (Array.isArray(raw.relationships) ? raw.relationships : [])
          .filter(isRecord)
          .map((r) => ({ type: String(r.type ?? ''), ids: Array.isArray(r.ids) ? r.ids.map(String) : [] })),
        box: boxOf(geometry.boundingBox),
      },
    ];
  });
}

function boxOf(value: unknown): PageBox | undefined {
  if (!isRecord(value)) return undefined;
  const [left, top, width, height] = [value.left, value.top, value.width, value.height].map((n) => (typeof n === 'number' && Number.isFinite(n) ? n : NaN));
  if ([left, top, width, height].some((n) => Number.isNaN(n))) return undefined;
  return { left: left!, top: top!, width: width!, height: height! };
}

function locationOf(source: unknown): ObjectLocation | undefined {
  if (!isRecord(source) || !isRecord(source.s3Object)) return undefined;
  const { bucket, name } = source.s3Object;
  return typeof bucket === 'string' && typeof name === 'string' ? { bucket, name } : undefined;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
