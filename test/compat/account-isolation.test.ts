/**
 * Account isolation through a listening Tandem and the real SDK clients: account B's key reaches
 * none of account A's human loops, flow definitions, human task UIs or work teams, by name or by
 * ARN. B gets ResourceNotFound(Exception), never A's data, and A's resources are unchanged after.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateFlowDefinitionCommand,
  CreateHumanTaskUiCommand,
  CreateWorkteamCommand,
  DeleteFlowDefinitionCommand,
  DeleteHumanTaskUiCommand,
  DeleteWorkteamCommand,
  DescribeFlowDefinitionCommand,
  DescribeHumanTaskUiCommand,
  DescribeWorkteamCommand,
  ListFlowDefinitionsCommand,
  ListHumanTaskUisCommand,
  ListWorkteamsCommand,
  RenderUiTemplateCommand,
  UpdateWorkteamCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  DeleteHumanLoopCommand,
  DescribeHumanLoopCommand,
  ListHumanLoopsCommand,
  StartHumanLoopCommand,
  StopHumanLoopCommand,
  type SageMakerA2IRuntimeClient,
} from '@aws-sdk/client-sagemaker-a2i-runtime';
import { flowDefinitionArn, humanLoopArn } from '../support/arns.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { createReviewSetup, SIMPLE_TEMPLATE } from '../support/fixtures.js';
import { TEST_ACCOUNT_ID, startTestTandem, type TestTandem } from '../support/tandem.js';

const ACCOUNT_B = '999988887777';
const INPUT = JSON.stringify({ question: 'Cat or dog?', text: 'secret of account A' });

interface ServiceError {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
}

/** The call must fail as not found, and its message must not leak A's ARNs or data. */
async function notFound(promise: Promise<unknown>, name: 'ResourceNotFoundException' | 'ResourceNotFound') {
  let caught: ServiceError | undefined;
  await assert.rejects(promise, (error: ServiceError) => {
    caught = error;
    return true;
  });
  assert.equal(caught!.name, name, `${caught!.name}: ${caught!.message}`);
  assert.equal(caught!.$metadata.httpStatusCode, name === 'ResourceNotFoundException' ? 404 : 400);
  assert.doesNotMatch(caught!.message, /secret of account A/);
}

