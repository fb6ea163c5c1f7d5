import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { DescribeHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { claimNextTask, submitAnswer } from '../../src/operations/reviews.js';
import { LocalObjectStore } from '../../src/objects/local-object-store.js';
import { splitS3Uri } from '../../src/domain/s3-locations.js';
import { MODERATION_RESPONSE, TINY_PNG, TWO_PAGE_FORM } from '../support/ai-service-fixtures.js';
import { addReviewer, createBuiltInFlow, REKOGNITION_SOURCE, signedPost, TEXTRACT_SOURCE } from '../support/built-in-flows.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { useTestTandem, type TestTandem } from '../support/tandem.js';

const PAY_DATE_CHECK = {
  Conditions: [
    {
      Or: [
        { ConditionType: 'ImportantFormKeyConfidenceCheck', ConditionParameters: { ImportantFormKey: 'Pay Date', ImportantFormKeyAliases: ['Pay Date:'], KeyValueBlockConfidenceLessThan: 65, WordBlockConfidenceLessThan: 85 } },
        { ConditionType: 'MissingImportantFormKey', ConditionParameters: { ImportantFormKey: 'Employee Name:' } },
      ],
    },
  ],
};
const LABEL_CHECK = {
  Conditions: [{ ConditionType: 'ModerationLabelConfidenceCheck', ConditionParameters: { ModerationLabelName: '*', ConfidenceLessThan: 90 } }],
};
/** The parts of a built-in loop's output.json these tests read. */
interface BuiltInOutput {
  awsManagedHumanLoopRequestSource: string;
  humanAnswers: Array<{ answerContent: unknown }>;
  inputContent: {
    aiServiceRequest: unknown;
    aiServiceResponse: { blocks: Array<Record<string, unknown> & { geometry: { boundingBox: object } }>; documentMetadata: unknown };
    selectedAiServiceResponse: { blocks: Array<Record<string, unknown>> };
    humanTaskActivationConditionResults: { Conditions: Array<{ Or: Array<{ ConditionType: string; EvaluationResult: boolean }> }> };
  };
}
interface ModerationInput {
  aiServiceRequest: { image: { s3Object: { bucket: string; name: string } } };
  selectedAiServiceResponse: unknown;
}
const S3_DOCUMENT = { S3Object: { Bucket: 'payroll-forms', Name: 'w2/jane-doe.png' } };

for (const dialect of DIALECTS) {
  describe(`intake: bring your own AI service response (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    let textract: Awaited<ReturnType<typeof createBuiltInFlow>>;
    let rekognition: Awaited<ReturnType<typeof createBuiltInFlow>>;
    useTestTandem(dialect, async (started) => {
      tandem = started;
      textract = await createBuiltInFlow(tandem, 'forms', TEXTRACT_SOURCE, PAY_DATE_CHECK);
      rekognition = await createBuiltInFlow(tandem, 'moderation', REKOGNITION_SOURCE, LABEL_CHECK);
    });

    const analyze = (name: string, extra: Record<string, unknown> = {}) => ({
      Document: S3_DOCUMENT,
      FeatureTypes: ['FORMS'],
      HumanLoopConfig: { HumanLoopName: name, FlowDefinitionArn: textract.FlowDefinitionArn, DataAttributes: { ContentClassifiers: ['FreeOfPersonallyIdentifiableInformation'] } },
      ...TWO_PAGE_FORM,
      ...extra,
    });

    test('a low-confidence key starts a loop; the answer carries AWS\'s HumanLoopActivationOutput', async () => {
      const response = await signedPost(tandem, '/intake/analyze-document', analyze('w2-low-pay-date'));
      assert.equal(response.status, 200, JSON.stringify(response.json));
      const output = response.json.HumanLoopActivationOutput as Record<string, unknown>;
      assert.equal(output.HumanLoopArn, `arn:aws:sagemaker:us-east-1:${tandem.accountId}:human-loop/w2-low-pay-date`);
      assert.deepEqual(output.HumanLoopActivationReasons, ['ConditionsEvaluation']);
      const results = JSON.parse(output.HumanLoopActivationConditionsEvaluationResults as string) as { Conditions: Array<{ EvaluationResult: boolean; Or: Array<{ EvaluationResult: boolean }> }> };
      assert.equal(results.Conditions[0]!.EvaluationResult, true);
      assert.deepEqual(results.Conditions[0]!.Or.map((n) => n.EvaluationResult), [true, false]);
      const loop = await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: 'w2-low-pay-date' }));
      assert.equal(loop.HumanLoopStatus, 'InProgress');
      assert.equal(loop.FlowDefinitionArn, textract.FlowDefinitionArn);
    });

    test('conditions that say no start nothing and say why', async () => {
      const confident = structuredClone(TWO_PAGE_FORM);
      for (const block of confident.Blocks) if (typeof block.Confidence === 'number') block.Confidence = 99;
      const response = await signedPost(tandem, '/intake/analyze-document', analyze('w2-confident', { Blocks: confident.Blocks }));
      assert.equal(response.status, 200);
      const output = response.json.HumanLoopActivationOutput as Record<string, unknown>;
      assert.equal(output.HumanLoopArn, undefined);
      assert.equal(output.HumanLoopActivationReasons, undefined);
      assert.match(output.HumanLoopActivationConditionsEvaluationResults as string, /"EvaluationResult":false/);
      await assert.rejects(tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: 'w2-confident' })), { name: 'ResourceNotFoundException' });
    });

    test('output.json of a built-in loop is in A2I\'s layout, with the selected response and condition results', async () => {
      const team = textract.WorkteamName;
      const reviewer = await addReviewer(tandem, 'forms-reviewer@example.com', team);
      await signedPost(tandem, '/intake/analyze-document', analyze('w2-output'));
      let task = await claimNextTask(tandem.resources, reviewer);
      while (task && task.humanLoopName !== 'w2-output') {
        await submitAnswer(tandem.resources, reviewer, task.taskId, { skipped: true });
        task = await claimNextTask(tandem.resources, reviewer);
      }
      assert.ok(task, 'the reviewer gets the loop');
      const input = task.input as Record<string, Record<string, unknown>>;
      assert.deepEqual(Object.keys(input), ['aiServiceRequest', 'aiServiceResponse', 'humanTaskActivationConditionResults', 'selectedAiServiceResponse', 'humanLoopContext']);
      // The template's loop context: the important form keys the conditions name (not written to output.json).
      assert.deepEqual(input.humanLoopContext, {
        importantFormKeys: [
          { importantFormKey: 'Pay Date', importantFormKeyAliases: ['Pay Date:'] },
          { importantFormKey: 'Employee Name:', importantFormKeyAliases: [] },
        ],
      });
      const answer = { [TEXTRACT_SOURCE]: { blocks: [] } };
      assert.deepEqual(await submitAnswer(tandem.resources, reviewer, task.taskId, answer), { loopCompleted: true });
      const loop = await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: 'w2-output' }));
      assert.equal(loop.HumanLoopStatus, 'Completed');
      const document = JSON.parse(await readFile(localPathFor(tandem.resources.config.outputDir, loop.HumanLoopOutput!.OutputS3Uri!), 'utf8')) as BuiltInOutput;
      assert.equal(document.awsManagedHumanLoopRequestSource, TEXTRACT_SOURCE);
      assert.deepEqual(document.humanAnswers[0]?.answerContent, answer);
      const content = document.inputContent;
      assert.deepEqual(Object.keys(content), ['aiServiceRequest', 'aiServiceResponse', 'humanTaskActivationConditionResults', 'selectedAiServiceResponse']);
      assert.deepEqual(content.aiServiceRequest, {
        document: { s3Object: { bucket: 'payroll-forms', name: 'w2/jane-doe.png' } },
        featureTypes: ['FORMS'],
        humanLoopConfig: { humanLoopName: 'w2-output', flowDefinitionArn: textract.FlowDefinitionArn, dataAttributes: { contentClassifiers: ['FreeOfPersonallyIdentifiableInformation'] } },
      });
      assert.equal(content.aiServiceResponse.blocks.length, TWO_PAGE_FORM.Blocks.length);
      assert.deepEqual(content.aiServiceResponse.documentMetadata, { pages: 2 });
      const first = content.aiServiceResponse.blocks[0]!;
      assert.deepEqual(Object.keys(first), ['blockType', 'geometry', 'id', 'relationships', 'page']);
      assert.deepEqual(Object.keys(first.geometry.boundingBox), ['width', 'height', 'left', 'top']);
      const selected = content.selectedAiServiceResponse.blocks;
      assert.deepEqual(selected.filter((b) => b.blockType === 'WORD').map((b) => b.text), ['Pay', 'Date:', '11/30/2026']);
      const firstCondition = content.humanTaskActivationConditionResults.Conditions[0]!.Or[0]!;
      assert.equal(firstCondition.ConditionType, 'ImportantFormKeyConfidenceCheck');
      assert.equal(firstCondition.EvaluationResult, true);
    });

    test('uploaded bytes are kept where the reviewer can see them, named as an S3 object', async () => {
      const response = await signedPost(tandem, '/intake/detect-moderation-labels', {
        Image: { Bytes: TINY_PNG.toString('base64') },
        HumanLoopConfig: { HumanLoopName: 'beach-photo', FlowDefinitionArn: rekognition.FlowDefinitionArn },
        ...MODERATION_RESPONSE,
      });
      assert.equal(response.status, 200, JSON.stringify(response.json));
      const output = response.json.HumanLoopActivationOutput as Record<string, unknown>;
      assert.ok(output.HumanLoopArn);
      const row = await tandem.resources.store.db.selectFrom('human_loops').select('input_content').where('name', '=', 'beach-photo').executeTakeFirstOrThrow();
      const input = JSON.parse(row.input_content) as ModerationInput;
      const object = input.aiServiceRequest.image.s3Object;
      // Each account's documents sit in its own bucket, which belongs to that account alone.
      assert.equal(object.bucket, `tandem-review-documents-${tandem.accountId}`);
      assert.match(object.name, /^[0-9a-f]{64}\.png$/);
      assert.deepEqual(await readFile(localPathFor(tandem.resources.config.outputDir, `s3://${object.bucket}/${object.name}`)), TINY_PNG);
      assert.deepEqual(input.selectedAiServiceResponse, {
        moderationModelVersion: '7.0',
        moderationLabels: [
          { confidence: 81.25, name: 'Revealing Clothes', parentName: 'Suggestive', taxonomyLevel: 2 },
          { confidence: 62.5, name: 'Alcohol', parentName: '', taxonomyLevel: 1 },
          { confidence: 62.5, name: 'Drinking', parentName: 'Alcohol', taxonomyLevel: 2 },
        ],
      });
    });

    test('bad input gets an AWS-shaped error and starts nothing', async () => {
      const cases: Array<{ path: string; body: unknown; status: number; type: string; message: RegExp }> = [
        { path: '/intake/analyze-document', body: analyze('bad-1', { Blocks: undefined }), status: 400, type: 'ValidationException', message: /blocks/ },
        { path: '/intake/analyze-document', body: analyze('bad-2', { Blocks: [{ Id: 'x' }] }), status: 400, type: 'InvalidParameterException', message: /Blocks array/ },
        { path: '/intake/detect-moderation-labels', body: { Image: S3_DOCUMENT, HumanLoopConfig: { HumanLoopName: 'bad-3', FlowDefinitionArn: textract.FlowDefinitionArn }, ...MODERATION_RESPONSE }, status: 400, type: 'InvalidParameterException', message: /is for AWS\/Textract.*needs one for AWS\/Rekognition/ },
        { path: '/intake/analyze-document', body: analyze('bad-4', { HumanLoopConfig: { HumanLoopName: 'bad-4', FlowDefinitionArn: textract.FlowDefinitionArn.replace('forms-flow', 'nope') } }), status: 404, type: 'ResourceNotFoundException', message: /does not exist/ },
        { path: '/intake/analyze-document', body: analyze('bad-5', { Document: { Bytes: 'not base64!' } }), status: 400, type: 'InvalidParameterException', message: /not base64/ },
        { path: '/intake/analyze-document', body: analyze('bad-6', { Document: { Bytes: Buffer.alloc(10 * 1024 * 1024 + 1).toString('base64') } }), status: 400, type: 'DocumentTooLargeException', message: /at most 10485760/ },
        { path: '/intake/detect-moderation-labels', body: { Image: { Bytes: Buffer.alloc(5 * 1024 * 1024 + 1).toString('base64') }, HumanLoopConfig: { HumanLoopName: 'bad-7', FlowDefinitionArn: rekognition.FlowDefinitionArn }, ...MODERATION_RESPONSE }, status: 400, type: 'ImageTooLargeException', message: /at most 5242880/ },
        { path: '/intake/analyze-document', body: analyze('bad-8', { Document: { S3Object: S3_DOCUMENT.S3Object, Bytes: 'AAAA' } }), status: 400, type: 'ValidationException', message: /Exactly one of \[bytes, s3Object\]/ },
        { path: '/intake/analyze-document', body: '{"Document":', status: 400, type: 'SerializationException', message: /./ },
      ];
      for (const c of cases) {
        const response = await signedPost(tandem, c.path, c.body);
        assert.equal(response.status, c.status, `${c.path} ${JSON.stringify(response.json)}`);
        assert.equal(response.headers.get('x-amzn-errortype'), c.type, JSON.stringify(response.json));
        assert.match(String(response.json.message), c.message);
      }
      for (let i = 1; i <= 8; i++) {
        await assert.rejects(tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: `bad-${i}` })), { name: 'ResourceNotFoundException' });
      }
    });

    test('another account cannot use this account\'s flow definition, nor go unsigned', async () => {
      const other = await tandem.createAccount('444455556666');
      const response = await signedPost(tandem, '/intake/analyze-document', analyze('stolen'), { credentials: other });
      assert.equal(response.status, 404);
      assert.equal(response.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
      const unsigned = await fetch(new URL('/intake/analyze-document', tandem.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(analyze('unsigned')) });
      assert.equal(unsigned.status, 403);
      await assert.rejects(tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: 'stolen' })), { name: 'ResourceNotFoundException' });
    });

    test('the same request twice gets the same loop back', async () => {
      const first = await signedPost(tandem, '/intake/analyze-document', analyze('w2-twice'));
      const second = await signedPost(tandem, '/intake/analyze-document', analyze('w2-twice'));
      assert.equal(second.status, 200);
      assert.deepEqual(second.json, first.json);
    });
  });
}

function localPathFor(outputDir: string, uri: string): string {
  const location = splitS3Uri(uri);
  assert.ok(location, `${uri} is an s3:// URI`);
  return new LocalObjectStore(outputDir).pathOf(location.bucket, location.key);
}
