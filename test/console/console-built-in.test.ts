/**
 * The loop detail page of a built-in review shows the document with its key-value pairs
 * (confidences, which ones the activation conditions selected, their boxes over the page), or the
 * image with its moderation labels, not only the raw input JSON.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildArn } from '../../src/domain/arns.js';
import { startBuiltInReview } from '../../src/operations/built-in-review.js';
import { createFlowDefinition } from '../../src/operations/flow-definitions.js';
import { createHumanTaskUi } from '../../src/operations/human-task-uis.js';
import { localDocumentStore } from '../../src/output/document-store.js';
import { MODERATION_RESPONSE, TINY_PNG, TWO_PAGE_FORM } from '../support/ai-service-fixtures.js';
import { REKOGNITION_SOURCE, TEXTRACT_SOURCE } from '../support/built-in-flows.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { openConsoleHarness, type ConsoleHarness, type ConsoleSignIn } from './console-harness.js';

const PAY_DATE_CHECK = {
  Conditions: [{ ConditionType: 'ImportantFormKeyConfidenceCheck', ConditionParameters: { ImportantFormKey: 'Pay Date:', KeyValueBlockConfidenceLessThan: 65 } }],
};
const LABEL_CHECK = {
  Conditions: [{ ConditionType: 'ModerationLabelConfidenceCheck', ConditionParameters: { ModerationLabelName: '*', ConfidenceLessThan: 90 } }],
};

/** The rows of the table with this caption, as cell texts (tags stripped). */
function tableRows(html: string, caption: string): string[][] {
  const start = html.indexOf(`<caption>${caption}</caption>`);
  assert.ok(start >= 0, `a table captioned ${caption}`);
  const body = html.slice(start, html.indexOf('</table>', start));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)]
    .map((row) => [...row[1]!.matchAll(/<td>(.*?)<\/td>/gs)].map((cell) => cell[1]!.replace(/<[^>]+>/g, '')))
    .filter((cells) => cells.length > 0);
}

