/**
 * Proxy mode through the real SDK clients: `@aws-sdk/client-textract` and
 * `@aws-sdk/client-rekognition` with their endpoint set to Tandem and HumanLoopConfig given, as
 * existing code calls them. Tandem forwards to a local stand-in for the services
 * (test/support/ai-service-upstream.ts), which verifies that it got a correctly signed request
 * without HumanLoopConfig, and the client gets the service's response plus
 * HumanLoopActivationOutput. On SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { AnalyzeDocumentCommand, TextractClient, type AnalyzeDocumentCommandInput } from '@aws-sdk/client-textract';
import { DetectModerationLabelsCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { DescribeHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { LocalObjectStore } from '../../src/objects/local-object-store.js';
import { MODERATION_RESPONSE, TINY_PNG, TWO_PAGE_FORM } from '../support/ai-service-fixtures.js';
import { startFakeAiServices, UPSTREAM_CREDENTIALS, useUpstreamCredentialsFromEnvironment, type FakeAiServices } from '../support/ai-service-upstream.js';
import { createBuiltInFlow, REKOGNITION_SOURCE, signedPost, TEXTRACT_SOURCE } from '../support/built-in-flows.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { startTestTandem, TEST_REGION, type TestTandem } from '../support/tandem.js';

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
const TIMEOUT_MS = 1500;

interface StoredInput {
  aiServiceRequest: Record<string, unknown> & { image?: { s3Object: { bucket: string; name: string } } };
  aiServiceResponse: Record<string, unknown>;
  selectedAiServiceResponse: Record<string, unknown>;
  humanTaskActivationConditionResults: unknown;
}

useUpstreamCredentialsFromEnvironment();

for (const dialect of DIALECTS) {
  describe(`proxy mode: Textract and Rekognition SDK clients pointed at Tandem (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let upstream: FakeAiServices;
    let tandem: TestTandem;
    let textract: TextractClient;
    let rekognition: RekognitionClient;
    let formsFlow: string;
    let moderationFlow: string;

    before(async () => {
      upstream = await startFakeAiServices();
      tandem = await startTestTandem(dialect, {
        textractEndpoint: upstream.url,
        // A path prefix, as behind a gateway: Tandem posts to it as the SDK would.
        rekognitionEndpoint: `${upstream.url}/rekognition`,
        upstreamTimeoutMs: TIMEOUT_MS,
      });
      const common = { endpoint: tandem.url, region: TEST_REGION, credentials: tandem.credentials, maxAttempts: 1 };
      textract = new TextractClient(common);
      rekognition = new RekognitionClient(common);
      formsFlow = (await createBuiltInFlow(tandem, 'forms', TEXTRACT_SOURCE, PAY_DATE_CHECK)).FlowDefinitionArn;
      moderationFlow = (await createBuiltInFlow(tandem, 'moderation', REKOGNITION_SOURCE, LABEL_CHECK)).FlowDefinitionArn;
    });
    after(async () => {
      textract?.destroy();
      rekognition?.destroy();
      await tandem?.stop();
      await upstream?.close();
    });

    const analyze = (name: string | undefined, document = 'w2/jane-doe.png'): AnalyzeDocumentCommandInput => ({
      Document: { S3Object: { Bucket: 'payroll-forms', Name: document } },
      FeatureTypes: ['FORMS'],
      ...(name ? { HumanLoopConfig: { HumanLoopName: name, FlowDefinitionArn: formsFlow, DataAttributes: { ContentClassifiers: ['FreeOfPersonallyIdentifiableInformation'] } } } : {}),
    });
    const loopExists = async (name: string) =>
      tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: name })).then(
        () => true,
        (error: { name?: string }) => (error.name === 'ResourceNotFoundException' ? false : Promise.reject(error)),
      );

    test('AnalyzeDocument: the service\'s response plus HumanLoopActivationOutput; the loop is started', async () => {
      const before = upstream.calls.length;
      const response = await textract.send(new AnalyzeDocumentCommand(analyze('w2-proxied')));
      assert.equal(response.Blocks?.length, TWO_PAGE_FORM.Blocks.length);
      assert.deepEqual(response.DocumentMetadata, { Pages: 2 });
      assert.equal(response.AnalyzeDocumentModelVersion, '1.0');
      const activation = response.HumanLoopActivationOutput!;
      assert.equal(activation.HumanLoopArn, `arn:aws:sagemaker:us-east-1:${tandem.accountId}:human-loop/w2-proxied`);
      assert.deepEqual(activation.HumanLoopActivationReasons, ['ConditionsEvaluation']);
      const results = JSON.parse(String(activation.HumanLoopActivationConditionsEvaluationResults)) as { Conditions: Array<{ EvaluationResult: boolean; Or: Array<{ EvaluationResult: boolean }> }> };
      assert.deepEqual(results.Conditions[0]!.Or.map((n) => n.EvaluationResult), [true, false]);

      assert.equal(upstream.calls.length, before + 1, 'one call upstream');
      const call = upstream.calls.at(-1)!;
      assert.deepEqual(
        { path: call.path, target: call.target, service: call.service, region: call.region },
        { path: '/', target: 'Textract.AnalyzeDocument', service: 'textract', region: TEST_REGION },
      );
      for (const name of ['content-type', 'host', 'x-amz-date', 'x-amz-target']) assert.ok(call.signedHeaders.includes(name), `${name} is signed`);
      assert.deepEqual(call.body, { Document: { S3Object: { Bucket: 'payroll-forms', Name: 'w2/jane-doe.png' } }, FeatureTypes: ['FORMS'] }, 'forwarded without HumanLoopConfig');

      const loop = await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: 'w2-proxied' }));
      assert.equal(loop.HumanLoopStatus, 'InProgress');
      assert.equal(loop.FlowDefinitionArn, formsFlow);
      const row = await tandem.resources.store.db.selectFrom('human_loops').select('input_content').where('name', '=', 'w2-proxied').executeTakeFirstOrThrow();
      const input = JSON.parse(row.input_content) as StoredInput;
      assert.deepEqual(Object.keys(input), ['aiServiceRequest', 'aiServiceResponse', 'humanTaskActivationConditionResults', 'selectedAiServiceResponse']);
      assert.deepEqual(input.aiServiceRequest.humanLoopConfig, { humanLoopName: 'w2-proxied', flowDefinitionArn: formsFlow, dataAttributes: { contentClassifiers: ['FreeOfPersonallyIdentifiableInformation'] } });
      assert.equal((input.aiServiceResponse.blocks as unknown[]).length, TWO_PAGE_FORM.Blocks.length);
    });

    test('DetectModerationLabels with uploaded bytes: labels plus HumanLoopActivationOutput; the image is kept for the reviewer', async () => {
      const response = await rekognition.send(
        new DetectModerationLabelsCommand({
          Image: { Bytes: TINY_PNG },
          MinConfidence: 50,
          HumanLoopConfig: { HumanLoopName: 'beach-proxied', FlowDefinitionArn: moderationFlow },
        }),
      );
      assert.deepEqual(response.ModerationLabels, MODERATION_RESPONSE.ModerationLabels);
      assert.equal(response.ModerationModelVersion, '7.0');
      assert.equal(response.HumanLoopActivationOutput?.HumanLoopArn, `arn:aws:sagemaker:us-east-1:${tandem.accountId}:human-loop/beach-proxied`);
      const call = upstream.calls.at(-1)!;
      assert.deepEqual(
        { path: call.path, target: call.target, service: call.service },
        { path: '/rekognition', target: 'RekognitionService.DetectModerationLabels', service: 'rekognition' },
      );
      assert.deepEqual(call.body, { Image: { Bytes: TINY_PNG.toString('base64') }, MinConfidence: 50 });

      const row = await tandem.resources.store.db.selectFrom('human_loops').select('input_content').where('name', '=', 'beach-proxied').executeTakeFirstOrThrow();
      const input = JSON.parse(row.input_content) as StoredInput;
      const object = input.aiServiceRequest.image!.s3Object;
      assert.deepEqual(await readFile(new LocalObjectStore(tandem.resources.config.outputDir).pathOf(object.bucket, object.name)), TINY_PNG);
      assert.deepEqual((input.selectedAiServiceResponse.moderationLabels as Array<{ name: string }>).map((l) => l.name), ['Revealing Clothes', 'Alcohol', 'Drinking']);
    });

    test('without HumanLoopConfig the call is forwarded and answered untouched', async () => {
      const response = await textract.send(new AnalyzeDocumentCommand(analyze(undefined)));
      assert.equal(response.Blocks?.length, TWO_PAGE_FORM.Blocks.length);
      assert.equal(response.HumanLoopActivationOutput, undefined);
    });

    test('conditions that say no: the response says why and no loop exists', async () => {
      const confident = structuredClone(TWO_PAGE_FORM);
      for (const block of confident.Blocks) if (typeof block.Confidence === 'number') block.Confidence = 99;
      upstream.responses.analyzeDocument = confident;
      try {
        const response = await textract.send(new AnalyzeDocumentCommand(analyze('w2-confident-proxied')));
        assert.equal(response.HumanLoopActivationOutput?.HumanLoopArn, undefined);
        assert.equal(response.HumanLoopActivationOutput?.HumanLoopActivationReasons, undefined);
        assert.match(String(response.HumanLoopActivationOutput?.HumanLoopActivationConditionsEvaluationResults), /"EvaluationResult":false/);
        assert.equal(await loopExists('w2-confident-proxied'), false);
      } finally {
        upstream.responses.analyzeDocument = TWO_PAGE_FORM;
      }
    });

    test('a service error reaches the client as the service sent it, and starts nothing', async () => {
      await assert.rejects(textract.send(new AnalyzeDocumentCommand(analyze('w2-missing', 'missing.png'))), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(error.name, 'InvalidS3ObjectException');
        assert.equal(error.$metadata?.httpStatusCode, 400);
        assert.match(error.message, /Unable to get object metadata from S3/);
        return true;
      });
      assert.equal(await loopExists('w2-missing'), false);
    });

    test('an upstream that times out, drops the connection or answers a non-AWS 502: 503 ServiceUnavailableException, nothing started', async () => {
      for (const [name, document] of [['w2-slow', 'slow.png'], ['w2-reset', 'reset.png'], ['w2-html', 'html.png']] as const) {
        const started = Date.now();
        await assert.rejects(textract.send(new AnalyzeDocumentCommand(analyze(name, document))), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
          assert.equal(error.name, 'ServiceUnavailableException', `${document}: ${error.message}`);
          assert.equal(error.$metadata?.httpStatusCode, 503);
          assert.match(error.message, /Try again/);
          return true;
        });
        if (document === 'slow.png') assert.ok(Date.now() - started >= TIMEOUT_MS - 50, 'waited for the timeout');
        assert.equal(await loopExists(name), false);
      }
    });

    test('a request that cannot start a loop fails as the service would, before the service is called', async () => {
      const before = upstream.calls.length;
      const missingFlow = formsFlow.replace('forms-flow', 'nope');
      await assert.rejects(
        textract.send(new AnalyzeDocumentCommand({ ...analyze(undefined), HumanLoopConfig: { HumanLoopName: 'w2-no-flow', FlowDefinitionArn: missingFlow } })),
        { name: 'InvalidParameterException', message: /does not exist/ },
      );
      await assert.rejects(
        rekognition.send(new DetectModerationLabelsCommand({ Image: { Bytes: TINY_PNG }, HumanLoopConfig: { HumanLoopName: 'img-no-flow', FlowDefinitionArn: moderationFlow.replace('moderation-flow', 'nope') } })),
        { name: 'ResourceNotFoundException' },
      );
      await assert.rejects(
        rekognition.send(new DetectModerationLabelsCommand({ Image: { Bytes: TINY_PNG }, HumanLoopConfig: { HumanLoopName: 'img-wrong-type', FlowDefinitionArn: formsFlow } })),
        { name: 'InvalidParameterException', message: /needs one for AWS\/Rekognition/ },
      );
      await assert.rejects(
        textract.send(new AnalyzeDocumentCommand({ Document: { Bytes: new Uint8Array(10 * 1024 * 1024 + 1) }, FeatureTypes: ['FORMS'], HumanLoopConfig: { HumanLoopName: 'w2-too-large', FlowDefinitionArn: formsFlow } })),
        { name: 'DocumentTooLargeException' },
      );
      await assert.rejects(
        textract.send(new AnalyzeDocumentCommand({ ...analyze(undefined), HumanLoopConfig: { HumanLoopName: 'Not_A_Valid_Name', FlowDefinitionArn: formsFlow } })),
        { name: 'ValidationException', message: /humanLoopConfig.humanLoopName/ },
      );
      assert.equal(upstream.calls.length, before, 'the service was not called');
      for (const name of ['w2-no-flow', 'img-no-flow', 'img-wrong-type', 'w2-too-large']) assert.equal(await loopExists(name), false);
    });

    test('each API must be signed for its own service, and only the AI operations Tandem serves are proxied', async () => {
      const body = analyze('w2-wrong-scope');
      const asSageMaker = await signedPost(tandem, '/', body, { headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Textract.AnalyzeDocument' } });
      assert.equal(asSageMaker.status, 403);
      assert.equal(asSageMaker.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
      assert.match(String(asSageMaker.json.message), /scoped to correct service: 'textract'/);
      const sageMakerAsTextract = await signedPost(tandem, '/', {}, { service: 'textract', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.ListWorkteams' } });
      assert.equal(sageMakerAsTextract.status, 403);
      assert.match(String(sageMakerAsTextract.json.message), /scoped to correct service: 'sagemaker'/);
      const other = await signedPost(tandem, '/', { Document: {} }, { service: 'textract', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Textract.DetectDocumentText' } });
      assert.equal(other.status, 400);
      assert.equal(other.headers.get('x-amzn-errortype'), 'UnknownOperationException');
      const signedByUpstreamKey = new TextractClient({ endpoint: tandem.url, region: TEST_REGION, credentials: UPSTREAM_CREDENTIALS, maxAttempts: 1 });
      try {
        await assert.rejects(signedByUpstreamKey.send(new AnalyzeDocumentCommand(analyze(undefined))), { name: 'UnrecognizedClientException' });
      } finally {
        signedByUpstreamKey.destroy();
      }
      assert.equal(await loopExists('w2-wrong-scope'), false);
    });

    test('the same call twice gets the same loop back', async () => {
      const first = await textract.send(new AnalyzeDocumentCommand(analyze('w2-twice-proxied')));
      const second = await textract.send(new AnalyzeDocumentCommand(analyze('w2-twice-proxied')));
      assert.equal(second.HumanLoopActivationOutput?.HumanLoopArn, first.HumanLoopActivationOutput?.HumanLoopArn);
    });
  });
}
