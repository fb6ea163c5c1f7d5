/**
 * Proxy mode through boto3: test/compat/boto3_ai_services.py calls `textract.analyze_document`
 * and `rekognition.detect_moderation_labels` with HumanLoopConfig against Tandem, which forwards
 * to the local stand-in for the services; this file asserts on what boto3 returned. On both
 * dialects; skipped when /usr/bin/python3 cannot import boto3 (an error under CI instead).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DescribeHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { MODERATION_RESPONSE, TINY_PNG, TWO_PAGE_FORM } from '../support/ai-service-fixtures.js';
import { startFakeAiServices, useUpstreamCredentialsFromEnvironment, type FakeAiServices } from '../support/ai-service-upstream.js';
import { createBuiltInFlow, REKOGNITION_SOURCE, TEXTRACT_SOURCE } from '../support/built-in-flows.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { SYSTEM_PYTHON, skipReason } from '../support/environment.js';
import { startTestTandem, TEST_REGION, type TestTandem } from '../support/tandem.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'boto3_ai_services.py');
const LOW_PAY_DATE = {
  Conditions: [{ ConditionType: 'ImportantFormKeyConfidenceCheck', ConditionParameters: { ImportantFormKey: 'Pay Date:', KeyValueBlockConfidenceLessThan: 65 } }],
};
const LABEL_CHECK = {
  Conditions: [{ ConditionType: 'ModerationLabelConfidenceCheck', ConditionParameters: { ModerationLabelName: '*', ConfidenceLessThan: 90 } }],
};

interface Activation {
  HumanLoopArn?: string;
  HumanLoopActivationReasons?: string[];
  HumanLoopActivationConditionsEvaluationResults?: string;
}
interface Summary {
  fatal?: string;
  analyzeDocument: { blocks: number; documentMetadata: unknown; activation: Activation };
  detectModerationLabels: { labels: string[]; activation: Activation };
  plain: number;
  errors: Record<'serviceError' | 'unavailable' | 'noFlow', { code: string; message: string; status: number } | null>;
}

/** Without blocking: the Tandem and the stand-in services under test live in this process. */
function runScript(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(SYSTEM_PYTHON, [SCRIPT], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

useUpstreamCredentialsFromEnvironment();

describe('boto3 textract and rekognition clients pointed at Tandem', { skip: skipReason('boto3') }, () => {
  for (const dialect of DIALECTS) {
    describe(dialect, { skip: dialectSkip(dialect) }, () => {
      let upstream: FakeAiServices;
      let tandem: TestTandem;
      let summary: Summary;

      before(async () => {
        upstream = await startFakeAiServices();
        tandem = await startTestTandem(dialect, { textractEndpoint: upstream.url, rekognitionEndpoint: upstream.url });
        const forms = await createBuiltInFlow(tandem, 'forms', TEXTRACT_SOURCE, LOW_PAY_DATE);
        const moderation = await createBuiltInFlow(tandem, 'moderation', REKOGNITION_SOURCE, LABEL_CHECK);
        const run = await runScript({
          TANDEM_ENDPOINT: tandem.url,
          AWS_ACCESS_KEY_ID: tandem.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: tandem.credentials.secretAccessKey,
          AWS_DEFAULT_REGION: TEST_REGION,
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_EC2_METADATA_DISABLED: 'true',
          FORMS_FLOW_ARN: forms.FlowDefinitionArn,
          MODERATION_FLOW_ARN: moderation.FlowDefinitionArn,
          IMAGE_BASE64: TINY_PNG.toString('base64'),
        });
        assert.equal(run.code, 0, `boto3_ai_services.py exited with ${run.code}:\n${run.stderr}`);
        summary = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as Summary;
      });
      after(async () => {
        await tandem?.stop();
        await upstream?.close();
      });

      test('analyze_document: the service\'s blocks plus HumanLoopActivationOutput, and the loop runs', async () => {
        assert.equal(summary.fatal, undefined, summary.fatal);
        assert.equal(summary.analyzeDocument.blocks, TWO_PAGE_FORM.Blocks.length);
        assert.deepEqual(summary.analyzeDocument.documentMetadata, { Pages: 2 });
        const activation = summary.analyzeDocument.activation;
        assert.equal(activation.HumanLoopArn, `arn:aws:sagemaker:us-east-1:${tandem.accountId}:human-loop/boto3-w2`);
        assert.deepEqual(activation.HumanLoopActivationReasons, ['ConditionsEvaluation']);
        // botocore decodes the jsonvalue member; the SDK for JavaScript hands over the JSON text.
        const results = (typeof activation.HumanLoopActivationConditionsEvaluationResults === 'string'
          ? JSON.parse(activation.HumanLoopActivationConditionsEvaluationResults)
          : activation.HumanLoopActivationConditionsEvaluationResults) as { Conditions: Array<{ EvaluationResult: boolean }> };
        assert.equal(results.Conditions[0]!.EvaluationResult, true);
        const loop = await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: 'boto3-w2' }));
        assert.equal(loop.HumanLoopStatus, 'InProgress');
        const call = upstream.calls.find((c) => c.target === 'Textract.AnalyzeDocument');
        assert.equal(call?.service, 'textract');
        assert.equal(call?.body.HumanLoopConfig, undefined);
      });

      test('detect_moderation_labels with bytes: the labels plus HumanLoopActivationOutput', () => {
        assert.deepEqual(summary.detectModerationLabels.labels, MODERATION_RESPONSE.ModerationLabels.map((l) => l.Name));
        assert.equal(summary.detectModerationLabels.activation.HumanLoopArn, `arn:aws:sagemaker:us-east-1:${tandem.accountId}:human-loop/boto3-image`);
        const call = upstream.calls.find((c) => c.target === 'RekognitionService.DetectModerationLabels');
        assert.deepEqual(call?.body, { Image: { Bytes: TINY_PNG.toString('base64') } });
      });

      test('without HumanLoopConfig nothing is added; errors are the ones botocore knows', () => {
        assert.equal(summary.plain, 0);
        assert.deepEqual(summary.errors.serviceError && { code: summary.errors.serviceError.code, status: summary.errors.serviceError.status }, { code: 'InvalidS3ObjectException', status: 400 });
        assert.deepEqual(summary.errors.unavailable && { code: summary.errors.unavailable.code, status: summary.errors.unavailable.status }, { code: 'ServiceUnavailableException', status: 503 });
        assert.deepEqual(summary.errors.noFlow && { code: summary.errors.noFlow.code, status: summary.errors.noFlow.status }, { code: 'ResourceNotFoundException', status: 400 });
      });
    });
  }
});
