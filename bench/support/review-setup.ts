/**
 * What a human loop needs, created through the real SageMaker SDK client against a listening
 * Tandem: a private work team, a worker task UI and an Active flow definition.
 *
 * @example
 * const { FlowDefinitionArn } = await createReviewSetup(tandem.url, BENCH_CREDENTIALS, 'bench');
 */
import { CreateFlowDefinitionCommand, CreateHumanTaskUiCommand, CreateWorkteamCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { BenchCredentials } from './servers.js';

export const BENCH_TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-classifier name="category" categories="['Cat', 'Dog']" header="{{ task.input.question }}">
    <classification-target>{{ task.input.text }}</classification-target>
  </crowd-classifier>
</crowd-form>`;

export interface ReviewSetup {
  WorkteamArn: string;
  HumanTaskUiArn: string;
  FlowDefinitionArn: string;
}

export async function createReviewSetup(
  url: string,
  credentials: BenchCredentials,
  prefix: string,
  options: { taskCount?: number } = {},
): Promise<ReviewSetup> {
  const client = new SageMakerClient({
    endpoint: url,
    region: credentials.region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    maxAttempts: 1,
  });
  try {
    const { WorkteamArn } = await client.send(
      new CreateWorkteamCommand({
        WorkteamName: `${prefix}-team`,
        Description: 'benchmark reviewers',
        MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'us-east-1_tandem', UserGroup: prefix, ClientId: 'tandem' } }],
      }),
    );
    const { HumanTaskUiArn } = await client.send(
      new CreateHumanTaskUiCommand({ HumanTaskUiName: `${prefix}-ui`, UiTemplate: { Content: BENCH_TEMPLATE } }),
    );
    const { FlowDefinitionArn } = await client.send(
      new CreateFlowDefinitionCommand({
        FlowDefinitionName: `${prefix}-flow`,
        RoleArn: `arn:aws:iam::${credentials.accountId}:role/tandem-bench`,
        OutputConfig: { S3OutputPath: 's3://bench-bucket/output' },
        HumanLoopConfig: {
          WorkteamArn: WorkteamArn!,
          HumanTaskUiArn: HumanTaskUiArn!,
          TaskTitle: 'Classify',
          TaskDescription: 'Pick the animal',
          TaskCount: options.taskCount ?? 1,
          TaskTimeLimitInSeconds: 300,
          TaskAvailabilityLifetimeInSeconds: 3600,
        },
      }),
    );
    return { WorkteamArn: WorkteamArn!, HumanTaskUiArn: HumanTaskUiArn!, FlowDefinitionArn: FlowDefinitionArn! };
  } finally {
    client.destroy();
  }
}
