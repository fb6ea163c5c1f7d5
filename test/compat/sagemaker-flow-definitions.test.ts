/**
 * Flow definitions through the real `@aws-sdk/client-sagemaker` against a listening Tandem, on
 * both dialects: CreateFlowDefinition, DescribeFlowDefinition, ListFlowDefinitions and
 * DeleteFlowDefinition behave as the SDK's models and doc comments say.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import {
  CreateFlowDefinitionCommand,
  CreateHumanTaskUiCommand,
  CreateWorkteamCommand,
  DeleteFlowDefinitionCommand,
  DeleteHumanTaskUiCommand,
  DeleteWorkteamCommand,
  DescribeFlowDefinitionCommand,
  ListFlowDefinitionsCommand,
  ResourceInUse,
  ResourceNotFound,
  type CreateFlowDefinitionCommandInput,
  type DescribeFlowDefinitionCommandOutput,
  type HumanLoopConfig,
  type ListFlowDefinitionsCommandInput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { StartHumanLoopCommand, StopHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { flowDefinitionArn, workteamArn } from '../support/arns.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { SIMPLE_TEMPLATE } from '../support/fixtures.js';
import { collectPages } from '../support/paging.js';
import { assertRecent, oneViolation, rejectsWith } from '../support/sdk-assertions.js';
import { TEST_ACCOUNT_ID, useTestTandem, type TestTandem } from '../support/tandem.js';

const ROLE_ARN = `arn:aws:iam::${TEST_ACCOUNT_ID}:role/service-role/AmazonSageMaker-ExecutionRole`;
const TEXTRACT = 'AWS/Textract/AnalyzeDocument/Forms/V1';
const REKOGNITION = 'AWS/Rekognition/DetectModerationLabels/Image/V3';
const TEXTRACT_CONDITIONS = JSON.stringify({
  Conditions: [
    {
      And: [
        { ConditionType: 'Sampling', ConditionParameters: { RandomSamplingPercentage: 5 } },
        {
          ConditionType: 'ImportantFormKeyConfidenceCheck',
          ConditionParameters: {
            ImportantFormKey: 'Pay Date',
            ImportantFormKeyAliases: ['PayDate', 'DateOfPay'],
            KeyValueBlockConfidenceLessThan: 65,
            WordBlockConfidenceLessThan: 85,
          },
        },
      ],
    },
    { ConditionType: 'MissingImportantFormKey', ConditionParameters: { ImportantFormKey: 'Employee Name' } },
  ],
});
const REKOGNITION_CONDITIONS = JSON.stringify({
  Conditions: [{ ConditionType: 'ModerationLabelConfidenceCheck', ConditionParameters: { ModerationLabelName: '*', ConfidenceGreaterThanEquals: 75 } }],
});

/**
 * The activation conditions as the wire carried them. The model marks the member as a JSON
 * document in a string, so the SDK hands it back wrapped (a `LazyJsonString`); its text is the
 * string that was stored.
 */
function activationConditions(described: DescribeFlowDefinitionCommandOutput): string {
  const config = described.HumanLoopActivationConfig;
  assert.ok(config, 'HumanLoopActivationConfig is present');
  assert.deepEqual(Object.keys(config), ['HumanLoopActivationConditionsConfig']);
  assert.deepEqual(Object.keys(config.HumanLoopActivationConditionsConfig!), ['HumanLoopActivationConditions']);
  return String(config.HumanLoopActivationConditionsConfig!.HumanLoopActivationConditions);
}

/** The names in every page of a listing, following NextToken; each page must respect MaxResults. */
async function listAll(client: SageMakerClient, input: ListFlowDefinitionsCommandInput): Promise<string[]> {
  const { items } = await collectPages(
    async (NextToken) => {
      const page = await client.send(new ListFlowDefinitionsCommand({ ...input, NextToken }));
      return { items: page.FlowDefinitionSummaries!.map((s) => s.FlowDefinitionName!), nextToken: page.NextToken };
    },
    { maxResults: input.MaxResults },
  );
  return items;
}