for (const dialect of DIALECTS) {
  describe(`console: built-in review loops (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let h: ConsoleHarness;
    let admin: ConsoleSignIn;
    const documents = () => localDocumentStore(h.resources.config.outputDir);

    async function builtInFlow(name: string, source: string, conditions: unknown): Promise<string> {
      const caller = h.resources.caller;
      await createHumanTaskUi(h.resources, caller, { HumanTaskUiName: `${name}-ui`, UiTemplate: { Content: '<crowd-form><crowd-input name="note"></crowd-input></crowd-form>' } });
      const { FlowDefinitionArn } = await createFlowDefinition(h.resources, caller, {
        FlowDefinitionName: name,
        RoleArn: 'arn:aws:iam::111122223333:role/r',
        OutputConfig: { S3OutputPath: 's3://bucket/out' },
        HumanLoopRequestSource: { AwsManagedHumanLoopRequestSource: source },
        HumanLoopActivationConfig: { HumanLoopActivationConditionsConfig: { HumanLoopActivationConditions: JSON.stringify(conditions) } },
        HumanLoopConfig: {
          WorkteamArn: buildArn('workteam', caller, h.team),
          HumanTaskUiArn: buildArn('human-task-ui', caller, `${name}-ui`),
          TaskTitle: 'Check it',
          TaskDescription: 'Check the low-confidence fields',
          TaskCount: 1,
        },
      });
      return FlowDefinitionArn;
    }

    before(async () => {
      h = await openConsoleHarness(dialect);
      await h.addAdmin('root@example.com', 'admin');
      admin = await h.consoleSignIn('root@example.com');
    });
    after(() => h?.close());

    test('a Textract review: key-value pairs with confidences, the selected one marked, boxes over the page image', async () => {
      const FlowDefinitionArn = await builtInFlow('forms', TEXTRACT_SOURCE, PAY_DATE_CHECK);
      await startBuiltInReview(
        h.resources,
        h.resources.caller,
        {
          source: TEXTRACT_SOURCE,
          request: { Document: { Bytes: TINY_PNG.toString('base64') }, FeatureTypes: ['FORMS'], HumanLoopConfig: { HumanLoopName: 'w2-jane', FlowDefinitionArn } },
          response: { ...TWO_PAGE_FORM },
        },
        documents(),
      );
      const page = await h.get('/console/loops/w2-jane', admin);
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /<h2 id="builtin-h">Document review \(2 pages\)<\/h2>/);
      const rows = tableRows(page.body, 'Key-value pairs');
      assert.deepEqual(
        rows.map((r) => [r[0], r[1], r[2], r[3], r[5]]),
        [
          ['1', 'Employee Name:', 'Jane Q. Doe', '96.5 %', 'no'],
          ['1', 'Pay Date:', '11/30/2026', '58.2 %', 'yes'],
          ['1', 'Mailing Address:', '12 Elm Street, Springfield', '88.9 %', 'no'],
          ['2', 'Social Security Number:', 'XXX-XX-1234', '92.1 %', 'no'],
          ['2', 'Signature Date:', '11/30/2026', '85.0 %', 'no'],
        ],
      );
      assert.equal(rows[1]![4], '60.3 %', 'the lowest word confidence of the pay date');
      // Page 1's three pairs are outlined, the selected one apart; page 2's are not drawn on page 1.
      assert.equal([...page.body.matchAll(/<rect class="kv"/g)].length, 2);
      assert.equal([...page.body.matchAll(/<rect class="kv kv-selected"/g)].length, 1);
      assert.match(page.body, /<rect class="kv kv-selected" x="0\.08" y="0\.18"/);
      // The page image is a short-lived link to the account's own copy of the uploaded bytes.
      const src = /<img src="([^"]+)" alt="Page 1 of the reviewed document">/.exec(page.body)?.[1]?.replaceAll('&#38;', '&');
      assert.ok(src, 'the page image is shown');
      const link = new URL(src, h.resources.config.publicUrl);
      assert.match(link.pathname, new RegExp(`^/objects/${h.resources.caller.accountId}/tandem-review-documents-${h.resources.caller.accountId}/[0-9a-f]{64}\\.png$`));
      const image = await h.app.inject({ method: 'GET', url: link.pathname + link.search });
      assert.equal(image.statusCode, 200);
      assert.deepEqual(image.rawPayload, TINY_PNG);
    });

    test('a Rekognition review: the image and its labels, those under the threshold marked', async () => {
      const FlowDefinitionArn = await builtInFlow('moderation', REKOGNITION_SOURCE, LABEL_CHECK);
      await startBuiltInReview(
        h.resources,
        h.resources.caller,
        {
          source: REKOGNITION_SOURCE,
          request: { Image: { Bytes: TINY_PNG.toString('base64') }, HumanLoopConfig: { HumanLoopName: 'beach', FlowDefinitionArn } },
          response: { ...MODERATION_RESPONSE },
        },
        documents(),
      );
      const page = await h.get('/console/loops/beach', admin);
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /<img src="[^"]*\/objects\/[^"]+" alt="The reviewed image">/);
      assert.deepEqual(
        tableRows(page.body, 'Moderation labels').map((r) => [r[0], r[2], r[3]]),
        [
          ['Suggestive', '96.7 %', 'no'],
          ['Female Swimwear Or Underwear', '96.7 %', 'no'],
          ['Revealing Clothes', '81.3 %', 'yes'],
          ['Alcohol', '62.5 %', 'yes'],
          ['Drinking', '62.5 %', 'yes'],
        ],
      );
    });

    test('a custom loop shows no built-in section', async () => {
      await h.createFlow('plain');
      await h.startLoop('plain', 'plain-1');
      const page = await h.get('/console/loops/plain-1', admin);
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /builtin-h/);
    });
  });
}
