/**
 * A large, realistic AnalyzeDocument (FORMS) response for benchmarks: pages of key-value fields
 * built by test/support/ai-service-fixtures.ts `buildFormResponse` (PAGE, LINE, WORD and
 * KEY_VALUE_SET blocks with CHILD/VALUE relationships and geometry, as Textract shapes them),
 * with keys, values and confidences drawn from a seeded generator, so every run measures the
 * same document.
 */
import { buildFormResponse, type AnalyzeDocumentResponseShape, type FormField } from '../../test/support/ai-service-fixtures.js';

const KEYS = [
  'Employee Name:', 'Pay Date:', 'Mailing Address:', 'Employer ID:', 'Social Security Number:', 'Signature Date:',
  'City:', 'State:', 'ZIP Code:', 'Phone Number:', 'Date of Birth:', 'Gross Pay:', 'Net Pay:', 'Federal Tax:',
  'Hours Worked:', 'Policy Number:', 'Account Number:', 'Invoice Total:', 'Due Date:', 'Email Address:',
];
const VALUES = ['Jane Q. Doe', '11/30/2026', '12 Elm Street, Springfield', '12-3456789', 'XXX-XX-1234', '$4,210.55', 'IL', '62704', '(217) 555-0143', 'yes', '40.0', 'jane@example.com'];

/** Mulberry32: a small deterministic generator, so the fixture is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Blocks one field adds: a LINE and the WORDs for its key and for its value, and the KEY and VALUE blocks. */
function blocksOf(field: FormField): number {
  return field.key.split(' ').length + field.value.split(' ').length + 4;
}

/**
 * A form of at least `targetBlocks` blocks over `pages` pages. About one field in eight is read
 * poorly (key-value confidence 40–70, some words below 80), the rest 85–99.9: the usual mix
 * that confidence checks pick from.
 */
export function generateForm(targetBlocks: number, pages = 4, seed = 42): AnalyzeDocumentResponseShape {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const fields: FormField[][] = Array.from({ length: pages }, () => []);
  let blocks = pages;
  for (let n = 0; blocks < targetBlocks; n++) {
    const page = n % pages;
    const poor = random() < 0.125;
    const confidence = Math.round((poor ? 40 + random() * 30 : 85 + random() * 14.9) * 10) / 10;
    const key = n < KEYS.length ? KEYS[n]! : `${pick(KEYS).slice(0, -1)} ${Math.floor(n / KEYS.length)}:`;
    const value = pick(VALUES);
    const words = key.split(' ').length + value.split(' ').length;
    const wordConfidences = Array.from({ length: words }, () => Math.round(Math.min(99.9, confidence + (poor && random() < 0.3 ? -25 : 3) + random() * 4) * 10) / 10);
    const field: FormField = { key, value, confidence, wordConfidences, top: 0.05 + (fields[page]!.length % 45) * 0.02 };
    fields[page]!.push(field);
    blocks += blocksOf(field);
  }
  return buildFormResponse(fields, 'f');
}
