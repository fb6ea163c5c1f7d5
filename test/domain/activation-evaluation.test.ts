import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkActivationConditions } from '../../src/domain/activation-conditions.js';
import { evaluateConditionTree, samplingPoint } from '../../src/domain/activation-evaluation.js';
import { evaluateModerationConditions, MODERATION_SOURCE } from '../../src/domain/moderation-labels.js';
import { evaluateTextractConditions, formKeyValuePairs, TEXTRACT_FORMS_SOURCE } from '../../src/domain/textract-forms.js';
import { MODERATION_RESPONSE, TWO_PAGE_FORM } from '../support/ai-service-fixtures.js';

const blocks = TWO_PAGE_FORM.Blocks;
const keyText = (ids: Set<string>) =>
  formKeyValuePairs(blocks)
    .filter((pair) => ids.has(pair.keyId))
    .map((pair) => pair.keyText);
const check = (parameters: Record<string, unknown>) => ({ ConditionType: 'ImportantFormKeyConfidenceCheck', ConditionParameters: parameters });
const missing = (parameters: Record<string, unknown>) => ({ ConditionType: 'MissingImportantFormKey', ConditionParameters: parameters });
const sampling = (percentage: number) => ({ ConditionType: 'Sampling', ConditionParameters: { RandomSamplingPercentage: percentage } });
const label = (parameters: Record<string, unknown>) => ({ ConditionType: 'ModerationLabelConfidenceCheck', ConditionParameters: parameters });

/** Keys of the selected KEY blocks, for readable expectations. */
function textractSelection(conditions: unknown[], samplingKey = 'doc-1') {
  const outcome = evaluateTextractConditions({ Conditions: conditions }, blocks, samplingKey);
  const selectedIds = new Set(outcome.selectedBlocks.map((b) => b.Id!));
  return { activated: outcome.activated, keys: keyText(selectedIds), outcome };
}

describe('the two-page form fixture', () => {
  test('has five key-value pairs across two pages, with their words', () => {
    const pairs = formKeyValuePairs(blocks);
    assert.deepEqual(pairs.map((p) => p.keyText), ['Employee Name:', 'Pay Date:', 'Mailing Address:', 'Social Security Number:', 'Signature Date:']);
    assert.deepEqual(pairs[1]!.wordConfidences, [61.0, 62.4, 60.3]);
    assert.equal(TWO_PAGE_FORM.DocumentMetadata.Pages, 2);
    assert.deepEqual([...new Set(blocks.map((b) => b.Page))], [1, 2]);
  });
});

