/**
 * Activation-condition evaluation on a 1,000-block AnalyzeDocument response (issue 9).
 * **Target: < 1 ms median per evaluation.**
 *
 *   npm run bench -- activation [--blocks=1000] [--iterations=3000]
 *
 * The response comes from bench/support/form-generator.ts (seeded: the same document every run;
 * PAGE, LINE, WORD and KEY_VALUE_SET blocks with CHILD/VALUE relationships and geometry). Each
 * case times `evaluateTextractConditions` (what proxy mode and intake run per request: pairs read
 * from the blocks, every condition decided, the selected blocks collected) one call at a time,
 * after a warm-up, for p50/p99. Baseline, in the same run: `JSON.parse` of the same response's
 * JSON text, which Tandem does for every proxied response anyway; ratios are evaluation ÷ parse.
 *
 * The proxy's overhead per call against a direct call to the same upstream is measured by
 * bench/ai-proxy.ts (a whole HTTP round trip through Tandem); its latest result is copied into
 * this result's `proxyOverhead` with its date, so both figures issue 9 asks for sit in one file.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateTextractConditions } from '../src/domain/textract-forms.js';
import { generateForm } from './support/form-generator.js';
import { LatencySamples, round } from './support/latency.js';
import { machineInfo, RESULTS_DIR, writeResults } from './support/results.js';
import { formatMs, formatRatio, formatTable } from './support/table.js';

const { values: flags } = parseArgs({
  options: {
    blocks: { type: 'string', default: '1000' },
    iterations: { type: 'string', default: '3000' },
  },
});
const BLOCKS = Number(flags.blocks);
const ITERATIONS = Number(flags.iterations);
const say = (line = '') => process.stdout.write(`${line}\n`);

const check = (key: string, parameters: Record<string, unknown>, aliases: string[] = []) => ({
  ConditionType: 'ImportantFormKeyConfidenceCheck',
  ConditionParameters: { ImportantFormKey: key, ...(aliases.length > 0 ? { ImportantFormKeyAliases: aliases } : {}), ...parameters },
});
const missing = (key: string, aliases: string[] = []) => ({
  ConditionType: 'MissingImportantFormKey',
  ConditionParameters: { ImportantFormKey: key, ImportantFormKeyAliases: aliases },
});

/** Condition documents from AWS's examples, and a larger one of the kind a production flow carries. */
const CASES: Array<[string, unknown]> = [
  ['every key: KV < 60 and words < 90 (AWS example 2)', { Conditions: [check('*', { KeyValueBlockConfidenceLessThan: 60, WordBlockConfidenceLessThan: 90 })] }],
  [
    'sampling AND a named key with aliases (AWS example 3)',
    { Conditions: [{ And: [{ ConditionType: 'Sampling', ConditionParameters: { RandomSamplingPercentage: 5 } }, check('Pay Date:', { KeyValueBlockConfidenceLessThan: 65, WordBlockConfidenceLessThan: 85 }, ['PayDate', 'DateOfPay', 'pay-date'])] }] },
  ],
  [
    '6 named checks, 3 missing-key checks, And/Or, sampling',
    {
      Conditions: [
        { Or: [check('Employee Name:', { KeyValueBlockConfidenceLessThan: 80 }, ['Name:', 'Employee:']), check('Social Security Number:', { KeyValueBlockConfidenceLessThanEquals: 95 })] },
        { And: [check('Gross Pay:', { KeyValueBlockConfidenceGreaterThanEquals: 50 }), check('Net Pay:', { WordBlockConfidenceLessThan: 90 })] },
        check('Pay Date:', { KeyValueBlockConfidenceLessThan: 70, WordBlockConfidenceLessThan: 85 }, ['PayDate']),
        check('Mailing Address:', { WordBlockConfidenceLessThan: 75 }, ['Address:', 'Mail Address:']),
        missing('Employer ID:', ['EIN:', 'Employer Identification Number:']),
        missing('Routing Number:'),
        missing('Tax Year:', ['Year:']),
        { ConditionType: 'Sampling', ConditionParameters: { RandomSamplingPercentage: 2 } },
      ],
    },
  ],
];

