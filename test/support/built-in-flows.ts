import { CreateFlowDefinitionCommand, CreateHumanTaskUiCommand, CreateWorkteamCommand } from '@aws-sdk/client-sagemaker';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { addWorker } from '../../src/operations/workers.js';
import type { WorkerIdentity } from '../../src/operations/reviews.js';
import type { Credentials, TestTandem } from './tandem.js';
import { TEST_REGION } from './tandem.js';

export const TEXTRACT_SOURCE = 'AWS/Textract/AnalyzeDocument/Forms/V1';
export const REKOGNITION_SOURCE = 'AWS/Rekognition/DetectModerationLabels/Image/V3';

const PLAIN_TEMPLATE = '<crowd-form><crowd-input name="note"></crowd-input></crowd-form>';

/** A work team `{prefix}-team` and task UI `{prefix}-ui` (or the given UI ARN), and a built-in flow `{prefix}-flow`. */
export async function createBuiltInFlow(
  tandem: TestTandem,
  prefix: string,
  source: string | undefined,
  conditions: unknown | undefined,
  options: { humanTaskUiArn?: string; template?: string } = {},
): Promise<{ FlowDefinitionArn: string; WorkteamArn: string; WorkteamName: string }> {
  const WorkteamName = `${prefix}-team`;
  const { WorkteamArn } = await tandem.sagemaker.send(
    new CreateWorkteamCommand({
      WorkteamName,
      Description: 'reviewers',
      MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'us-east-1_t', UserGroup: prefix, ClientId: 'c' } }],
    }),
  );
  const humanTaskUiArn =
    options.humanTaskUiArn ??
    (
      await tandem.sagemaker.send(
        new CreateHumanTaskUiCommand({ HumanTaskUiName: `${prefix}-ui`, UiTemplate: { Content: options.template ?? PLAIN_TEMPLATE } }),
      )
    ).HumanTaskUiArn!;
  const { FlowDefinitionArn } = await tandem.sagemaker.send(
    new CreateFlowDefinitionCommand({
      FlowDefinitionName: `${prefix}-flow`,
      RoleArn: 'arn:aws:iam::111122223333:role/tandem-test',
      OutputConfig: { S3OutputPath: 's3://review-output/a2i' },
      ...(source ? { HumanLoopRequestSource: { AwsManagedHumanLoopRequestSource: source as 'AWS/Textract/AnalyzeDocument/Forms/V1' } } : {}),
      ...(conditions !== undefined
        ? { HumanLoopActivationConfig: { HumanLoopActivationConditionsConfig: { HumanLoopActivationConditions: JSON.stringify(conditions) } } }
        : {}),
      HumanLoopConfig: {
        WorkteamArn: WorkteamArn!,
        HumanTaskUiArn: humanTaskUiArn,
        TaskTitle: 'Review',
        TaskDescription: 'Check the machine reading',
        TaskCount: 1,
        TaskTimeLimitInSeconds: 300,
        TaskAvailabilityLifetimeInSeconds: 3600,
      },
    }),
  );
  return { FlowDefinitionArn: FlowDefinitionArn!, WorkteamArn: WorkteamArn!, WorkteamName };
}

/** A reviewer in `team` with a password, as the portal's worker identity. */
export async function addReviewer(tandem: TestTandem, email: string, team: string, password = 'correct horse battery staple'): Promise<WorkerIdentity> {
  const { worker } = await addWorker(tandem.resources, { accountId: tandem.accountId, email, teams: [team], password });
  return { id: worker.workerId, accountId: tandem.accountId, identityProvider: 'Tandem' };
}

/** A SigV4-signed JSON POST to a listening Tandem, as curl `--aws-sigv4` or any SigV4 library sends it. */
export async function signedPost(
  tandem: TestTandem,
  path: string,
  body: unknown,
  options: { credentials?: Credentials; service?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const url = new URL(path, tandem.url);
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/json', ...options.headers },
    body: payload,
  });
  const signer = new SignatureV4({
    credentials: options.credentials ?? tandem.credentials,
    region: TEST_REGION,
    service: options.service ?? 'sagemaker',
    sha256: Sha256,
  });
  const signed = await signer.sign(request);
  const { host: _host, ...headers } = signed.headers;
  const response = await fetch(url, { method: 'POST', headers, body: payload });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
