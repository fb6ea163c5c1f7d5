/**
 * boto3 against a listening Tandem, on both dialects: test/compat/boto3_client.py creates a work
 * team, a task UI and a flow definition, runs human loops through their life, provokes the
 * documented errors, and prints what it saw as JSON; this file asserts on that summary.
 * Skipped when /usr/bin/python3 cannot import boto3 (an error under CI instead).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { SYSTEM_PYTHON, skipReason } from '../support/environment.js';
import { TEST_ACCOUNT_ID, TEST_REGION, startTestTandem, type TestTandem } from '../support/tandem.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'boto3_client.py');

interface ErrorRecord {
  raised: boolean;
  class?: string;
  modeled?: boolean;
  isClientError?: boolean;
  code?: string;
  message?: string;
  status?: number;
  requestId?: string;
}

interface Summary {
  boto3: string;
  steps: string[];
  fatal?: string;
  arns: { workteam: string; humanTaskUi: string; flowDefinition: string };
  described: Record<string, unknown>;
  listed: { workteams: string[]; humanTaskUis: string[]; flowDefinitions: string[] };
  loop: Record<string, unknown> & { creationTime: number };
  list: { pages: number; ascending: string[]; descending: string[]; after: string[]; beforeFuture: number; summaryTimesAreDatetimes: boolean };
  wideInputStatus: string;
  afterStop: string;
  afterDelete: string[];
  errors: Record<string, ErrorRecord>;
}

/**
 * Runs the script without blocking: the Tandem under test lives in this process, so a
 * synchronous spawn would leave it unable to answer.
 */
