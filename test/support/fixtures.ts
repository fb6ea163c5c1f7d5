import { CreateFlowDefinitionCommand, CreateHumanTaskUiCommand, CreateWorkteamCommand } from '@aws-sdk/client-sagemaker';
import type { TestTandem } from './tandem.js';

export const SIMPLE_TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-classifier name="category" categories="['Cat', 'Dog']" header="{{ task.input.question }}">
    <classification-target>{{ task.input.text }}</classification-target>
  </crowd-classifier>
  <crowd-input name="note" label="Note"></crowd-input>
</crowd-form>`;

/** A work team, a task UI and an Active flow definition, named after `prefix`. */
export async function createReviewSetup(tandem: TestTandem, prefix: string, options: { taskCount?: number; bucket?: string } = {}) {
  const { WorkteamArn } = await tandem.sagemaker.send(
    new CreateWorkteamCommand({
      WorkteamName: `${prefix}-team`,
      Description: 'test reviewers',
      MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'us-east-1_tandem', UserGroup: prefix, ClientId: 'tandem' } }],
    }),
  );
  const { HumanTaskUiArn } = await tandem.sagemaker.send(
    new CreateHumanTaskUiCommand({ HumanTaskUiName: `${prefix}-ui`, UiTemplate: { Content: SIMPLE_TEMPLATE } }),
  );
  const { FlowDefinitionArn } = await tandem.sagemaker.send(
    new CreateFlowDefinitionCommand({
      FlowDefinitionName: `${prefix}-flow`,
      RoleArn: 'arn:aws:iam::111122223333:role/tandem-test',
      OutputConfig: { S3OutputPath: `s3://${options.bucket ?? 'test-bucket'}/output` },
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
}