describe('Textract conditions (AWS/Textract/AnalyzeDocument/Forms/V1)', () => {
  const cases: Array<{ name: string; conditions: unknown[]; activated: boolean; keys: string[] }> = [
    { name: 'a low-confidence key, named with its alias', conditions: [check({ ImportantFormKey: 'Pay Date', ImportantFormKeyAliases: ['PayDate', 'Pay Date:'], KeyValueBlockConfidenceLessThan: 65, WordBlockConfidenceLessThan: 85 })], activated: true, keys: ['Pay Date:'] },
    { name: 'key matching is exact: "Pay Date" is not "Pay Date:"', conditions: [check({ ImportantFormKey: 'Pay Date', KeyValueBlockConfidenceLessThan: 65 })], activated: false, keys: [] },
    { name: 'key matching is case-sensitive', conditions: [check({ ImportantFormKey: 'pay date:', KeyValueBlockConfidenceLessThan: 65 })], activated: false, keys: [] },
    { name: 'whitespace in a key name is collapsed', conditions: [check({ ImportantFormKey: '  Pay   Date: ', KeyValueBlockConfidenceLessThan: 65 })], activated: true, keys: ['Pay Date:'] },
    { name: 'wildcard key: every key below 60', conditions: [check({ ImportantFormKey: '*', KeyValueBlockConfidenceLessThan: 60 })], activated: true, keys: ['Pay Date:'] },
    { name: 'wildcard key, no comparator: every pair', conditions: [check({ ImportantFormKey: '*' })], activated: true, keys: ['Employee Name:', 'Pay Date:', 'Mailing Address:', 'Social Security Number:', 'Signature Date:'] },
    { name: 'LessThan at the threshold is false', conditions: [check({ ImportantFormKey: '*', KeyValueBlockConfidenceLessThan: 58.2 })], activated: false, keys: [] },
    { name: 'LessThanEquals at the threshold is true', conditions: [check({ ImportantFormKey: '*', KeyValueBlockConfidenceLessThanEquals: 58.2 })], activated: true, keys: ['Pay Date:'] },
    { name: 'Equals', conditions: [check({ ImportantFormKey: '*', KeyValueBlockConfidenceEquals: 85 })], activated: true, keys: ['Signature Date:'] },
    { name: 'GreaterThan at the threshold is false', conditions: [check({ ImportantFormKey: 'Employee Name:', KeyValueBlockConfidenceGreaterThan: 96.5 })], activated: false, keys: [] },
    { name: 'GreaterThanEquals at the threshold is true', conditions: [check({ ImportantFormKey: 'Employee Name:', KeyValueBlockConfidenceGreaterThanEquals: 96.5 })], activated: true, keys: ['Employee Name:'] },
    { name: 'two KeyValueBlock comparators are AND-ed (a range)', conditions: [check({ ImportantFormKey: '*', KeyValueBlockConfidenceGreaterThan: 85, KeyValueBlockConfidenceLessThan: 95 })], activated: true, keys: ['Mailing Address:', 'Social Security Number:'] },
    { name: 'WordBlock: each word of key and value must pass (one word at 71.4 fails LessThan 80)', conditions: [check({ ImportantFormKey: 'Mailing Address:', WordBlockConfidenceLessThan: 80 })], activated: false, keys: [] },
    { name: 'WordBlockConfidenceGreaterThan below the weakest word', conditions: [check({ ImportantFormKey: 'Mailing Address:', WordBlockConfidenceGreaterThan: 71 })], activated: true, keys: ['Mailing Address:'] },
    { name: 'WordBlockConfidenceGreaterThan at the weakest word is false', conditions: [check({ ImportantFormKey: 'Mailing Address:', WordBlockConfidenceGreaterThan: 71.4 })], activated: false, keys: [] },
    { name: 'WordBlockConfidenceGreaterThanEquals at the weakest word is true', conditions: [check({ ImportantFormKey: 'Mailing Address:', WordBlockConfidenceGreaterThanEquals: 71.4 })], activated: true, keys: ['Mailing Address:'] },
    { name: 'WordBlockConfidenceLessThanEquals', conditions: [check({ ImportantFormKey: '*', WordBlockConfidenceLessThanEquals: 62.4 })], activated: true, keys: ['Pay Date:'] },
    { name: 'WordBlockConfidenceEquals', conditions: [check({ ImportantFormKey: '*', WordBlockConfidenceEquals: 88 })], activated: true, keys: ['Signature Date:'] },
    { name: 'KeyValueBlock and WordBlock comparators are AND-ed', conditions: [check({ ImportantFormKey: '*', KeyValueBlockConfidenceLessThan: 90, WordBlockConfidenceGreaterThan: 87 })], activated: true, keys: ['Signature Date:'] },
    { name: 'a missing key', conditions: [missing({ ImportantFormKey: 'Employer ID', ImportantFormKeyAliases: ['EIN'] })], activated: true, keys: [] },
    { name: 'a key found through an alias is not missing', conditions: [missing({ ImportantFormKey: 'Employee Name', ImportantFormKeyAliases: ['Name', 'Employee Name:'] })], activated: false, keys: [] },
    { name: 'a key on page 2 is found', conditions: [missing({ ImportantFormKey: 'Signature Date:' })], activated: false, keys: [] },
    { name: 'Sampling 100 selects every block', conditions: [sampling(100)], activated: true, keys: ['Employee Name:', 'Pay Date:', 'Mailing Address:', 'Social Security Number:', 'Signature Date:'] },
    { name: 'And(Sampling 100, check) samples among the matches only', conditions: [{ And: [sampling(100), check({ ImportantFormKey: '*', KeyValueBlockConfidenceLessThan: 90 })] }], activated: true, keys: ['Pay Date:', 'Mailing Address:', 'Signature Date:'] },
    { name: 'And is false when one member is false', conditions: [{ And: [check({ ImportantFormKey: '*', KeyValueBlockConfidenceLessThan: 60 }), missing({ ImportantFormKey: 'Pay Date:' })] }], activated: false, keys: [] },
    { name: 'And of checks on two keys selects both', conditions: [{ And: [check({ ImportantFormKey: 'Pay Date:', KeyValueBlockConfidenceLessThan: 60 }), check({ ImportantFormKey: 'Signature Date:', KeyValueBlockConfidenceLessThan: 90 })] }], activated: true, keys: ['Pay Date:', 'Signature Date:'] },
    { name: 'And of two ranges on one key selects where both hold', conditions: [{ And: [check({ ImportantFormKey: '*', KeyValueBlockConfidenceLessThan: 93 }), check({ ImportantFormKey: '*', KeyValueBlockConfidenceGreaterThan: 86 })] }], activated: true, keys: ['Mailing Address:', 'Social Security Number:'] },
    { name: 'Or selects the true members', conditions: [{ Or: [check({ ImportantFormKey: 'Pay Date:', KeyValueBlockConfidenceLessThan: 60 }), missing({ ImportantFormKey: 'Pay Date:' })] }], activated: true, keys: ['Pay Date:'] },
    { name: 'two levels: Or of Ands', conditions: [{ Or: [{ And: [sampling(100), check({ ImportantFormKey: 'Employee Name:' })] }, { And: [missing({ ImportantFormKey: 'Employer ID' }), check({ ImportantFormKey: 'Pay Date:', WordBlockConfidenceLessThan: 63 })] }] }], activated: true, keys: ['Employee Name:', 'Pay Date:'] },
    { name: 'top-level conditions are OR-ed and all of them evaluated', conditions: [check({ ImportantFormKey: 'Pay Date:', KeyValueBlockConfidenceLessThan: 60 }), check({ ImportantFormKey: 'Signature Date:', KeyValueBlockConfidenceLessThan: 90 }), missing({ ImportantFormKey: 'Employee Name:' })], activated: true, keys: ['Pay Date:', 'Signature Date:'] },
    { name: 'an empty Conditions array starts nothing', conditions: [], activated: false, keys: [] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(checkActivationConditions(JSON.stringify({ Conditions: c.conditions }), TEXTRACT_FORMS_SOURCE).length, 0, 'the case itself is valid');
      const { activated, keys } = textractSelection(c.conditions);
      assert.equal(activated, c.activated);
      assert.deepEqual(keys, c.keys);
    });
  }

  test('a selected pair brings its KEY, VALUE and WORD blocks, in the response order', () => {
    const { outcome } = textractSelection([check({ ImportantFormKey: 'Pay Date:', KeyValueBlockConfidenceLessThan: 60 })]);
    assert.deepEqual(outcome.selectedBlocks.map((b) => b.BlockType), ['WORD', 'WORD', 'WORD', 'KEY_VALUE_SET', 'KEY_VALUE_SET']);
    assert.deepEqual(outcome.selectedBlocks.filter((b) => b.BlockType === 'WORD').map((b) => b.Text), ['Pay', 'Date:', '11/30/2026']);
  });

  test('a response without blocks: checks are false, a missing key is true', () => {
    const none = evaluateTextractConditions({ Conditions: [check({ ImportantFormKey: '*' }), missing({ ImportantFormKey: 'Name' }), missing({ ImportantFormKey: '*' })] }, [], 'k');
    assert.deepEqual((none.results.Conditions as Array<{ EvaluationResult: boolean }>).map((n) => n.EvaluationResult), [false, true, true]);
    assert.equal(none.activated, true);
    assert.deepEqual(none.selectedBlocks, []);
  });

  test('every node carries EvaluationResult, keys in the order AWS writes them', () => {
    const conditions = [{ Or: [check({ ImportantFormKey: 'Pay Date:', KeyValueBlockConfidenceLessThan: 100 }), missing({ ImportantFormKey: 'Pay Date:' })] }];
    const { outcome } = textractSelection(conditions);
    assert.equal(
      JSON.stringify(outcome.results),
      JSON.stringify({
        Conditions: [{ EvaluationResult: true, Or: [
          { ConditionParameters: { ImportantFormKey: 'Pay Date:', KeyValueBlockConfidenceLessThan: 100 }, ConditionType: 'ImportantFormKeyConfidenceCheck', EvaluationResult: true },
          { ConditionParameters: { ImportantFormKey: 'Pay Date:' }, ConditionType: 'MissingImportantFormKey', EvaluationResult: false },
        ] }],
      }),
    );
  });

  test('a bare condition without the Conditions wrapper (AWS Example 4) is one condition', () => {
    const outcome = evaluateTextractConditions(check({ ImportantFormKey: '*', KeyValueBlockConfidenceLessThan: 60 }), blocks, 'k');
    assert.equal(outcome.activated, true);
    assert.equal(outcome.results.Conditions.length, 1);
  });
});

