/**
 * End to end, in Debian Chromium, for the two built-in task types: a Textract (or Rekognition)
 * SDK client pointed at Tandem starts a loop through proxy mode, a reviewer signs in at /portal
 * and works in the shipped human task UI (crowd-textract-analyze-document: corrects a value and
 * adds a missing pair; crowd-rekognition-detect-moderation-labels: confirms two labels), and the
 * loop's output.json holds A2I's answer shape under the built-in key.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { AnalyzeDocumentCommand, TextractClient } from '@aws-sdk/client-textract';
import { DetectModerationLabelsCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { DescribeHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import type { Browser } from 'playwright-core';
import { splitS3Uri } from '../../src/domain/s3-locations.js';
import { LocalObjectStore } from '../../src/objects/local-object-store.js';
import { REKOGNITION_MODERATION_TEMPLATE, TEXTRACT_FORMS_TEMPLATE } from '../../src/templates/example-templates.js';
import { ensureWebBundles } from '../portal/web-bundles.js';
import { TINY_PNG, TWO_PAGE_FORM } from '../support/ai-service-fixtures.js';
import { startFakeAiServices, useUpstreamCredentialsFromEnvironment, type FakeAiServices } from '../support/ai-service-upstream.js';
import { createBuiltInFlow, REKOGNITION_SOURCE, TEXTRACT_SOURCE } from '../support/built-in-flows.js';
import { browserDialect, dialectSkip } from '../support/databases.js';
import { launchChromium, skipReason } from '../support/environment.js';
import { startTestTandem, TEST_REGION, type TestTandem } from '../support/tandem.js';
import { addPasswordWorker, signInAs, taskFrame } from './portal-browser.js';

const PAY_DATE_CHECK = {
  Conditions: [
    { ConditionType: 'ImportantFormKeyConfidenceCheck', ConditionParameters: { ImportantFormKey: 'Pay Date:', KeyValueBlockConfidenceLessThan: 65 } },
    // Not on the form: the task offers it through humanLoopContext.importantFormKeys.
    { ConditionType: 'MissingImportantFormKey', ConditionParameters: { ImportantFormKey: 'Employer ID', ImportantFormKeyAliases: ['EIN'] } },
  ],
};
const LABEL_CHECK = {
  Conditions: [{ ConditionType: 'ModerationLabelConfidenceCheck', ConditionParameters: { ModerationLabelName: '*', ConfidenceLessThan: 90 } }],
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface AnswerBlock {
  blockType: string;
  entityTypes: string[];
  id: string;
  relationships: Array<{ type: string; ids: string[] }>;
  text: string;
}

useUpstreamCredentialsFromEnvironment();

// One dialect per browser file (see browserDialect); the store beneath is tested on both.
for (const dialect of [browserDialect('sqlite')]) {
  describe(`built-in review UIs in the browser (${dialect})`, { skip: skipReason('chromium') || dialectSkip(dialect) }, () => {
    let upstream: FakeAiServices;
    let tandem: TestTandem;
    let browser: Browser;
    let clients: { textract: TextractClient; rekognition: RekognitionClient };

    before(async () => {
      await ensureWebBundles();
      upstream = await startFakeAiServices();
      tandem = await startTestTandem(dialect, { textractEndpoint: upstream.url, rekognitionEndpoint: upstream.url });
      browser = await launchChromium();
      const common = { endpoint: tandem.url, region: TEST_REGION, credentials: tandem.credentials, maxAttempts: 1 };
      clients = { textract: new TextractClient(common), rekognition: new RekognitionClient(common) };
    });
    after(async () => {
      clients?.textract.destroy();
      clients?.rekognition.destroy();
      await browser?.close();
      await tandem?.stop();
      await upstream?.close();
    });

    test('Textract: the reviewer corrects a value and adds a missing pair; output.json has A2I\'s blocks', { timeout: 90_000 }, async () => {
      const { FlowDefinitionArn } = await createBuiltInFlow(tandem, 'forms', TEXTRACT_SOURCE, PAY_DATE_CHECK, { template: TEXTRACT_FORMS_TEMPLATE });
      const response = await clients.textract.send(
        new AnalyzeDocumentCommand({ Document: { Bytes: TINY_PNG }, FeatureTypes: ['FORMS'], HumanLoopConfig: { HumanLoopName: 'w2-browser', FlowDefinitionArn } }),
      );
      assert.ok(response.HumanLoopActivationOutput?.HumanLoopArn);
      await addPasswordWorker(tandem, 'forms-reviewer@example.com', ['forms-team']);
      const worker = await signInAs(browser, tandem, 'forms-reviewer@example.com');
      const task = taskFrame(worker.page);
      await task.getByRole('heading', { name: 'Review the key-value pairs in this document' }).waitFor();
      // The document Tandem kept is shown, with the pair's boxes drawn over it.
      await task.getByRole('img', { name: 'Document page 1' }).waitFor();
      assert.equal(await task.locator('.box').count(), 2);
      const key = task.getByRole('textbox', { name: 'Key Pay Date:' });
      assert.equal(await key.inputValue(), 'Pay Date:');
      assert.equal(await key.getAttribute('readonly'), '', 'no-key-edit keeps the machine\'s key');
      const value = task.getByRole('textbox', { name: 'Value of Pay Date:' });
      assert.equal(await value.inputValue(), '11/30/2026');
      await value.fill('11/30/2025');
      // The flow's important keys reach the template (keys="{{ task.input.humanLoopContext.importantFormKeys }}"):
      // the one the form lacks is offered, and Pay Date:, which was found, is not.
      assert.deepEqual(await task.locator('.missing strong').allInnerTexts(), ['Employer ID']);
      await task.getByRole('button', { name: 'Add "Employer ID"' }).click();
      assert.equal(await task.locator('.pair.added input[data-role=key]').inputValue(), 'Employer ID');
      await task.getByRole('textbox', { name: 'Value of Employer ID' }).fill('12-3456789');
      await task.getByRole('button', { name: 'Submit' }).click();
      await worker.page.getByRole('heading', { name: 'No task right now' }).waitFor();
      assert.deepEqual(worker.problems, []);
      await worker.close();

      const output = await outputOf(tandem, 'w2-browser');
      assert.equal(output.awsManagedHumanLoopRequestSource, TEXTRACT_SOURCE);
      const answer = output.humanAnswers[0]!.answerContent as Record<string, { blocks: AnswerBlock[] }>;
      assert.deepEqual(Object.keys(answer), [TEXTRACT_SOURCE]);
      const blocks = answer[TEXTRACT_SOURCE]!.blocks;
      const source = TWO_PAGE_FORM.Blocks;
      const payKey = source.find((b) => b.BlockType === 'KEY_VALUE_SET' && b.EntityTypes?.includes('KEY') && b.Relationships?.some((r) => r.Ids?.some((id) => source.find((w) => w.Id === id)?.Text === 'Pay')))!;
      const payValueId = payKey.Relationships!.find((r) => r.Type === 'VALUE')!.Ids![0]!;
      const payValue = source.find((b) => b.Id === payValueId)!;
      assert.deepEqual(blocks.slice(0, 2), [
        { blockType: 'KEY_VALUE_SET', entityTypes: ['KEY'], id: payKey.Id, relationships: [{ ids: payKey.Relationships!.find((r) => r.Type === 'CHILD')!.Ids, type: 'CHILD' }, { ids: [payValueId], type: 'VALUE' }], text: 'Pay Date:' },
        { blockType: 'KEY_VALUE_SET', entityTypes: ['VALUE'], id: payValueId, relationships: [{ ids: payValue.Relationships![0]!.Ids, type: 'CHILD' }], text: '11/30/2025' },
      ]);
      const [addedKey, addedValue] = blocks.slice(2);
      assert.equal(blocks.length, 4);
      assert.match(addedKey!.id, UUID);
      assert.match(addedValue!.id, UUID);
      assert.deepEqual({ ...addedKey, id: 'k' }, { blockType: 'KEY_VALUE_SET', entityTypes: ['KEY'], id: 'k', relationships: [{ ids: [addedValue!.id], type: 'VALUE' }], text: 'Employer ID' });
      assert.deepEqual({ ...addedValue, id: 'v' }, { blockType: 'KEY_VALUE_SET', entityTypes: ['VALUE'], id: 'v', relationships: [], text: '12-3456789' });
    });

    test('Rekognition: the reviewer confirms two of the candidate labels; output.json has A2I\'s moderationLabels', { timeout: 90_000 }, async () => {
      const { FlowDefinitionArn } = await createBuiltInFlow(tandem, 'moderation', REKOGNITION_SOURCE, LABEL_CHECK, { template: REKOGNITION_MODERATION_TEMPLATE });
      const response = await clients.rekognition.send(
        new DetectModerationLabelsCommand({ Image: { Bytes: TINY_PNG }, HumanLoopConfig: { HumanLoopName: 'beach-browser', FlowDefinitionArn } }),
      );
      assert.ok(response.HumanLoopActivationOutput?.HumanLoopArn);
      await addPasswordWorker(tandem, 'moderator@example.com', ['moderation-team']);
      const worker = await signInAs(browser, tandem, 'moderator@example.com');
      const task = taskFrame(worker.page);
      await task.getByRole('heading', { name: 'Select the labels that apply to this image' }).waitFor();
      await task.getByRole('img', { name: 'Select the labels that apply to this image' }).waitFor();
      // The labels the conditions selected (confidence under 90), each with its parent.
      assert.equal(await task.getByRole('checkbox').count(), 3);
      await task.getByRole('checkbox', { name: 'Alcohol', exact: true }).check();
      await task.getByRole('checkbox', { name: 'Drinking (Alcohol)' }).check();
      await task.getByRole('button', { name: 'Submit' }).click();
      await worker.page.getByRole('heading', { name: 'No task right now' }).waitFor();
      assert.deepEqual(worker.problems, []);
      await worker.close();

      const output = await outputOf(tandem, 'beach-browser');
      assert.equal(output.awsManagedHumanLoopRequestSource, REKOGNITION_SOURCE);
      assert.deepEqual(output.humanAnswers[0]!.answerContent, {
        [REKOGNITION_SOURCE]: { moderationLabels: [{ name: 'Alcohol', parentName: '' }, { name: 'Drinking', parentName: 'Alcohol' }] },
      });
    });
  });
}

interface OutputDocument {
  awsManagedHumanLoopRequestSource: string;
  humanAnswers: Array<{ answerContent: unknown }>;
}

async function outputOf(tandem: TestTandem, name: string): Promise<OutputDocument> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const loop = await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: name }));
    if (loop.HumanLoopStatus === 'Completed') {
      const location = splitS3Uri(loop.HumanLoopOutput!.OutputS3Uri!)!;
      const file = new LocalObjectStore(tandem.resources.config.outputDir).pathOf(location.bucket, location.key);
      return JSON.parse(await readFile(file, 'utf8')) as OutputDocument;
    }
    assert.ok(Date.now() < deadline, `${name} is ${loop.HumanLoopStatus}, not Completed`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