function runScript(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(SYSTEM_PYTHON, [SCRIPT], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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

const boto3Skip = skipReason('boto3');

describe('boto3', { skip: boto3Skip }, () => {
  for (const dialect of DIALECTS) {
    describe(dialect, { skip: dialectSkip(dialect) }, () => {
      let tandem: TestTandem;
      let summary: Summary;
      let seconds: number;

      before(async () => {
        tandem = await startTestTandem(dialect);
        const started = Date.now();
        const run = await runScript({
          TANDEM_ENDPOINT: tandem.url,
          AWS_ACCESS_KEY_ID: tandem.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: tandem.credentials.secretAccessKey,
          AWS_DEFAULT_REGION: TEST_REGION,
          // No shared config or credentials files of this machine may leak into the run.
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_EC2_METADATA_DISABLED: 'true',
          TANDEM_PREFIX: 'py',
        });
        seconds = (Date.now() - started) / 1000;
        assert.equal(run.code, 0, `boto3_client.py exited with ${run.code}:\n${run.stderr}`);
        const last = run.stdout.trim().split('\n').pop() ?? '';
        summary = JSON.parse(last) as Summary;
      });
      after(() => tandem?.stop());

      test('the script ran to the end', () => {
        assert.equal(summary.fatal, undefined, summary.fatal);
        assert.deepEqual(summary.steps, [
          'created',
          'described',
          'started',
          'listed',
          'large-inputs',
          'runtime-errors',
          'sagemaker-errors',
          'stopped-and-deleted',
          'credentials',
        ]);
        assert.ok(seconds < 60, `took ${seconds}s`);
      });

      test('sagemaker: create, describe and list a work team, a task UI and a flow definition', () => {
        const prefix = `arn:aws:sagemaker:${TEST_REGION}:${TEST_ACCOUNT_ID}`;
        assert.deepEqual(summary.arns, {
          workteam: `${prefix}:workteam/private-crowd/py-team`,
          humanTaskUi: `${prefix}:human-task-ui/py-ui`,
          flowDefinition: `${prefix}:flow-definition/py-flow`,
        });
        assert.deepEqual(summary.described, {
          workteamArn: summary.arns.workteam,
          workteamCreateDateIsDatetime: true,
          humanTaskUiArn: summary.arns.humanTaskUi,
          humanTaskUiStatus: 'Active',
          humanTaskUiCreationTimeIsDatetime: true,
          flowDefinitionArn: summary.arns.flowDefinition,
          flowDefinitionStatus: 'Active',
          flowTaskCount: 1,
          flowCreationTimeIsDatetime: true,
        });
        assert.deepEqual(summary.listed, { workteams: ['py-team'], humanTaskUis: ['py-ui'], flowDefinitions: ['py-flow'] });
      });

      test('a2i runtime: start (idempotent), describe with a timezone-aware datetime, list and paginate', () => {
        const arn = `arn:aws:sagemaker:${TEST_REGION}:${TEST_ACCOUNT_ID}:human-loop/py-loop-1`;
        assert.equal(summary.loop.arn, arn);
        assert.equal(summary.loop.idempotentArn, arn);
        assert.equal(summary.loop.status, 'InProgress');
        assert.equal(summary.loop.name, 'py-loop-1');
        assert.equal(summary.loop.flowDefinitionArn, summary.arns.flowDefinition);
        assert.equal(summary.loop.creationTimeIsDatetime, true);
        assert.equal(summary.loop.creationTimeIsAware, true);
        assert.ok(Math.abs(summary.loop.creationTime * 1000 - Date.now()) < 120_000);
        assert.match(String(summary.loop.requestId), /^[0-9a-f-]{36}$/);

        const names = ['py-loop-1', 'py-loop-2', 'py-loop-3', 'py-loop-4', 'py-loop-5'];
        assert.equal(summary.list.pages, 3);
        assert.deepEqual(summary.list.ascending, names);
        assert.deepEqual(summary.list.descending, [...names].reverse());
        assert.deepEqual(summary.list.after, names.slice(1));
        assert.equal(summary.list.beforeFuture, 5);
        assert.equal(summary.list.summaryTimesAreDatetimes, true);
      });

      test('3 MiB of non-ASCII input (an 18 MiB body from botocore) is accepted; 3 MiB + 1 is a ValidationException', () => {
        assert.equal(summary.wideInputStatus, 'InProgress');
        assert.deepEqual(pick(summary.errors.start_too_large), { raised: true, class: 'ValidationException', modeled: true, code: 'ValidationException', status: 400 });
        assert.match(summary.errors.start_too_large!.message!, /less than or equal to 3145728$/);
      });

      test('a2i runtime errors arrive as the modeled exception classes', () => {
        const expected: Record<string, [string, number, RegExp?]> = {
          describe_unknown: ['ResourceNotFoundException', 404, /py-nope/],
          stop_unknown: ['ResourceNotFoundException', 404],
          start_bad_name: ['ValidationException', 400, /Value 'Py_Bad' at 'humanLoopName' failed to satisfy constraint: Member must satisfy regular expression pattern/],
          start_long_name: ['ValidationException', 400, /Member must have length less than or equal to 63/],
          start_not_json: ['ValidationException', 400, /InputContent/],
          start_conflict: ['ConflictException', 409],
          start_unknown_flow: ['ResourceNotFoundException', 404],
          start_bad_arn: ['ValidationException', 400, /flowDefinitionArn/],
          list_max_results_101: ['ValidationException', 400, /maxResults/],
          list_tampered_token: ['ValidationException', 400, /NextToken/],
          delete_in_progress: ['ValidationException', 400],
          describe_deleted: ['ResourceNotFoundException', 404],
          delete_deleted: ['ResourceNotFoundException', 404],
        };
        for (const [label, [type, status, message]] of Object.entries(expected)) {
          const record = summary.errors[label];
          assert.deepEqual(pick(record), { raised: true, class: type, modeled: true, code: type, status }, label);
          assert.match(String(record!.requestId), /^[0-9a-f-]{36}$/, `${label}: RequestId`);
          if (message) assert.match(record!.message!, message, label);
        }
      });

      test('sagemaker errors arrive as ResourceNotFound and ResourceInUse', () => {
        const expected: Record<string, string> = {
          describe_flow_unknown: 'ResourceNotFound',
          delete_flow_in_use: 'ResourceInUse',
          create_workteam_duplicate: 'ResourceInUse',
          describe_workteam_unknown: 'ResourceNotFound',
          describe_ui_unknown: 'ResourceNotFound',
        };
        for (const [label, type] of Object.entries(expected)) {
          assert.deepEqual(pick(summary.errors[label]), { raised: true, class: type, modeled: true, code: type, status: 400 }, label);
        }
      });

      test('stop twice, then delete: Stopped, then gone from describe and list', () => {
        assert.equal(summary.afterStop, 'Stopped');
        assert.deepEqual(summary.afterDelete, ['py-loop-2', 'py-loop-3', 'py-loop-4', 'py-loop-5', 'py-wide']);
      });

      test('bad credentials are ClientErrors with the AWS codes and 403', () => {
        const expected: Record<string, string> = {
          wrong_secret_a2i: 'InvalidSignatureException',
          wrong_secret_sagemaker: 'InvalidSignatureException',
          unknown_key: 'UnrecognizedClientException',
          other_region: 'InvalidSignatureException',
        };
        for (const [label, code] of Object.entries(expected)) {
          const record = summary.errors[label]!;
          assert.equal(record.raised, true, label);
          assert.equal(record.isClientError, true, label);
          assert.equal(record.code, code, label);
          assert.equal(record.status, 403, label);
        }
      });
    });
  }
});

function pick(record: ErrorRecord | undefined) {
  if (!record) return undefined;
  return { raised: record.raised, class: record.class, modeled: record.modeled, code: record.code, status: record.status };
}