for (const dialect of DIALECTS) {
  describe(dialect, { skip: dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    let a: { a2i: SageMakerA2IRuntimeClient; sagemaker: SageMakerClient };
    let b: { a2i: SageMakerA2IRuntimeClient; sagemaker: SageMakerClient };
    let setupA: { WorkteamArn: string; HumanTaskUiArn: string; FlowDefinitionArn: string };
    /** A's resources as A saw them before B tried anything. */
    let snapshot: () => Promise<unknown>;
    let before_: unknown;

    before(async () => {
      tandem = await startTestTandem(dialect);
      a = { a2i: tandem.a2i, sagemaker: tandem.sagemaker };
      b = tandem.clientsFor(await tandem.createAccount(ACCOUNT_B));
      setupA = await createReviewSetup(tandem, 'iso');
      await a.a2i.send(
        new StartHumanLoopCommand({ HumanLoopName: 'a-running', FlowDefinitionArn: setupA.FlowDefinitionArn, HumanLoopInput: { InputContent: INPUT } }),
      );
      await a.a2i.send(
        new StartHumanLoopCommand({ HumanLoopName: 'a-stopped', FlowDefinitionArn: setupA.FlowDefinitionArn, HumanLoopInput: { InputContent: INPUT } }),
      );
      await a.a2i.send(new StopHumanLoopCommand({ HumanLoopName: 'a-stopped' }));

      snapshot = async () => {
        const strip = <T extends { $metadata: unknown }>(output: T): Omit<T, '$metadata'> => {
          const { $metadata: _metadata, ...rest } = output;
          return rest;
        };
        const ui = strip(await a.sagemaker.send(new DescribeHumanTaskUiCommand({ HumanTaskUiName: 'iso-ui' })));
        return {
          loops: await Promise.all(
            ['a-running', 'a-stopped'].map(async (name) => strip(await a.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: name })))),
          ),
          listed: strip(await a.a2i.send(new ListHumanLoopsCommand({ FlowDefinitionArn: setupA.FlowDefinitionArn, SortOrder: 'Ascending' }))),
          flow: strip(await a.sagemaker.send(new DescribeFlowDefinitionCommand({ FlowDefinitionName: 'iso-flow' }))),
          // The template URL is signed afresh on each call; its content hash is what must not change.
          ui: { ...ui, UiTemplate: { ContentSha256: ui.UiTemplate?.ContentSha256 } },
          team: strip(await a.sagemaker.send(new DescribeWorkteamCommand({ WorkteamName: 'iso-team' }))),
          rows: await tandem.resources.store.db
            .selectFrom('human_loops')
            .select(['name', 'status', 'input_content', 'account_id'])
            .where('account_id', '=', TEST_ACCOUNT_ID)
            .orderBy('name')
            .execute(),
        };
      };
      before_ = await snapshot();
    });
    after(async () => {
      b?.a2i.destroy();
      b?.sagemaker.destroy();
      await tandem?.stop();
    });

    describe("B cannot reach A's human loops", () => {
      test('Describe, Stop and Delete by name are ResourceNotFoundException', async () => {
        for (const name of ['a-running', 'a-stopped']) {
          await notFound(b.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: name })), 'ResourceNotFoundException');
          await notFound(b.a2i.send(new StopHumanLoopCommand({ HumanLoopName: name })), 'ResourceNotFoundException');
          await notFound(b.a2i.send(new DeleteHumanLoopCommand({ HumanLoopName: name })), 'ResourceNotFoundException');
        }
      });

      test("List with A's flow ARN is ResourceNotFoundException, not A's loops", async () => {
        await notFound(b.a2i.send(new ListHumanLoopsCommand({ FlowDefinitionArn: setupA.FlowDefinitionArn })), 'ResourceNotFoundException');
      });

      test("Start against A's flow ARN is ResourceNotFoundException and creates nothing", async () => {
        await notFound(
          b.a2i.send(
            new StartHumanLoopCommand({ HumanLoopName: 'b-intruder', FlowDefinitionArn: setupA.FlowDefinitionArn, HumanLoopInput: { InputContent: '{}' } }),
          ),
          'ResourceNotFoundException',
        );
        // Reusing A's loop name and input on A's flow is no way in either.
        await notFound(
          b.a2i.send(
            new StartHumanLoopCommand({ HumanLoopName: 'a-running', FlowDefinitionArn: setupA.FlowDefinitionArn, HumanLoopInput: { InputContent: INPUT } }),
          ),
          'ResourceNotFoundException',
        );
        const rows = await tandem.resources.store.db.selectFrom('human_loops').select('name').where('account_id', '=', ACCOUNT_B).execute();
        assert.deepEqual(rows, []);
      });
    });

    describe("B cannot reach A's SageMaker resources", () => {
      test('Describe and Delete by name are ResourceNotFound', async () => {
        await notFound(b.sagemaker.send(new DescribeFlowDefinitionCommand({ FlowDefinitionName: 'iso-flow' })), 'ResourceNotFound');
        await notFound(b.sagemaker.send(new DeleteFlowDefinitionCommand({ FlowDefinitionName: 'iso-flow' })), 'ResourceNotFound');
        await notFound(b.sagemaker.send(new DescribeHumanTaskUiCommand({ HumanTaskUiName: 'iso-ui' })), 'ResourceNotFound');
        await notFound(b.sagemaker.send(new DeleteHumanTaskUiCommand({ HumanTaskUiName: 'iso-ui' })), 'ResourceNotFound');
        await notFound(b.sagemaker.send(new DescribeWorkteamCommand({ WorkteamName: 'iso-team' })), 'ResourceNotFound');
        await notFound(b.sagemaker.send(new DeleteWorkteamCommand({ WorkteamName: 'iso-team' })), 'ResourceNotFound');
        await notFound(
          b.sagemaker.send(new UpdateWorkteamCommand({ WorkteamName: 'iso-team', Description: 'taken over by B' })),
          'ResourceNotFound',
        );
      });

      test("RenderUiTemplate with A's task UI ARN is ResourceNotFound", async () => {
        await notFound(
          b.sagemaker.send(
            new RenderUiTemplateCommand({ HumanTaskUiArn: setupA.HumanTaskUiArn, Task: { Input: '{}' }, RoleArn: 'arn:aws:iam::999988887777:role/r' }),
          ),
          'ResourceNotFound',
        );
      });

      test('Lists as B return none of A’s items', async () => {
        const flows = await b.sagemaker.send(new ListFlowDefinitionsCommand({}));
        assert.deepEqual(flows.FlowDefinitionSummaries, []);
        const uis = await b.sagemaker.send(new ListHumanTaskUisCommand({}));
        assert.deepEqual(uis.HumanTaskUiSummaries, []);
        const teams = await b.sagemaker.send(new ListWorkteamsCommand({}));
        assert.deepEqual(teams.Workteams, []);
        const named = await b.sagemaker.send(new ListWorkteamsCommand({ NameContains: 'iso' }));
        assert.deepEqual(named.Workteams, []);
      });

      test("B cannot build a flow definition on A's work team or task UI", async () => {
        const { WorkteamArn } = await b.sagemaker.send(
          new CreateWorkteamCommand({
            WorkteamName: 'b-team',
            Description: 'B reviewers',
            MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'us-east-1_b', UserGroup: 'b', ClientId: 'b' } }],
          }),
        );
        const { HumanTaskUiArn } = await b.sagemaker.send(
          new CreateHumanTaskUiCommand({ HumanTaskUiName: 'b-ui', UiTemplate: { Content: SIMPLE_TEMPLATE } }),
        );
        const flow = (workteam: string, ui: string) =>
          b.sagemaker.send(
            new CreateFlowDefinitionCommand({
              FlowDefinitionName: 'b-borrowing',
              RoleArn: 'arn:aws:iam::999988887777:role/r',
              OutputConfig: { S3OutputPath: 's3://b-bucket/out' },
              HumanLoopConfig: {
                WorkteamArn: workteam,
                HumanTaskUiArn: ui,
                TaskTitle: 't',
                TaskDescription: 'd',
                TaskCount: 1,
              },
            }),
          );
        for (const attempt of [flow(setupA.WorkteamArn, HumanTaskUiArn!), flow(WorkteamArn!, setupA.HumanTaskUiArn)]) {
          await assert.rejects(attempt, (error: ServiceError) => {
            assert.notEqual(error.name, 'ResourceInUse');
            assert.equal(error.$metadata.httpStatusCode, 400);
            return true;
          });
        }
        await notFound(b.sagemaker.send(new DescribeFlowDefinitionCommand({ FlowDefinitionName: 'b-borrowing' })), 'ResourceNotFound');
      });
    });

    describe('names are per account', () => {
      test("B may use A's names; each account sees its own resource and ARN", async () => {
        const setupB = await createReviewSetup(
          { ...tandem, a2i: b.a2i, sagemaker: b.sagemaker } as TestTandem,
          'iso',
          { bucket: 'test-bucket-b' }, // buckets, unlike names, belong to one account
        );
        assert.equal(setupB.FlowDefinitionArn, flowDefinitionArn(ACCOUNT_B, 'iso-flow'));
        assert.notEqual(setupB.WorkteamArn, setupA.WorkteamArn);
        assert.notEqual(setupB.HumanTaskUiArn, setupA.HumanTaskUiArn);

        const { HumanLoopArn } = await b.a2i.send(
          new StartHumanLoopCommand({ HumanLoopName: 'a-running', FlowDefinitionArn: setupB.FlowDefinitionArn, HumanLoopInput: { InputContent: '{"b":true}' } }),
        );
        assert.equal(HumanLoopArn, humanLoopArn(ACCOUNT_B, 'a-running'));
        const mine = await b.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: 'a-running' }));
        assert.equal(mine.FlowDefinitionArn, setupB.FlowDefinitionArn);

        const listedB = await b.a2i.send(new ListHumanLoopsCommand({ FlowDefinitionArn: setupB.FlowDefinitionArn }));
        assert.deepEqual(listedB.HumanLoopSummaries!.map((s) => s.HumanLoopName), ['a-running']);
        assert.deepEqual(
          (await b.sagemaker.send(new ListFlowDefinitionsCommand({}))).FlowDefinitionSummaries!.map((s) => s.FlowDefinitionArn),
          [setupB.FlowDefinitionArn],
        );

        // A still lists only A's loops on A's same-named flow, and B's ARN is still foreign to A.
        const listedA = await a.a2i.send(new ListHumanLoopsCommand({ FlowDefinitionArn: setupA.FlowDefinitionArn, SortOrder: 'Ascending' }));
        assert.deepEqual(listedA.HumanLoopSummaries!.map((s) => s.HumanLoopName), ['a-running', 'a-stopped']);
        await notFound(a.a2i.send(new ListHumanLoopsCommand({ FlowDefinitionArn: setupB.FlowDefinitionArn })), 'ResourceNotFoundException');

        // B stopping and deleting "its" a-running touches B's loop only.
        await b.a2i.send(new StopHumanLoopCommand({ HumanLoopName: 'a-running' }));
        await b.a2i.send(new DeleteHumanLoopCommand({ HumanLoopName: 'a-running' }));
        assert.equal((await a.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: 'a-running' }))).HumanLoopStatus, 'InProgress');
      });
    });

    test("A's resources are unchanged after everything B did", async () => {
      assert.deepEqual(await snapshot(), before_);
      const outboxA = await tandem.resources.store.db
        .selectFrom('outbox')
        .select(['topic', 'subject_arn'])
        .where('account_id', '=', TEST_ACCOUNT_ID)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        outboxA.map((row) => `${row.topic} ${row.subject_arn.split(':').at(-1)}`),
        [
          'human-loop.created human-loop/a-running',
          'human-loop.created human-loop/a-stopped',
          'human-loop.stopping human-loop/a-stopped',
          'human-loop.stopped human-loop/a-stopped',
        ],
      );
    });
  });
}