function time(fn: () => unknown): { samples: LatencySamples; result: unknown } {
  let result: unknown;
  for (let i = 0; i < Math.min(300, ITERATIONS); i++) result = fn(); // warm-up: let V8 optimize
  const samples = new LatencySamples();
  for (let i = 0; i < ITERATIONS; i++) {
    const started = process.hrtime.bigint();
    result = fn();
    samples.add(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { samples, result };
}

async function proxyOverhead(): Promise<unknown> {
  try {
    const latest = JSON.parse(await readFile(join(RESULTS_DIR, 'ai-proxy-latest.json'), 'utf8')) as {
      machine?: { date?: string };
      settings?: unknown;
      results?: Record<string, { medianMs: number; p99Ms: number; ratioToDirect: number; overheadMs: number }>;
    };
    return { source: 'bench/results/ai-proxy-latest.json (npm run bench -- ai-proxy)', measuredAt: latest.machine?.date, settings: latest.settings, results: latest.results };
  } catch {
    return { source: 'bench/ai-proxy.ts', note: 'no result yet: run npm run bench -- ai-proxy' };
  }
}

const machine = machineInfo();
const response = generateForm(BLOCKS);
const text = JSON.stringify(response);
const blocks = response.Blocks;
const pairs = blocks.filter((b) => b.BlockType === 'KEY_VALUE_SET' && b.EntityTypes?.includes('KEY')).length;
say(`activation: ${blocks.length} blocks (${pairs} key-value pairs, ${response.DocumentMetadata.Pages} pages, ${(text.length / 1024).toFixed(0)} KiB), ${ITERATIONS} evaluations per case, load ${machine.loadAverage.join(' ')}`);

const baseline = time(() => JSON.parse(text)).samples.summary();
const rows: Array<{ name: string; p50Ms: number; p99Ms: number; meanMs: number; activated: boolean; selectedBlocks: number; ratioToParse: number }> = [];
for (const [name, conditions] of CASES) {
  const { samples, result } = time(() => evaluateTextractConditions(conditions, blocks, 'sha256:bench-document'));
  const outcome = result as ReturnType<typeof evaluateTextractConditions>;
  const s = samples.summary();
  rows.push({ name, p50Ms: s.p50Ms, p99Ms: s.p99Ms, meanMs: s.meanMs, activated: outcome.activated, selectedBlocks: outcome.selectedBlocks.length, ratioToParse: round(s.p50Ms / baseline.p50Ms, 2) });
}
say(
  formatTable(
    ['case', 'p50', 'p99', '× JSON.parse p50', 'activated', 'selected blocks', '< 1 ms p50'],
    [
      ['baseline: JSON.parse of the response', formatMs(baseline.p50Ms), formatMs(baseline.p99Ms), '1.00×', '', '', ''],
      ...rows.map((r) => [r.name, formatMs(r.p50Ms), formatMs(r.p99Ms), formatRatio(r.ratioToParse), String(r.activated), String(r.selectedBlocks), r.p50Ms < 1 ? 'yes' : 'NO']),
    ],
  ),
);
const proxy = await proxyOverhead();
const files = await writeResults('activation', {
  machine: { ...machine, loadAverageAtEnd: machineInfo().loadAverage },
  settings: { blocks: blocks.length, keyValuePairs: pairs, pages: response.DocumentMetadata.Pages, responseBytes: text.length, iterations: ITERATIONS },
  target: 'p50 < 1 ms per evaluation',
  baseline: { name: 'JSON.parse of the response', ...baseline },
  results: rows,
  proxyOverhead: proxy,
});
say(`wrote ${files.join(', ')}`);