describe('Rekognition conditions (AWS/Rekognition/DetectModerationLabels/Image/V3)', () => {
  const labels = MODERATION_RESPONSE.ModerationLabels;
  const cases: Array<{ name: string; conditions: unknown[]; activated: boolean; names: string[] }> = [
    { name: 'an exact label name', conditions: [label({ ModerationLabelName: 'Suggestive', ConfidenceGreaterThan: 90 })], activated: true, names: ['Suggestive'] },
    { name: 'label names are case-sensitive', conditions: [label({ ModerationLabelName: 'suggestive', ConfidenceGreaterThan: 90 })], activated: false, names: [] },
    { name: 'a child label by its own name', conditions: [label({ ModerationLabelName: 'Drinking', ConfidenceLessThan: 70 })], activated: true, names: ['Drinking'] },
    { name: 'wildcard, GreaterThanEquals 75 (AWS Example 5)', conditions: [label({ ModerationLabelName: '*', ConfidenceGreaterThanEquals: 75 })], activated: true, names: ['Suggestive', 'Female Swimwear Or Underwear', 'Revealing Clothes'] },
    { name: 'Equals', conditions: [label({ ModerationLabelName: '*', ConfidenceEquals: 81.25 })], activated: true, names: ['Revealing Clothes'] },
    { name: 'LessThan at the threshold is false', conditions: [label({ ModerationLabelName: 'Alcohol', ConfidenceLessThan: 62.5 })], activated: false, names: [] },
    { name: 'LessThanEquals at the threshold is true', conditions: [label({ ModerationLabelName: 'Alcohol', ConfidenceLessThanEquals: 62.5 })], activated: true, names: ['Alcohol'] },
    { name: 'GreaterThan at the threshold is false', conditions: [label({ ModerationLabelName: 'Revealing Clothes', ConfidenceGreaterThan: 81.25 })], activated: false, names: [] },
    { name: 'an absent label', conditions: [label({ ModerationLabelName: 'Violence' })], activated: false, names: [] },
    { name: 'a range in one condition', conditions: [label({ ModerationLabelName: '*', ConfidenceGreaterThanEquals: 60, ConfidenceLessThanEquals: 90 })], activated: true, names: ['Revealing Clothes', 'Alcohol', 'Drinking'] },
    { name: 'AWS Example 4: Or of And ranges', conditions: [{ Or: [
      { And: [label({ ModerationLabelName: 'Suggestive', ConfidenceLessThanEquals: 99 }), label({ ModerationLabelName: 'Suggestive', ConfidenceGreaterThanEquals: 90 })] },
      { And: [label({ ModerationLabelName: 'Alcohol', ConfidenceLessThanEquals: 60 }), label({ ModerationLabelName: 'Alcohol', ConfidenceGreaterThanEquals: 20 })] },
    ] }], activated: true, names: ['Suggestive'] },
    { name: 'Sampling 100 selects every label', conditions: [sampling(100)], activated: true, names: labels.map((l) => l.Name) },
    { name: 'And(Sampling 100, check)', conditions: [{ And: [sampling(100), label({ ModerationLabelName: '*', ConfidenceLessThan: 70 })] }], activated: true, names: ['Alcohol', 'Drinking'] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(checkActivationConditions(JSON.stringify({ Conditions: c.conditions }), MODERATION_SOURCE).length, 0, 'the case itself is valid');
      const outcome = evaluateModerationConditions({ Conditions: c.conditions }, labels, 'img-1');
      assert.equal(outcome.activated, c.activated);
      assert.deepEqual(outcome.selectedLabels.map((l) => l.Name), c.names);
    });
  }

  test('no labels at all: a check is false', () => {
    const outcome = evaluateModerationConditions({ Conditions: [label({ ModerationLabelName: '*' })] }, [], 'img');
    assert.equal(outcome.activated, false);
  });
});

