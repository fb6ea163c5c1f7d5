/**
 * Work teams through the real `@aws-sdk/client-sagemaker` against a listening Tandem, on both
 * dialects: CreateWorkteam, DescribeWorkteam, ListWorkteams, UpdateWorkteam and DeleteWorkteam
 * behave as the SDK's models and doc comments say, and fail with the exceptions they name.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import {
  CreateFlowDefinitionCommand,
  CreateHumanTaskUiCommand,
  CreateWorkteamCommand,
  DeleteFlowDefinitionCommand,
  DeleteWorkteamCommand,
  DescribeWorkteamCommand,
  ListWorkteamsCommand,
  ResourceInUse,
  ResourceLimitExceeded,
  ResourceNotFound,
  UpdateWorkteamCommand,
  type CreateWorkteamCommandInput,
  type ListWorkteamsCommandInput,
  type MemberDefinition,
  type SageMakerClient,
  type Workteam,
} from '@aws-sdk/client-sagemaker';
import { listWorkteams as listWorkteamRows } from '../../src/store/workteams.js';
import { TEST_ROLE_ARN, workteamArn } from '../support/arns.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { SIMPLE_TEMPLATE } from '../support/fixtures.js';
import { collectPages } from '../support/paging.js';
import { assertRecent, oneViolation, rejectsWith } from '../support/sdk-assertions.js';
import { TEST_ACCOUNT_ID, TEST_REGION, useTestTandem, type TestTandem } from '../support/tandem.js';

const COGNITO = { UserPool: 'us-east-1_tandemPool', ClientId: 'tandem-client' };

const cognitoMember = (group: string): MemberDefinition => ({ CognitoMemberDefinition: { ...COGNITO, UserGroup: group } });
const oidcMember = (...groups: string[]): MemberDefinition => ({ OidcMemberDefinition: { Groups: groups } });

/** The names in every page of a listing, following NextToken; each page must respect MaxResults. */
async function listAll(client: SageMakerClient, input: ListWorkteamsCommandInput): Promise<string[]> {
  const { items } = await collectPages(
    async (NextToken) => {
      const page = await client.send(new ListWorkteamsCommand({ ...input, NextToken }));
      return { items: page.Workteams!.map((team) => team.WorkteamName!), nextToken: page.NextToken };
    },
    { maxResults: input.MaxResults },
  );
  return items;
}

