import assert from 'node:assert/strict';
import { test } from 'node:test';
import { humanLoopContextFor, templateTaskInput } from '../../src/domain/built-in-input.js';

const TEXTRACT = 'AWS/Textract/AnalyzeDocument/Forms/V1';
const check = (key: string, aliases?: string[]) => ({
  ConditionType: 'ImportantFormKeyConfidenceCheck',
  ConditionParameters: { ImportantFormKey: key, ...(aliases ? { ImportantFormKeyAliases: aliases } : {}), KeyValueBlockConfidenceLessThan: 60 },
});

test('humanLoopContext.importantFormKeys: every named key once, aliases merged, nested And/Or included, "*" left out', () => {
  const conditions = {
    Conditions: [
      check('Pay Date', ['PayDate']),
      { Or: [{ And: [{ ConditionType: 'Sampling', ConditionParameters: { RandomSamplingPercentage: 5 } }, check('*')] }, check('Employee Name')] },
      { ConditionType: 'MissingImportantFormKey', ConditionParameters: { ImportantFormKey: 'Pay Date', ImportantFormKeyAliases: ['pay-date', 'PayDate'] } },
    ],
  };
  assert.deepEqual(humanLoopContextFor(TEXTRACT, conditions), {
    importantFormKeys: [
      { importantFormKey: 'Pay Date', importantFormKeyAliases: ['PayDate', 'pay-date'] },
      { importantFormKey: 'Employee Name', importantFormKeyAliases: [] },
    ],
  });
  // A bare condition (no Conditions wrapper) and no conditions at all.
  assert.deepEqual(humanLoopContextFor(TEXTRACT, check('Total')), { importantFormKeys: [{ importantFormKey: 'Total', importantFormKeyAliases: [] }] });
  assert.deepEqual(humanLoopContextFor(TEXTRACT, undefined), { importantFormKeys: [] });
  assert.equal(humanLoopContextFor('AWS/Rekognition/DetectModerationLabels/Image/V3', conditions), undefined);
});

test('templateTaskInput adds humanLoopContext to a built-in loop\'s input and leaves custom input alone', () => {
  const input = JSON.stringify({ aiServiceRequest: { featureTypes: ['FORMS'] } });
  assert.deepEqual(templateTaskInput(input, JSON.stringify({ importantFormKeys: [] })), {
    aiServiceRequest: { featureTypes: ['FORMS'] },
    humanLoopContext: { importantFormKeys: [] },
  });
  assert.deepEqual(templateTaskInput(input, null), { aiServiceRequest: { featureTypes: ['FORMS'] } });
  assert.deepEqual(templateTaskInput('[1,2]', '{}'), [1, 2]);
});