describe('Sampling', () => {
  const decide = (percentage: number, key: string) =>
    evaluateConditionTree({ Conditions: [sampling(percentage)] }, { samplingKey: key, leaf: () => ({ result: false, matches: new Set() }) }).activated;

  test('the same input gets the same decision, every time', () => {
    for (let i = 0; i < 200; i++) {
      const first = decide(50, `input-${i}`);
      for (let again = 0; again < 3; again++) assert.equal(decide(50, `input-${i}`), first);
    }
  });

  test('10% samples 10% ± 1.5% of 10,000 distinct inputs', () => {
    let sampled = 0;
    for (let i = 0; i < 10_000; i++) if (decide(10, `document-${i}.pdf`)) sampled++;
    assert.ok(sampled >= 850 && sampled <= 1150, `sampled ${sampled} of 10,000`);
  });

  test('at the bounds: 100% samples every input, 0.01% almost none', () => {
    let all = 0;
    let few = 0;
    for (let i = 0; i < 10_000; i++) {
      if (decide(100, `x${i}`)) all++;
      if (decide(0.01, `x${i}`)) few++;
    }
    assert.equal(all, 10_000);
    assert.ok(few <= 6, `0.01% sampled ${few} of 10,000`);
  });

  test('two Sampling conditions in one document decide independently', () => {
    let differ = 0;
    for (let i = 0; i < 1_000; i++) if ((samplingPoint(`k${i}`, 'Conditions[0]') < 50) !== (samplingPoint(`k${i}`, 'Conditions[1]') < 50)) differ++;
    assert.ok(differ > 400 && differ < 600, `${differ}`);
  });
});