for (const dialect of DIALECTS) {
  describe(dialect, { skip: dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    useTestTandem(dialect, (started) => (tandem = started));

    describe('CreateWorkteam and DescribeWorkteam', () => {
      it('stores every request member and returns it from DescribeWorkteam', async () => {
        const input: CreateWorkteamCommandInput = {
          WorkteamName: 'Full-Team-1',
          WorkforceName: 'my-workforce',
          Description: 'Reviews invoices',
          MemberDefinitions: [cognitoMember('reviewers'), cognitoMember('auditors')],
          NotificationConfiguration: { NotificationTopicArn: `arn:aws:sns:us-east-1:${TEST_ACCOUNT_ID}:work-available` },
          WorkerAccessConfiguration: { S3Presign: { IamPolicyConstraints: { SourceIp: 'Enabled', VpcSourceIp: 'Disabled' } } },
          Tags: [{ Key: 'team', Value: 'finance' }],
        };
        const created = await tandem.sagemaker.send(new CreateWorkteamCommand(input));
        assert.equal(created.WorkteamArn, workteamArn(TEST_ACCOUNT_ID, 'Full-Team-1'));

        const { Workteam: team } = await tandem.sagemaker.send(new DescribeWorkteamCommand({ WorkteamName: 'Full-Team-1' }));
        assert.ok(team);
        assert.equal(team.WorkteamName, 'Full-Team-1');
        assert.equal(team.WorkteamArn, created.WorkteamArn);
        assert.equal(team.Description, 'Reviews invoices');
        assert.deepEqual(team.MemberDefinitions, input.MemberDefinitions);
        assert.deepEqual(team.NotificationConfiguration, input.NotificationConfiguration);
        assert.deepEqual(team.WorkerAccessConfiguration, input.WorkerAccessConfiguration);
        assert.equal(team.WorkforceArn, `arn:aws:sagemaker:${TEST_REGION}:${TEST_ACCOUNT_ID}:workforce/my-workforce`);
        assert.deepEqual(team.ProductListingIds, []);
        assert.equal(typeof team.SubDomain, 'string');
        assertRecent(team.CreateDate, 'CreateDate');
        assertRecent(team.LastUpdatedDate, 'LastUpdatedDate');
      });

      it('keeps OIDC groups, and leaves optional members out when they were not given', async () => {
        const input = { WorkteamName: 'oidc-team', Description: 'OIDC reviewers', MemberDefinitions: [oidcMember('g1', 'g2')] };
        await tandem.sagemaker.send(new CreateWorkteamCommand(input));
        const { Workteam: team } = await tandem.sagemaker.send(new DescribeWorkteamCommand({ WorkteamName: 'oidc-team' }));
        assert.deepEqual(team?.MemberDefinitions, [{ OidcMemberDefinition: { Groups: ['g1', 'g2'] } }]);
        assert.equal(team?.NotificationConfiguration, undefined);
        assert.equal(team?.WorkerAccessConfiguration, undefined);
        assert.match(team?.WorkforceArn ?? '', /:workforce\/default$/);
      });

      it('a taken name is ResourceInUse', async () => {
        const input = { WorkteamName: 'dup-team', Description: 'first', MemberDefinitions: [cognitoMember('g')] };
        await tandem.sagemaker.send(new CreateWorkteamCommand(input));
        await rejectsWith(
          tandem.sagemaker.send(new CreateWorkteamCommand({ ...input, Description: 'second' })),
          'ResourceInUse',
          /dup-team/,
          ResourceInUse,
        );
        const { Workteam } = await tandem.sagemaker.send(new DescribeWorkteamCommand({ WorkteamName: 'dup-team' }));
        assert.equal(Workteam?.Description, 'first');
      });

      it('DescribeWorkteam of an unknown team is ResourceNotFound', async () => {
        await rejectsWith(
          tandem.sagemaker.send(new DescribeWorkteamCommand({ WorkteamName: 'no-such-team' })),
          'ResourceNotFound',
          /no-such-team/,
          ResourceNotFound,
        );
      });

      it('rejects invalid requests with ValidationException in AWS wording', async () => {
        const valid = { WorkteamName: 'valid-name', Description: 'd', MemberDefinitions: [cognitoMember('g')] };
        const cases: [string, CreateWorkteamCommandInput, RegExp][] = [
          [
            'a name with an underscore',
            { ...valid, WorkteamName: 'bad_name' },
            oneViolation('workteamName', 'Member must satisfy regular expression pattern: '),
          ],
          [
            'a name starting with a hyphen',
            { ...valid, WorkteamName: '-lead' },
            oneViolation('workteamName', 'Member must satisfy regular expression pattern: '),
          ],
          [
            'a 64-character name',
            { ...valid, WorkteamName: 'a'.repeat(64) },
            new RegExp(
              "^2 validation errors detected: Value 'a{64}' at 'workteamName' failed to satisfy constraint: Member must have length less than or equal to 63; " +
                "Value 'a{64}' at 'workteamName' failed to satisfy constraint: Member must satisfy regular expression pattern: ",
            ),
          ],
          [
            'a 201-character description',
            { ...valid, Description: 'x'.repeat(201) },
            oneViolation('description', 'Member must have length less than or equal to 200'),
          ],
          [
            'no MemberDefinitions',
            { ...valid, MemberDefinitions: undefined } as unknown as CreateWorkteamCommandInput,
            /^1 validation error detected: Value null at 'memberDefinitions' failed to satisfy constraint: Member must not be null$/,
          ],
          [
            'an empty MemberDefinitions list',
            { ...valid, MemberDefinitions: [] },
            oneViolation('memberDefinitions', 'Member must have length greater than or equal to 1'),
          ],
          [
            'no Description',
            { ...valid, Description: undefined } as unknown as CreateWorkteamCommandInput,
            /^1 validation error detected: Value null at 'description' failed to satisfy constraint: Member must not be null$/,
          ],
          [
            'Cognito and OIDC in one member',
            { ...valid, MemberDefinitions: [{ ...cognitoMember('g'), ...oidcMember('o') }] },
            oneViolation('memberDefinitions.1.member', 'Exactly one of \\[cognitoMemberDefinition, oidcMemberDefinition\\] must be set'),
          ],
          [
            'a member with neither',
            { ...valid, MemberDefinitions: [{}] },
            oneViolation('memberDefinitions.1.member', 'Exactly one of'),
          ],
          [
            'a bad SNS topic ARN',
            { ...valid, NotificationConfiguration: { NotificationTopicArn: 'arn:aws:sqs:us-east-1:123456789012:q' } },
            oneViolation('notificationConfiguration.notificationTopicArn', 'Member must satisfy regular expression pattern: '),
          ],
          [
            'an unknown EnabledOrDisabled value',
            {
              ...valid,
              WorkerAccessConfiguration: { S3Presign: { IamPolicyConstraints: { SourceIp: 'Maybe' as 'Enabled' } } },
            },
            oneViolation(
              'workerAccessConfiguration.s3Presign.iamPolicyConstraints.sourceIp',
              'Member must satisfy enum value set: \\[Enabled, Disabled\\]',
            ),
          ],
          [
            'Cognito members mixed with OIDC members',
            { ...valid, MemberDefinitions: [cognitoMember('g'), oidcMember('o')] },
            /Cognito.*OIDC|OIDC.*Cognito|CognitoMemberDefinition.*OidcMemberDefinition/,
          ],
          [
            'Cognito members of two user pools',
            {
              ...valid,
              MemberDefinitions: [
                cognitoMember('g'),
                { CognitoMemberDefinition: { UserPool: 'us-east-1_other', UserGroup: 'g', ClientId: COGNITO.ClientId } },
              ],
            },
            /same ClientId and UserPool/,
          ],
        ];
        for (const [label, input, message] of cases) {
          await rejectsWith(tandem.sagemaker.send(new CreateWorkteamCommand(input)), 'ValidationException', message).catch(
            (error: Error) => {
              throw new Error(`${label}: ${error.message}`);
            },
          );
        }
        await rejectsWith(
          tandem.sagemaker.send(new DescribeWorkteamCommand({ WorkteamName: 'valid-name' })),
          'ResourceNotFound',
        );
      });

      it('the 26th work team of an account is ResourceLimitExceeded, also when creates race', async () => {
        const credentials = await tandem.createAccount('222200000026');
        const { sagemaker } = tandem.clientsFor(credentials);
        const create = (WorkteamName: string) =>
          sagemaker.send(new CreateWorkteamCommand({ WorkteamName, Description: 'd', MemberDefinitions: [oidcMember('g')] }));
        try {
          for (let i = 1; i <= 20; i++) await create(`quota-${i}`);
          // Ten at once for the last five places: exactly five get one.
          const racing = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => create(`racing-${i}`)));
          const outcomes = racing.map((r) => (r.status === 'fulfilled' ? 'created' : (r.reason as Error).name)).sort();
          assert.deepEqual(outcomes, [...Array<string>(5).fill('ResourceLimitExceeded'), ...Array<string>(5).fill('created')]);
          const { Workteams } = await sagemaker.send(new ListWorkteamsCommand({ MaxResults: 100 }));
          assert.equal(Workteams?.length, 25);

          await rejectsWith(create('quota-26'), 'ResourceLimitExceeded', /25 work teams/, ResourceLimitExceeded);
          // Deleting one makes room again.
          await sagemaker.send(new DeleteWorkteamCommand({ WorkteamName: 'quota-1' }));
          await create('quota-26');
        } finally {
          sagemaker.destroy();
        }
      });

      it('concurrent creates of one name: one wins, the others are ResourceInUse (never a 500)', async () => {
        const racing = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            tandem.sagemaker.send(
              new CreateWorkteamCommand({ WorkteamName: 'racing-team', Description: `entrant ${i}`, MemberDefinitions: [oidcMember('g')] }),
            ),
          ),
        );
        const outcomes = racing.map((r) => (r.status === 'fulfilled' ? 'created' : (r.reason as Error).name)).sort();
        assert.deepEqual(outcomes, [...Array<string>(7).fill('ResourceInUse'), 'created']);
      });

      it('another account neither sees nor collides with the team', async () => {
        const credentials = await tandem.createAccount('222200000002');
        const { sagemaker } = tandem.clientsFor(credentials);
        try {
          await rejectsWith(sagemaker.send(new DescribeWorkteamCommand({ WorkteamName: 'Full-Team-1' })), 'ResourceNotFound');
          const { WorkteamArn } = await sagemaker.send(
            new CreateWorkteamCommand({ WorkteamName: 'Full-Team-1', Description: 'mine', MemberDefinitions: [oidcMember('g')] }),
          );
          assert.equal(WorkteamArn, workteamArn('222200000002', 'Full-Team-1'));
        } finally {
          sagemaker.destroy();
        }
      });
    });

    describe('UpdateWorkteam', () => {
      it('replaces the given members, keeps the others, and returns what DescribeWorkteam returns', async () => {
        const create = {
          WorkteamName: 'update-me',
          Description: 'before',
          MemberDefinitions: [cognitoMember('one'), cognitoMember('two')],
          NotificationConfiguration: { NotificationTopicArn: `arn:aws:sns:us-east-1:${TEST_ACCOUNT_ID}:before` },
        };
        await tandem.sagemaker.send(new CreateWorkteamCommand(create));
        const { Workteam: original } = await tandem.sagemaker.send(new DescribeWorkteamCommand({ WorkteamName: 'update-me' }));
        await sleep(5);

        const update = {
          WorkteamName: 'update-me',
          Description: 'after',
          MemberDefinitions: [cognitoMember('three')],
          NotificationConfiguration: { NotificationTopicArn: `arn:aws:sns:us-east-1:${TEST_ACCOUNT_ID}:after` },
          WorkerAccessConfiguration: { S3Presign: { IamPolicyConstraints: { SourceIp: 'Disabled' as const, VpcSourceIp: 'Enabled' as const } } },
        };
        const { Workteam: updated } = await tandem.sagemaker.send(new UpdateWorkteamCommand(update));
        assert.ok(updated && original);
        assert.equal(updated.Description, 'after');
        assert.deepEqual(updated.MemberDefinitions, update.MemberDefinitions, 'MemberDefinitions replaces the whole list');
        assert.deepEqual(updated.NotificationConfiguration, update.NotificationConfiguration);
        assert.deepEqual(updated.WorkerAccessConfiguration, update.WorkerAccessConfiguration);
        assert.equal(updated.CreateDate?.getTime(), original.CreateDate?.getTime());
        assert.ok(updated.LastUpdatedDate! > original.LastUpdatedDate!, 'LastUpdatedDate moves forward');

        const { Workteam: described } = await tandem.sagemaker.send(new DescribeWorkteamCommand({ WorkteamName: 'update-me' }));
        assert.deepEqual(described, updated);

        // Only Description: everything else stays.
        const { Workteam: again } = await tandem.sagemaker.send(
          new UpdateWorkteamCommand({ WorkteamName: 'update-me', Description: 'third' }),
        );
        assert.equal(again?.Description, 'third');
        assert.deepEqual(again?.MemberDefinitions, update.MemberDefinitions);
        assert.deepEqual(again?.NotificationConfiguration, update.NotificationConfiguration);
        assert.deepEqual(again?.WorkerAccessConfiguration, update.WorkerAccessConfiguration);
      });

      it('an unknown team is ResourceNotFound; invalid members are ValidationException', async () => {
        await rejectsWith(
          tandem.sagemaker.send(new UpdateWorkteamCommand({ WorkteamName: 'no-such-team', Description: 'x' })),
          'ResourceNotFound',
          /no-such-team/,
        );
        await tandem.sagemaker.send(
          new CreateWorkteamCommand({ WorkteamName: 'update-invalid', Description: 'kept', MemberDefinitions: [oidcMember('g')] }),
        );
        await rejectsWith(
          tandem.sagemaker.send(
            new UpdateWorkteamCommand({ WorkteamName: 'update-invalid', MemberDefinitions: [{ ...cognitoMember('g'), ...oidcMember('o') }] }),
          ),
          'ValidationException',
          oneViolation('memberDefinitions.1.member', 'Exactly one of'),
        );
        await rejectsWith(
          tandem.sagemaker.send(new UpdateWorkteamCommand({ WorkteamName: 'update-invalid', Description: '' })),
          'ValidationException',
          /^2 validation errors detected: Value '' at 'description' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'description' failed to satisfy constraint: Member must satisfy regular expression pattern: \.\+$/,
        );
        await rejectsWith(
          tandem.sagemaker.send(new UpdateWorkteamCommand({ WorkteamName: 'update-invalid', MemberDefinitions: [cognitoMember('g'), oidcMember('o')] })),
          'ValidationException',
        );
        const { Workteam } = await tandem.sagemaker.send(new DescribeWorkteamCommand({ WorkteamName: 'update-invalid' }));
        assert.equal(Workteam?.Description, 'kept');
        assert.deepEqual(Workteam?.MemberDefinitions, [oidcMember('g')]);
      });
    });

    describe('DeleteWorkteam', () => {
      it('deletes, answers Success: true, and then the team is gone', async () => {
        await tandem.sagemaker.send(
          new CreateWorkteamCommand({ WorkteamName: 'delete-me', Description: 'd', MemberDefinitions: [oidcMember('g')] }),
        );
        const result = await tandem.sagemaker.send(new DeleteWorkteamCommand({ WorkteamName: 'delete-me' }));
        assert.equal(result.Success, true);
        await rejectsWith(tandem.sagemaker.send(new DescribeWorkteamCommand({ WorkteamName: 'delete-me' })), 'ResourceNotFound');
        await rejectsWith(
          tandem.sagemaker.send(new DeleteWorkteamCommand({ WorkteamName: 'delete-me' })),
          'ResourceNotFound',
          /delete-me/,
          ResourceNotFound,
        );
        // The name is free again.
        await tandem.sagemaker.send(
          new CreateWorkteamCommand({ WorkteamName: 'delete-me', Description: 'again', MemberDefinitions: [oidcMember('g')] }),
        );
      });

      it('a team a flow definition uses is ResourceInUse until the flow definition is gone', async () => {
        const { WorkteamArn } = await tandem.sagemaker.send(
          new CreateWorkteamCommand({ WorkteamName: 'busy-team', Description: 'd', MemberDefinitions: [cognitoMember('g')] }),
        );
        const { HumanTaskUiArn } = await tandem.sagemaker.send(
          new CreateHumanTaskUiCommand({ HumanTaskUiName: 'busy-team-ui', UiTemplate: { Content: SIMPLE_TEMPLATE } }),
        );
        await tandem.sagemaker.send(
          new CreateFlowDefinitionCommand({
            FlowDefinitionName: 'busy-team-flow',
            RoleArn: TEST_ROLE_ARN,
            OutputConfig: { S3OutputPath: 's3://bucket/out' },
            HumanLoopConfig: {
              WorkteamArn: WorkteamArn!,
              HumanTaskUiArn: HumanTaskUiArn!,
              TaskTitle: 't',
              TaskDescription: 'd',
              TaskCount: 1,
            },
          }),
        );
        await rejectsWith(
          tandem.sagemaker.send(new DeleteWorkteamCommand({ WorkteamName: 'busy-team' })),
          'ResourceInUse',
          /busy-team-flow/,
          ResourceInUse,
        );
        await tandem.sagemaker.send(new DeleteFlowDefinitionCommand({ FlowDefinitionName: 'busy-team-flow' }));
        assert.equal((await tandem.sagemaker.send(new DeleteWorkteamCommand({ WorkteamName: 'busy-team' }))).Success, true);
      });

      it('a bad name is ValidationException', async () => {
        await rejectsWith(
          tandem.sagemaker.send(new DeleteWorkteamCommand({ WorkteamName: 'no spaces' })),
          'ValidationException',
          oneViolation('workteamName', 'Member must satisfy regular expression pattern: '),
        );
      });
    });

    describe('ListWorkteams', () => {
      // A separate account, so the teams other tests create do not show up here.
      let client: SageMakerClient;
      let accountId: string;
      /** In creation order. */
      const CREW = ['crew-delta', 'crew-alpha', 'crew-echo', 'crew-charlie', 'crew-bravo', 'crew-golf', 'crew-foxtrot'];
      const NIGHT = ['Night-Shift', 'NIGHTWATCH', 'late-nightly'];
      const ALL = [...CREW, ...NIGHT];

      before(async () => {
        accountId = '222200000003';
        client = tandem.clientsFor(await tandem.createAccount(accountId)).sagemaker;
        for (const name of ALL) {
          await client.send(new CreateWorkteamCommand({ WorkteamName: name, Description: `team ${name}`, MemberDefinitions: [oidcMember('g')] }));
          await sleep(3); // distinct creation times, so creation order is the CreateDate order
        }
      });
      after(() => client?.destroy());

      it('defaults to CreateDate ascending and returns full Workteam objects', async () => {
        const { Workteams, NextToken } = await client.send(new ListWorkteamsCommand({ MaxResults: 100 }));
        assert.equal(NextToken, undefined);
        assert.deepEqual(Workteams?.map((t) => t.WorkteamName), ALL);
        const first = Workteams![0] as Workteam;
        assert.equal(first.WorkteamArn, workteamArn(accountId, 'crew-delta'));
        assert.equal(first.Description, 'team crew-delta');
        assert.deepEqual(first.MemberDefinitions, [oidcMember('g')]);
        assertRecent(first.CreateDate, 'CreateDate');
        const { Workteam } = await client.send(new DescribeWorkteamCommand({ WorkteamName: 'crew-delta' }));
        assert.deepEqual(first, Workteam);
      });

      it('the default page size is 10 and paging goes on from there', async () => {
        const first = await client.send(new ListWorkteamsCommand({}));
        assert.equal(first.Workteams?.length, 10);
        assert.equal(first.NextToken, undefined, 'exactly 10 teams: no further page');
      });

      it('sorts by CreateDate and Name, both ways', async () => {
        const byName = [...ALL].sort();
        const list = async (input: ListWorkteamsCommandInput) =>
          (await client.send(new ListWorkteamsCommand({ ...input, MaxResults: 100 }))).Workteams!.map((t) => t.WorkteamName);
        assert.deepEqual(await list({ SortBy: 'CreateDate', SortOrder: 'Ascending' }), ALL);
        assert.deepEqual(await list({ SortBy: 'CreateDate', SortOrder: 'Descending' }), [...ALL].reverse());
        assert.deepEqual(await list({ SortBy: 'Name', SortOrder: 'Ascending' }), byName);
        assert.deepEqual(await list({ SortBy: 'Name', SortOrder: 'Descending' }), [...byName].reverse());
        assert.deepEqual(await list({ SortBy: 'Name' }), byName, 'SortOrder defaults to Ascending');
      });

      it('pages through every team exactly once, in order, for every sort', async () => {
        for (const SortBy of ['Name', 'CreateDate'] as const) {
          for (const SortOrder of ['Ascending', 'Descending'] as const) {
            const whole = (await client.send(new ListWorkteamsCommand({ SortBy, SortOrder, MaxResults: 100 }))).Workteams!.map(
              (t) => t.WorkteamName!,
            );
            for (const MaxResults of [1, 3, 4]) {
              const paged = await listAll(client, { SortBy, SortOrder, MaxResults });
              assert.deepEqual(paged, whole, `${SortBy} ${SortOrder} MaxResults ${MaxResults}`);
            }
          }
        }
        assert.deepEqual(await listAll(client, { NameContains: 'crew', MaxResults: 2 }), CREW);
      });

      it('NameContains is a case-insensitive substring', async () => {
        const names = async (NameContains: string) =>
          (await client.send(new ListWorkteamsCommand({ NameContains, MaxResults: 100 }))).Workteams!.map((t) => t.WorkteamName);
        assert.deepEqual(await names('night'), NIGHT);
        assert.deepEqual(await names('NIGHT'), NIGHT);
        assert.deepEqual(await names('nIgHtW'), ['NIGHTWATCH']);
        assert.deepEqual(await names('shift'), ['Night-Shift']);
        assert.deepEqual(await names('crew-a'), ['crew-alpha']);
        assert.deepEqual(await names('a'), ALL.filter((name) => name.toLowerCase().includes('a')));
        assert.deepEqual(await names('zzz'), []);
      });

      it('NameContains is validated as a work team name, so % and _ never reach the query', async () => {
        for (const NameContains of ['%', 'crew_alpha', 'crew%']) {
          await rejectsWith(
            client.send(new ListWorkteamsCommand({ NameContains })),
            'ValidationException',
            oneViolation('nameContains', 'Member must satisfy regular expression pattern: '),
          );
        }
      });

      it('in the store, % and _ in NameContains are literal characters, not LIKE wildcards', async () => {
        const page = { order: 'asc' as const, limit: 100 };
        const names = async (text: string) =>
          (await listWorkteamRows(tandem.resources.store.db, accountId, 'name', text, page)).map((row) => row.name);
        assert.deepEqual(await names('crew_alpha'), []);
        assert.deepEqual(await names('%'), []);
        assert.deepEqual(await names('c%a'), []);
        assert.deepEqual(await names('\\'), []);
        assert.deepEqual(await names('W-ALPH'), ['crew-alpha']);
      });

      it('MaxResults outside 1..100 and unknown SortBy values are ValidationException', async () => {
        await rejectsWith(
          client.send(new ListWorkteamsCommand({ MaxResults: 0 })),
          'ValidationException',
          oneViolation('maxResults', 'Member must have value greater than or equal to 1'),
        );
        await rejectsWith(
          client.send(new ListWorkteamsCommand({ MaxResults: 101 })),
          'ValidationException',
          oneViolation('maxResults', 'Member must have value less than or equal to 100'),
        );
        await rejectsWith(
          client.send(new ListWorkteamsCommand({ SortBy: 'CreationTime' as 'CreateDate' })),
          'ValidationException',
          oneViolation('sortBy', 'Member must satisfy enum value set: \\[Name, CreateDate\\]'),
        );
        await rejectsWith(
          client.send(new ListWorkteamsCommand({ SortOrder: 'Up' as 'Ascending' })),
          'ValidationException',
          oneViolation('sortOrder', 'Member must satisfy enum value set'),
        );
      });

      it('a tampered NextToken, or one from another query, is ValidationException (400, not 5xx)', async () => {
        const { NextToken } = await client.send(new ListWorkteamsCommand({ SortBy: 'Name', MaxResults: 2 }));
        assert.ok(NextToken);
        const [body = '', signature = ''] = NextToken.split('.');
        const forged = Buffer.from(JSON.stringify(['crew-alpha', 'crew-alpha'])).toString('base64url');
        const flip = (text: string) => (text.startsWith('A') ? `B${text.slice(1)}` : `A${text.slice(1)}`);
        const tampered = [
          `${forged}.${signature}`,
          `${body}.${flip(signature)}`,
          `${body}x.${signature}`,
          NextToken.slice(0, -2),
          'not-a-token',
          `${NextToken}.extra`,
          '',
        ].filter((token) => token !== '');
        for (const token of tampered) {
          await rejectsWith(
            client.send(new ListWorkteamsCommand({ SortBy: 'Name', MaxResults: 2, NextToken: token })),
            'ValidationException',
            /token/i,
          );
        }
        // The genuine token with another sort, order or filter is not accepted either.
        for (const other of [
          { SortBy: 'CreateDate' as const },
          { SortBy: 'Name' as const, SortOrder: 'Descending' as const },
          { SortBy: 'Name' as const, NameContains: 'crew' },
        ]) {
          await rejectsWith(client.send(new ListWorkteamsCommand({ ...other, NextToken })), 'ValidationException', /token/i);
        }
        // Nor by another account.
        await rejectsWith(
          tandem.sagemaker.send(new ListWorkteamsCommand({ SortBy: 'Name', MaxResults: 2, NextToken })),
          'ValidationException',
          /token/i,
        );
        // The genuine one still works, with any page size.
        const next = await client.send(new ListWorkteamsCommand({ SortBy: 'Name', MaxResults: 5, NextToken }));
        assert.deepEqual(next.Workteams?.map((t) => t.WorkteamName), [...ALL].sort().slice(2, 7));
      });
    });
  });
}
