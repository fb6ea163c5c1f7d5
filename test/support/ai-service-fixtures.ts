/**
 * Realistic AI-service responses for the built-in task types, built the way the services shape
 * them: an AnalyzeDocument (FORMS) response for a two-page payroll form — PAGE, LINE, WORD and
 * KEY_VALUE_SET blocks with CHILD/VALUE relationships, bounding boxes and polygons — and a
 * DetectModerationLabels response whose labels carry their parents.
 */
import type { TextractBlock } from '../../src/domain/textract-forms.js';

export interface FormField {
  key: string;
  value: string;
  /** Confidence of the KEY and VALUE blocks. */
  confidence: number;
  /** Word confidences, key words then value words; default `confidence + 3`, capped at 99.9. */
  wordConfidences?: number[];
  /** Top of the field on its page, 0–1. */
  top: number;
}

export interface AnalyzeDocumentResponseShape {
  DocumentMetadata: { Pages: number };
  Blocks: TextractBlock[];
  AnalyzeDocumentModelVersion: string;
}

/** Builds a FORMS response: one PAGE block per page, then each field's LINEs, WORDs and key-value pair. */
export function buildFormResponse(pages: FormField[][], idPrefix = 'b'): AnalyzeDocumentResponseShape {
  let next = 0;
  const id = () => `${idPrefix}${(next++).toString(16).padStart(6, '0')}-5c1e-4a7b-9d2f-0e8a3c6b1f47`;
  const blocks: TextractBlock[] = [];
  pages.forEach((fields, pageIndex) => {
    const page = pageIndex + 1;
    const pageBlock: TextractBlock = {
      BlockType: 'PAGE',
      Geometry: geometry(0, 0, 1, 1),
      Id: id(),
      Relationships: [{ Type: 'CHILD', Ids: [] }],
      Page: page,
    };
    blocks.push(pageBlock);
    for (const field of fields) {
      const keyWords = field.key.split(' ');
      const valueWords = field.value.split(' ');
      const wordConfidences = field.wordConfidences ?? [...keyWords, ...valueWords].map(() => Math.min(99.9, field.confidence + 3));
      const height = 0.018;
      const words = (texts: string[], left: number, offset: number) => {
        let x = left;
        return texts.map((text, i) => {
          const width = 0.012 * text.length + 0.01;
          const block: TextractBlock = {
            BlockType: 'WORD',
            Confidence: wordConfidences[offset + i] ?? field.confidence,
            Text: text,
            TextType: 'PRINTED',
            Geometry: geometry(x, field.top, width, height),
            Id: id(),
            Page: page,
          };
          x += width + 0.008;
          return block;
        });
      };
      const keyWordBlocks = words(keyWords, 0.08, 0);
      const valueWordBlocks = words(valueWords, 0.42, keyWords.length);
      for (const lineWords of [keyWordBlocks, valueWordBlocks]) {
        const first = lineWords[0]!;
        const last = lineWords[lineWords.length - 1]!;
        const left = box(first).Left;
        const line: TextractBlock = {
          BlockType: 'LINE',
          Confidence: Math.min(...lineWords.map((w) => w.Confidence ?? 0)),
          Text: lineWords.map((w) => w.Text).join(' '),
          Geometry: geometry(left, field.top, box(last).Left + box(last).Width - left, height),
          Id: id(),
          Relationships: [{ Type: 'CHILD', Ids: lineWords.map((w) => w.Id!) }],
          Page: page,
        };
        pageBlock.Relationships![0]!.Ids!.push(line.Id!);
        blocks.push(line, ...lineWords);
      }
      const keyBlock: TextractBlock = {
        BlockType: 'KEY_VALUE_SET',
        Confidence: field.confidence,
        Geometry: geometry(0.08, field.top, 0.3, height),
        Id: id(),
        Relationships: [],
        EntityTypes: ['KEY'],
        Page: page,
      };
      const valueBlock: TextractBlock = {
        BlockType: 'KEY_VALUE_SET',
        Confidence: field.confidence,
        Geometry: geometry(0.42, field.top, 0.4, height),
        Id: id(),
        Relationships: [{ Type: 'CHILD', Ids: valueWordBlocks.map((w) => w.Id!) }],
        EntityTypes: ['VALUE'],
        Page: page,
      };
      keyBlock.Relationships = [
        { Type: 'VALUE', Ids: [valueBlock.Id!] },
        { Type: 'CHILD', Ids: keyWordBlocks.map((w) => w.Id!) },
      ];
      pageBlock.Relationships![0]!.Ids!.push(keyBlock.Id!, valueBlock.Id!);
      blocks.push(keyBlock, valueBlock);
    }
  });
  return { DocumentMetadata: { Pages: pages.length }, Blocks: blocks, AnalyzeDocumentModelVersion: '1.0' };
}

function geometry(left: number, top: number, width: number, height: number) {
  const r = (n: number) => Math.round(n * 1e6) / 1e6;
  return {
    BoundingBox: { Width: r(width), Height: r(height), Left: r(left), Top: r(top) },
    Polygon: [
      { X: r(left), Y: r(top) },
      { X: r(left + width), Y: r(top) },
      { X: r(left + width), Y: r(top + height) },
      { X: r(left), Y: r(top + height) },
    ],
  };
}

function box(block: TextractBlock): { Left: number; Width: number } {
  return (block.Geometry as { BoundingBox: { Left: number; Width: number } }).BoundingBox;
}

/**
 * A two-page payroll form. Page 1: a confident employee name, a low-confidence pay date (key-value
 * 58.2, words ~61), a mailing address with one poorly read word (71.4); page 2: the SSN and a
 * signature date. There is no "Employer ID" key.
 */
export const TWO_PAGE_FORM: AnalyzeDocumentResponseShape = buildFormResponse([
  [
    { key: 'Employee Name:', value: 'Jane Q. Doe', confidence: 96.5, top: 0.12 },
    { key: 'Pay Date:', value: '11/30/2026', confidence: 58.2, wordConfidences: [61.0, 62.4, 60.3], top: 0.18 },
    { key: 'Mailing Address:', value: '12 Elm Street, Springfield', confidence: 88.9, wordConfidences: [97.1, 96.8, 99.2, 71.4, 98.0, 95.5], top: 0.24 },
  ],
  [
    { key: 'Social Security Number:', value: 'XXX-XX-1234', confidence: 92.1, top: 0.1 },
    { key: 'Signature Date:', value: '11/30/2026', confidence: 85.0, top: 0.8 },
  ],
]);

export const MODERATION_RESPONSE = {
  ModerationLabels: [
    { Confidence: 96.7122802734375, Name: 'Suggestive', ParentName: '', TaxonomyLevel: 1 },
    { Confidence: 96.7122802734375, Name: 'Female Swimwear Or Underwear', ParentName: 'Suggestive', TaxonomyLevel: 2 },
    { Confidence: 81.25, Name: 'Revealing Clothes', ParentName: 'Suggestive', TaxonomyLevel: 2 },
    { Confidence: 62.5, Name: 'Alcohol', ParentName: '', TaxonomyLevel: 1 },
    { Confidence: 62.5, Name: 'Drinking', ParentName: 'Alcohol', TaxonomyLevel: 2 },
  ],
  ModerationModelVersion: '7.0',
};

/** A small valid PNG (1×1), for requests that upload image or document bytes. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
