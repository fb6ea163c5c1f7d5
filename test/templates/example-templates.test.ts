/**
 * Every example template Tandem ships renders with its sample input and uses only crowd elements,
 * filters and tags Tandem has (what CreateHumanTaskUi would check).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EXAMPLE_TEMPLATES } from '../../src/templates/example-templates.js';
import { renderWorkerTemplate } from '../../src/templates/render-worker-template.js';
import { findTemplateProblems } from '../../src/templates/template-check.js';

describe('shipped example templates', () => {
  test('ids are unique', () => {
    const ids = EXAMPLE_TEMPLATES.map((e) => e.id);
    assert.deepEqual([...new Set(ids)], ids);
  });

  for (const example of EXAMPLE_TEMPLATES) {
    test(`${example.id}: no unknown element, filter or tag, and it renders its sample input`, async () => {
      assert.deepEqual(findTemplateProblems(example.template), []);
      const result = await renderWorkerTemplate(example.template, example.sampleInput, { grantReadAccess: (uri) => uri });
      assert.deepEqual(result.errors, []);
      assert.match(result.renderedContent, /<crowd-/);
    });
  }
});
