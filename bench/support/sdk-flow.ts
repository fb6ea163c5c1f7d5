/**
 * A flow definition made through the real SageMaker API of a benchmark's Tandem, and the SDK
 * clients signed with the bench key: what benchmarks that drive a served Tandem over HTTP set up
 * first (scale, soak, crash).
 */
import { SageMakerA2IRuntimeClient } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { CreateFlowDefinitionCommand, CreateHumanTaskUiCommand, CreateWorkteamCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { BENCH_CREDENTIALS } from './servers.js';

type ClientOptions = ConstructorParameters<typeof SageMakerClient>[0] & ConstructorParameters<typeof SageMakerA2IRuntimeClient>[0];

/** The A2I runtime and SageMaker clients for `url`, signed with the bench key (`extra` merged in). */
export function benchClients(url: string, extra: Partial<ClientOptions> = {}) {
  const options = {
    endpoint: url,
    region: BENCH_CREDENTIALS.region,
    credentials: { accessKeyId: BENCH_CREDENTIALS.accessKeyId, secretAccessKey: BENCH_CREDENTIALS.secretAccessKey },
    ...extra,
  };
  return { a2i: new SageMakerA2IRuntimeClient(options), sagemaker: new SageMakerClient(options) };
}

/** A work team `<name>-team`, a one-field task UI `<name>-ui` and flow definition `name` (TaskCount 1); its ARN. */
export async function createSdkFlow(sagemaker: SageMakerClient, name: string): Promise<string> {
  const { WorkteamArn } = await sagemaker.send(
    new CreateWorkteamCommand({
      WorkteamName: `${name}-team`,
      Description: 'bench',
      MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'us-east-1_bench', UserGroup: name, ClientId: 'bench' } }],
    }),
  );
  const { HumanTaskUiArn } = await sagemaker.send(
    new CreateHumanTaskUiCommand({ HumanTaskUiName: `${name}-ui`, UiTemplate: { Content: '<crowd-form><crowd-input name="note"></crowd-input></crowd-form>' } }),
  );
  const { FlowDefinitionArn } = await sagemaker.send(
    new CreateFlowDefinitionCommand({
      FlowDefinitionName: name,
      RoleArn: `arn:aws:iam::${BENCH_CREDENTIALS.accountId}:role/bench`,
      OutputConfig: { S3OutputPath: `s3://bench-${name}/out` },
      HumanLoopConfig: { WorkteamArn, HumanTaskUiArn, TaskTitle: 'Check', TaskDescription: 'Check it', TaskCount: 1 },
    }),
  );
  return FlowDefinitionArn!;
}