describe('invalid conditions are refused, naming the JSON path', () => {
  const cases: Array<{ name: string; document: unknown; source: string; problem: RegExp }> = [
    { name: 'a confidence above 100', document: { Conditions: [check({ ImportantFormKey: '*', KeyValueBlockConfidenceLessThan: 101 })] }, source: TEXTRACT_FORMS_SOURCE, problem: /Conditions\[0\]\.ConditionParameters\.KeyValueBlockConfidenceLessThan must be a number between 0 and 100/ },
    { name: 'a confidence that is a string', document: { Conditions: [{ Or: [label({ ModerationLabelName: '*' }), label({ ModerationLabelName: '*', ConfidenceLessThan: '50' })] }] }, source: MODERATION_SOURCE, problem: /Conditions\[0\]\.Or\[1\]\.ConditionParameters\.ConfidenceLessThan must be a number/ },
    { name: 'an unknown parameter', document: { Conditions: [label({ ModerationLabelName: '*', ConfidenceLowerThan: 5 })] }, source: MODERATION_SOURCE, problem: /Conditions\[0\]\.ConditionParameters\.ConfidenceLowerThan is not a parameter of ModerationLabelConfidenceCheck/ },
    { name: 'aliases that are not strings', document: { Conditions: [missing({ ImportantFormKey: 'A', ImportantFormKeyAliases: [1] })] }, source: TEXTRACT_FORMS_SOURCE, problem: /Conditions\[0\]\.ConditionParameters\.ImportantFormKeyAliases must be an array of strings/ },
    { name: 'a condition of the other service', document: { Conditions: [label({ ModerationLabelName: '*' })] }, source: TEXTRACT_FORMS_SOURCE, problem: /Conditions\[0\]: ConditionType 'ModerationLabelConfidenceCheck' is not supported/ },
    { name: 'three levels of nesting', document: { Conditions: [{ And: [sampling(5), { Or: [sampling(5), { And: [sampling(5), sampling(6)] }] }] }] }, source: TEXTRACT_FORMS_SOURCE, problem: /Conditions\[0\]\.And\[1\]\.Or\[1\]: at most 2 levels/ },
    { name: 'an And with one member', document: { Conditions: [{ And: [sampling(5)] }] }, source: TEXTRACT_FORMS_SOURCE, problem: /Conditions\[0\]\.And must be an array of at least 2/ },
    { name: 'sampling below 0.01', document: { Conditions: [sampling(0.001)] }, source: MODERATION_SOURCE, problem: /Conditions\[0\]: Sampling needs RandomSamplingPercentage between 0.01 and 100/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const problems = checkActivationConditions(JSON.stringify(c.document), c.source as typeof TEXTRACT_FORMS_SOURCE);
      assert.ok(problems.some((p) => c.problem.test(p)), problems.join('\n'));
    });
  }
});