/** A work team and a task UI in the client's account, for flow definitions to reference. */
async function createTeamAndUi(client: SageMakerClient, prefix: string) {
  const { WorkteamArn } = await client.send(
    new CreateWorkteamCommand({
      WorkteamName: `${prefix}-team`,
      Description: 'reviewers',
      MemberDefinitions: [{ OidcMemberDefinition: { Groups: ['reviewers'] } }],
    }),
  );
  const { HumanTaskUiArn } = await client.send(
    new CreateHumanTaskUiCommand({ HumanTaskUiName: `${prefix}-ui`, UiTemplate: { Content: SIMPLE_TEMPLATE } }),
  );
  return { WorkteamArn: WorkteamArn!, HumanTaskUiArn: HumanTaskUiArn! };
}

for (const dialect of DIALECTS) {
  describe(dialect, { skip: dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    let team: string;
    let ui: string;
    /** A minimal valid request; tests override members. */
    let base: () => CreateFlowDefinitionCommandInput & { HumanLoopConfig: HumanLoopConfig };

    useTestTandem(dialect, async (started) => {
      tandem = started;
      ({ WorkteamArn: team, HumanTaskUiArn: ui } = await createTeamAndUi(tandem.sagemaker, 'fd'));
      base = () => ({
        FlowDefinitionName: 'unused',
        RoleArn: ROLE_ARN,
        OutputConfig: { S3OutputPath: 's3://bucket/prefix' },
        HumanLoopConfig: { WorkteamArn: team, HumanTaskUiArn: ui, TaskTitle: 'Title', TaskDescription: 'Description', TaskCount: 1 },
      });
    });

    describe('CreateFlowDefinition and DescribeFlowDefinition', () => {
      it('stores every request member of a built-in (Textract) flow and returns it from Describe', async () => {
        const input = {
          FlowDefinitionName: 'textract-forms',
          RoleArn: ROLE_ARN,
          HumanLoopRequestSource: { AwsManagedHumanLoopRequestSource: TEXTRACT },
          HumanLoopActivationConfig: { HumanLoopActivationConditionsConfig: { HumanLoopActivationConditions: TEXTRACT_CONDITIONS } },
          HumanLoopConfig: {
            WorkteamArn: team,
            HumanTaskUiArn: ui,
            TaskTitle: 'Review the form',
            TaskDescription: 'Check the key-value pairs Textract found',
            TaskCount: 3,
            TaskAvailabilityLifetimeInSeconds: 7200,
            TaskTimeLimitInSeconds: 600,
            TaskKeywords: ['forms', 'Invoice 2'],
            PublicWorkforceTaskPrice: { AmountInUsd: { Dollars: 0, Cents: 3, TenthFractionsOfACent: 6 } },
          },
          OutputConfig: { S3OutputPath: 's3://my-bucket/a2i-output', KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/abcd-1234' },
          Tags: [{ Key: 'project', Value: 'forms' }],
        } satisfies CreateFlowDefinitionCommandInput;
        const { FlowDefinitionArn } = await tandem.sagemaker.send(new CreateFlowDefinitionCommand(input));
        assert.equal(FlowDefinitionArn, flowDefinitionArn(TEST_ACCOUNT_ID, 'textract-forms'));

        const described = await tandem.sagemaker.send(new DescribeFlowDefinitionCommand({ FlowDefinitionName: 'textract-forms' }));
        assert.equal(described.FlowDefinitionArn, FlowDefinitionArn);
        assert.equal(described.FlowDefinitionName, 'textract-forms');
        assert.equal(described.FlowDefinitionStatus, 'Active');
        assertRecent(described.CreationTime, 'CreationTime');
        assert.deepEqual(described.HumanLoopRequestSource, input.HumanLoopRequestSource);
        assert.equal(activationConditions(described), TEXTRACT_CONDITIONS);
        assert.deepEqual(described.HumanLoopConfig, input.HumanLoopConfig);
        assert.deepEqual(described.OutputConfig, input.OutputConfig);
        assert.equal(described.RoleArn, ROLE_ARN);
        assert.equal(described.FailureReason, undefined);
      });

      it('a Rekognition flow keeps its source and conditions', async () => {
        const input = {
          ...base(),
          FlowDefinitionName: 'rekognition-moderation',
          HumanLoopRequestSource: { AwsManagedHumanLoopRequestSource: REKOGNITION },
          HumanLoopActivationConfig: { HumanLoopActivationConditionsConfig: { HumanLoopActivationConditions: REKOGNITION_CONDITIONS } },
        } satisfies CreateFlowDefinitionCommandInput;
        await tandem.sagemaker.send(new CreateFlowDefinitionCommand(input));
        const described = await tandem.sagemaker.send(new DescribeFlowDefinitionCommand({ FlowDefinitionName: 'rekognition-moderation' }));
        assert.deepEqual(described.HumanLoopRequestSource, input.HumanLoopRequestSource);
        assert.equal(activationConditions(described), REKOGNITION_CONDITIONS);
      });

      it('a request source without activation conditions sends everything to humans', async () => {
        const input = {
          ...base(),
          FlowDefinitionName: 'textract-all',
          HumanLoopRequestSource: { AwsManagedHumanLoopRequestSource: TEXTRACT },
        } satisfies CreateFlowDefinitionCommandInput;
        await tandem.sagemaker.send(new CreateFlowDefinitionCommand(input));
        const described = await tandem.sagemaker.send(new DescribeFlowDefinitionCommand({ FlowDefinitionName: 'textract-all' }));
        assert.deepEqual(described.HumanLoopRequestSource, input.HumanLoopRequestSource);
        assert.equal(described.HumanLoopActivationConfig, undefined);
      });

      it('a custom flow has no request source or activation config, and keeps HumanLoopConfig as given', async () => {
        const input = { ...base(), FlowDefinitionName: 'custom-flow' };
        await tandem.sagemaker.send(new CreateFlowDefinitionCommand(input));
        const described = await tandem.sagemaker.send(new DescribeFlowDefinitionCommand({ FlowDefinitionName: 'custom-flow' }));
        assert.equal(described.HumanLoopRequestSource, undefined);
        assert.equal(described.HumanLoopActivationConfig, undefined);
        assert.deepEqual(described.HumanLoopConfig, input.HumanLoopConfig);
        assert.deepEqual(described.OutputConfig, { S3OutputPath: 's3://bucket/prefix' });
      });

      it('a taken name is ResourceInUse', async () => {
        await tandem.sagemaker.send(new CreateFlowDefinitionCommand({ ...base(), FlowDefinitionName: 'dup-flow' }));
        await rejectsWith(
          tandem.sagemaker.send(new CreateFlowDefinitionCommand({ ...base(), FlowDefinitionName: 'dup-flow' })),
          'ResourceInUse',
          /dup-flow/,
          ResourceInUse,
        );
      });

      it('Describe and Delete of an unknown flow definition are ResourceNotFound', async () => {
        await rejectsWith(
          tandem.sagemaker.send(new DescribeFlowDefinitionCommand({ FlowDefinitionName: 'no-such-flow' })),
          'ResourceNotFound',
          /no-such-flow/,
          ResourceNotFound,
        );
        await rejectsWith(
          tandem.sagemaker.send(new DeleteFlowDefinitionCommand({ FlowDefinitionName: 'no-such-flow' })),
          'ResourceNotFound',
          /no-such-flow/,
          ResourceNotFound,
        );
      });

      it('concurrent creates of one name: one wins, the others are ResourceInUse (never a 500)', async () => {
        const racing = await Promise.allSettled(
          Array.from({ length: 8 }, () => tandem.sagemaker.send(new CreateFlowDefinitionCommand({ ...base(), FlowDefinitionName: 'racing-flow' }))),
        );
        const outcomes = racing.map((r) => (r.status === 'fulfilled' ? 'created' : (r.reason as Error).name)).sort();
        assert.deepEqual(outcomes, [...Array<string>(7).fill('ResourceInUse'), 'created']);
      });

      it('rejects invalid requests with ValidationException in AWS wording', async () => {
        const config = () => base().HumanLoopConfig;
        const otherAccountTeam = workteamArn('999988887777', 'fd-team');
        const cases: [string, CreateFlowDefinitionCommandInput, RegExp][] = [
          [
            'an upper-case name',
            { ...base(), FlowDefinitionName: 'Bad-Name' },
            oneViolation('flowDefinitionName', 'Member must satisfy regular expression pattern: \\^\\[a-z0-9\\]'),
          ],
          [
            'a name ending in a hyphen',
            { ...base(), FlowDefinitionName: 'bad-' },
            oneViolation('flowDefinitionName', 'Member must satisfy regular expression pattern: '),
          ],
          [
            'a 64-character name',
            { ...base(), FlowDefinitionName: 'a'.repeat(64) },
            /^2 validation errors detected: Value 'a{64}' at 'flowDefinitionName' failed to satisfy constraint: Member must have length less than or equal to 63; /,
          ],
          [
            'TaskCount 4',
            { ...base(), HumanLoopConfig: { ...config(), TaskCount: 4 } },
            /^1 validation error detected: Value '4' at 'humanLoopConfig\.taskCount' failed to satisfy constraint: Member must have value less than or equal to 3$/,
          ],
          [
            'TaskCount 0',
            { ...base(), HumanLoopConfig: { ...config(), TaskCount: 0 } },
            oneViolation('humanLoopConfig.taskCount', 'Member must have value greater than or equal to 1'),
          ],
          [
            'TaskTimeLimitInSeconds 29',
            { ...base(), HumanLoopConfig: { ...config(), TaskTimeLimitInSeconds: 29 } },
            oneViolation('humanLoopConfig.taskTimeLimitInSeconds', 'Member must have value greater than or equal to 30'),
          ],
          [
            'six task keywords',
            { ...base(), HumanLoopConfig: { ...config(), TaskKeywords: ['a', 'b', 'c', 'd', 'e', 'f'] } },
            oneViolation('humanLoopConfig.taskKeywords', 'Member must have length less than or equal to 5'),
          ],
          [
            'a bad task keyword',
            { ...base(), HumanLoopConfig: { ...config(), TaskKeywords: ['ok', 'not-ok'] } },
            oneViolation('humanLoopConfig.taskKeywords.2.member', 'Member must satisfy regular expression pattern: '),
          ],
          [
            'a price of 3 dollars',
            { ...base(), HumanLoopConfig: { ...config(), PublicWorkforceTaskPrice: { AmountInUsd: { Dollars: 3 } } } },
            oneViolation('humanLoopConfig.publicWorkforceTaskPrice.amountInUsd.dollars', 'Member must have value less than or equal to 2'),
          ],
          [
            'no FlowDefinitionName, OutputConfig or RoleArn',
            { HumanLoopConfig: config() } as unknown as CreateFlowDefinitionCommandInput,
            /^3 validation errors detected: Value null at 'flowDefinitionName' failed to satisfy constraint: Member must not be null; Value null at 'outputConfig' failed to satisfy constraint: Member must not be null; Value null at 'roleArn' failed to satisfy constraint: Member must not be null$/,
          ],
          [
            'no S3OutputPath',
            { ...base(), OutputConfig: {} as { S3OutputPath: string } },
            /^1 validation error detected: Value null at 'outputConfig\.s3OutputPath' failed to satisfy constraint: Member must not be null$/,
          ],
          [
            'a HumanLoopConfig without its required members',
            { ...base(), HumanLoopConfig: { WorkteamArn: team } as HumanLoopConfig },
            /^4 validation errors detected: Value null at 'humanLoopConfig\.humanTaskUiArn' failed to satisfy constraint: Member must not be null; .*'humanLoopConfig\.taskCount'/,
          ],
          ['no HumanLoopConfig', { ...base(), HumanLoopConfig: undefined }, /HumanLoopConfig/],
          [
            'a RoleArn that is not an IAM role',
            { ...base(), RoleArn: 'arn:aws:iam::111122223333:user/alice' },
            oneViolation('roleArn', 'Member must satisfy regular expression pattern: \\^arn:aws'),
          ],
          [
            'a short RoleArn',
            { ...base(), RoleArn: 'role/x' },
            /^2 validation errors detected: Value 'role\/x' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; /,
          ],
          [
            'an S3OutputPath that is not a URI',
            { ...base(), OutputConfig: { S3OutputPath: 'bucket/prefix' } },
            oneViolation('outputConfig.s3OutputPath', 'Member must satisfy regular expression pattern: '),
          ],
          [
            'a WorkteamArn that is not a work team ARN',
            { ...base(), HumanLoopConfig: { ...config(), WorkteamArn: ui } },
            oneViolation('humanLoopConfig.workteamArn', 'Member must satisfy regular expression pattern: '),
          ],
          [
            'an unknown WorkteamArn',
            { ...base(), HumanLoopConfig: { ...config(), WorkteamArn: team.replace('fd-team', 'no-such-team') } },
            /no-such-team/,
          ],
          ['a WorkteamArn of another account', { ...base(), HumanLoopConfig: { ...config(), WorkteamArn: otherAccountTeam } }, /999988887777/],
          [
            'an unknown HumanTaskUiArn',
            { ...base(), HumanLoopConfig: { ...config(), HumanTaskUiArn: ui.replace('fd-ui', 'no-such-ui') } },
            /no-such-ui/,
          ],
          [
            'activation conditions without a request source',
            {
              ...base(),
              HumanLoopActivationConfig: { HumanLoopActivationConditionsConfig: { HumanLoopActivationConditions: TEXTRACT_CONDITIONS } },
            },
            /HumanLoopRequestSource/,
          ],
          [
            'malformed activation conditions JSON',
            {
              ...base(),
              HumanLoopRequestSource: { AwsManagedHumanLoopRequestSource: TEXTRACT },
              HumanLoopActivationConfig: { HumanLoopActivationConditionsConfig: { HumanLoopActivationConditions: '{"Conditions": [' } },
            },
            /HumanLoopActivationConditions.*JSON/,
          ],
          [
            'a condition type of the other source',
            {
              ...base(),
              HumanLoopRequestSource: { AwsManagedHumanLoopRequestSource: TEXTRACT },
              HumanLoopActivationConfig: { HumanLoopActivationConditionsConfig: { HumanLoopActivationConditions: REKOGNITION_CONDITIONS } },
            },
            /ModerationLabelConfidenceCheck/,
          ],
          [
            'an And with one condition',
            {
              ...base(),
              HumanLoopRequestSource: { AwsManagedHumanLoopRequestSource: REKOGNITION },
              HumanLoopActivationConfig: {
                HumanLoopActivationConditionsConfig: {
                  HumanLoopActivationConditions: JSON.stringify({
                    Conditions: [{ And: [{ ConditionType: 'Sampling', ConditionParameters: { RandomSamplingPercentage: 1 } }] }],
                  }),
                },
              },
            },
            /And/,
          ],
          [
            'an unknown request source',
            { ...base(), HumanLoopRequestSource: { AwsManagedHumanLoopRequestSource: 'AWS/Comprehend/V1' as typeof TEXTRACT } },
            oneViolation('humanLoopRequestSource.awsManagedHumanLoopRequestSource', 'Member must satisfy enum value set: '),
          ],
          [
            'a bad tag key',
            { ...base(), Tags: [{ Key: '', Value: 'v' }] },
            oneViolation('tags.1.member.key', 'Member must have length greater than or equal to 1'),
          ],
        ];
        for (const [index, [label, input, message]] of cases.entries()) {
          const request = { ...input, FlowDefinitionName: input.FlowDefinitionName === 'unused' ? `invalid-${index}` : input.FlowDefinitionName };
          await rejectsWith(tandem.sagemaker.send(new CreateFlowDefinitionCommand(request)), 'ValidationException', message).catch(
            (error: Error) => {
              throw new Error(`${label}: ${error.message}`);
            },
          );
        }
        // Nothing was created by the rejected requests.
        const { FlowDefinitionSummaries } = await tandem.sagemaker.send(new ListFlowDefinitionsCommand({ MaxResults: 100 }));
        assert.deepEqual(FlowDefinitionSummaries?.filter((s) => s.FlowDefinitionName!.startsWith('invalid-')), []);
      });
    });

    describe('DeleteFlowDefinition', () => {
      it('deletes, and then the flow definition is gone and its name free', async () => {
        await tandem.sagemaker.send(new CreateFlowDefinitionCommand({ ...base(), FlowDefinitionName: 'delete-me' }));
        assert.deepEqual(
          Object.keys(await tandem.sagemaker.send(new DeleteFlowDefinitionCommand({ FlowDefinitionName: 'delete-me' }))).filter(
            (key) => key !== '$metadata',
          ),
          [],
        );
        await rejectsWith(tandem.sagemaker.send(new DescribeFlowDefinitionCommand({ FlowDefinitionName: 'delete-me' })), 'ResourceNotFound');
        await rejectsWith(tandem.sagemaker.send(new DeleteFlowDefinitionCommand({ FlowDefinitionName: 'delete-me' })), 'ResourceNotFound');
        await tandem.sagemaker.send(new CreateFlowDefinitionCommand({ ...base(), FlowDefinitionName: 'delete-me' }));
      });

      it('a flow definition with an InProgress human loop is ResourceInUse until the loop is stopped', async () => {
        const { FlowDefinitionArn } = await tandem.sagemaker.send(
          new CreateFlowDefinitionCommand({ ...base(), FlowDefinitionName: 'busy-flow' }),
        );
        await tandem.a2i.send(
          new StartHumanLoopCommand({
            HumanLoopName: 'busy-loop',
            FlowDefinitionArn,
            HumanLoopInput: { InputContent: JSON.stringify({ question: 'Cat or dog?', text: 'meow' }) },
          }),
        );
        await rejectsWith(
          tandem.sagemaker.send(new DeleteFlowDefinitionCommand({ FlowDefinitionName: 'busy-flow' })),
          'ResourceInUse',
          /busy-flow/,
          ResourceInUse,
        );
        const described = await tandem.sagemaker.send(new DescribeFlowDefinitionCommand({ FlowDefinitionName: 'busy-flow' }));
        assert.equal(described.FlowDefinitionStatus, 'Active');

        await tandem.a2i.send(new StopHumanLoopCommand({ HumanLoopName: 'busy-loop' }));
        await tandem.sagemaker.send(new DeleteFlowDefinitionCommand({ FlowDefinitionName: 'busy-flow' }));
        await rejectsWith(tandem.sagemaker.send(new DescribeFlowDefinitionCommand({ FlowDefinitionName: 'busy-flow' })), 'ResourceNotFound');
      });

      it('a flow definition created while its work team or task UI is deleted never outlives them', async () => {
        for (let round = 0; round < 6; round++) {
          const { WorkteamArn, HumanTaskUiArn } = await createTeamAndUi(tandem.sagemaker, `race${round}`);
          const deleteTeamOrUi =
            round % 2 === 0
              ? tandem.sagemaker.send(new DeleteWorkteamCommand({ WorkteamName: `race${round}-team` }))
              : tandem.sagemaker.send(new DeleteHumanTaskUiCommand({ HumanTaskUiName: `race${round}-ui` }));
          const [created, deleted] = await Promise.allSettled([
            tandem.sagemaker.send(
              new CreateFlowDefinitionCommand({
                ...base(),
                FlowDefinitionName: `race${round}-flow`,
                HumanLoopConfig: { ...base().HumanLoopConfig, WorkteamArn, HumanTaskUiArn },
              }),
            ),
            deleteTeamOrUi,
          ]);
          const outcome = [created, deleted].map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error).name)).join('+');
          // Either the flow definition came first (the delete is refused) or the delete did (the create is refused).
          assert.ok(['ok+ResourceInUse', 'ValidationException+ok'].includes(outcome), `round ${round}: ${outcome}`);
        }
      });

      it('deleting the last flow definition that uses a team and a task UI frees them', async () => {
        const { WorkteamArn, HumanTaskUiArn } = await createTeamAndUi(tandem.sagemaker, 'freed');
        await tandem.sagemaker.send(
          new CreateFlowDefinitionCommand({
            ...base(),
            FlowDefinitionName: 'freed-flow',
            HumanLoopConfig: { ...base().HumanLoopConfig, WorkteamArn, HumanTaskUiArn },
          }),
        );
        await rejectsWith(tandem.sagemaker.send(new DeleteHumanTaskUiCommand({ HumanTaskUiName: 'freed-ui' })), 'ResourceInUse');
        await rejectsWith(tandem.sagemaker.send(new DeleteWorkteamCommand({ WorkteamName: 'freed-team' })), 'ResourceInUse');
        await tandem.sagemaker.send(new DeleteFlowDefinitionCommand({ FlowDefinitionName: 'freed-flow' }));
        await tandem.sagemaker.send(new DeleteHumanTaskUiCommand({ HumanTaskUiName: 'freed-ui' }));
        await tandem.sagemaker.send(new DeleteWorkteamCommand({ WorkteamName: 'freed-team' }));
      });
    });

    describe('ListFlowDefinitions', () => {
      // A separate account, so the flow definitions other tests create do not show up here.
      let client: SageMakerClient;
      const accountId = '222200000011';
      /** In creation order. */
      const NAMES = ['list-c', 'list-a', 'list-e', 'list-b', 'list-g', 'list-d', 'list-f'];
      const times = new Map<string, Date>();

      before(async () => {
        client = tandem.clientsFor(await tandem.createAccount(accountId)).sagemaker;
        const refs = await createTeamAndUi(client, 'list');
        for (const name of NAMES) {
          await client.send(
            new CreateFlowDefinitionCommand({
              FlowDefinitionName: name,
              RoleArn: `arn:aws:iam::${accountId}:role/r`,
              OutputConfig: { S3OutputPath: 's3://list-bucket/out' },
              HumanLoopConfig: { ...refs, TaskTitle: 't', TaskDescription: 'd', TaskCount: 1 },
            }),
          );
          const { CreationTime } = await client.send(new DescribeFlowDefinitionCommand({ FlowDefinitionName: name }));
          times.set(name, CreationTime!);
          await sleep(3); // distinct creation times
        }
      });
      after(() => client?.destroy());

      it('returns summaries, newest first by default', async () => {
        const { FlowDefinitionSummaries, NextToken } = await client.send(new ListFlowDefinitionsCommand({}));
        assert.equal(NextToken, undefined);
        assert.deepEqual(FlowDefinitionSummaries?.map((s) => s.FlowDefinitionName), [...NAMES].reverse());
        assert.deepEqual(FlowDefinitionSummaries?.at(-1), {
          FlowDefinitionName: 'list-c',
          FlowDefinitionArn: flowDefinitionArn(accountId, 'list-c'),
          FlowDefinitionStatus: 'Active',
          CreationTime: times.get('list-c'),
        });
        const ascending = await client.send(new ListFlowDefinitionsCommand({ SortOrder: 'Ascending' }));
        assert.deepEqual(ascending.FlowDefinitionSummaries?.map((s) => s.FlowDefinitionName), NAMES);
      });

      it('CreationTimeAfter is inclusive (>=), CreationTimeBefore exclusive (<)', async () => {
        const names = async (input: ListFlowDefinitionsCommandInput) =>
          (await client.send(new ListFlowDefinitionsCommand({ ...input, SortOrder: 'Ascending' }))).FlowDefinitionSummaries!.map(
            (s) => s.FlowDefinitionName,
          );
        const third = times.get(NAMES[2]!)!;
        const fifth = times.get(NAMES[4]!)!;
        assert.deepEqual(await names({ CreationTimeAfter: third }), NAMES.slice(2));
        assert.deepEqual(await names({ CreationTimeAfter: new Date(third.getTime() + 1) }), NAMES.slice(3));
        assert.deepEqual(await names({ CreationTimeBefore: fifth }), NAMES.slice(0, 4));
        assert.deepEqual(await names({ CreationTimeAfter: third, CreationTimeBefore: fifth }), NAMES.slice(2, 4));
        assert.deepEqual(await names({ CreationTimeAfter: new Date(Date.now() + 60_000) }), []);
        assert.deepEqual(await names({ CreationTimeBefore: new Date(Date.now() - 3_600_000) }), []);
        assert.deepEqual(await names({ CreationTimeAfter: fifth, CreationTimeBefore: third }), []);
      });

      it('pages through every flow definition exactly once, in order, with and without filters', async () => {
        for (const SortOrder of ['Ascending', 'Descending'] as const) {
          const ordered = SortOrder === 'Ascending' ? NAMES : [...NAMES].reverse();
          for (const MaxResults of [1, 2, 3]) {
            assert.deepEqual(await listAll(client, { SortOrder, MaxResults }), ordered, `${SortOrder} MaxResults ${MaxResults}`);
          }
          const CreationTimeAfter = times.get(NAMES[1]!)!;
          const CreationTimeBefore = times.get(NAMES[6]!)!;
          const filtered = NAMES.slice(1, 6);
          assert.deepEqual(
            await listAll(client, { SortOrder, MaxResults: 2, CreationTimeAfter, CreationTimeBefore }),
            SortOrder === 'Ascending' ? filtered : [...filtered].reverse(),
          );
        }
      });

      it('MaxResults outside 1..100 is ValidationException', async () => {
        await rejectsWith(
          client.send(new ListFlowDefinitionsCommand({ MaxResults: 0 })),
          'ValidationException',
          oneViolation('maxResults', 'Member must have value greater than or equal to 1'),
        );
        await rejectsWith(
          client.send(new ListFlowDefinitionsCommand({ MaxResults: 101 })),
          'ValidationException',
          oneViolation('maxResults', 'Member must have value less than or equal to 100'),
        );
      });

      it('a tampered NextToken, or one from another query, is ValidationException (400, not 5xx)', async () => {
        const { NextToken } = await client.send(new ListFlowDefinitionsCommand({ MaxResults: 2 }));
        assert.ok(NextToken);
        const [body = '', signature = ''] = NextToken.split('.');
        const forged = Buffer.from(JSON.stringify([0, 'list-a'])).toString('base64url');
        for (const token of [`${forged}.${signature}`, `${body}.${signature.slice(1)}A`, 'garbage', `${body}.`]) {
          await rejectsWith(client.send(new ListFlowDefinitionsCommand({ MaxResults: 2, NextToken: token })), 'ValidationException', /token/i);
        }
        for (const other of [
          { SortOrder: 'Ascending' as const },
          { CreationTimeAfter: times.get(NAMES[0]!)! },
          { CreationTimeBefore: new Date() },
        ]) {
          await rejectsWith(client.send(new ListFlowDefinitionsCommand({ ...other, NextToken })), 'ValidationException', /token/i);
        }
        await rejectsWith(tandem.sagemaker.send(new ListFlowDefinitionsCommand({ NextToken })), 'ValidationException', /token/i);
        const next = await client.send(new ListFlowDefinitionsCommand({ MaxResults: 3, NextToken }));
        assert.deepEqual(next.FlowDefinitionSummaries?.map((s) => s.FlowDefinitionName), [...NAMES].reverse().slice(2, 5));
      });
    });
  });
}
