/**
 * Human task UIs and RenderUiTemplate through the real `@aws-sdk/client-sagemaker` against a
 * listening Tandem, on both dialects: CreateHumanTaskUi, DescribeHumanTaskUi (with its signed
 * template URL), ListHumanTaskUis, DeleteHumanTaskUi and RenderUiTemplate.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import {
  CreateFlowDefinitionCommand,
  CreateHumanTaskUiCommand,
  CreateWorkteamCommand,
  DeleteFlowDefinitionCommand,
  DeleteHumanTaskUiCommand,
  DescribeHumanTaskUiCommand,
  ListHumanTaskUisCommand,
  RenderUiTemplateCommand,
  ResourceInUse,
  ResourceNotFound,
  type CreateHumanTaskUiCommandInput,
  type ListHumanTaskUisCommandInput,
  type RenderUiTemplateCommandInput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { humanTaskUiArn, TEST_ROLE_ARN } from '../support/arns.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { SIMPLE_TEMPLATE } from '../support/fixtures.js';
import { collectPages } from '../support/paging.js';
import { assertRecent, oneViolation, rejectsWith } from '../support/sdk-assertions.js';
import { TEST_ACCOUNT_ID, useTestTandem, type TestTandem } from '../support/tandem.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The names in every page of a listing, following NextToken; each page must respect MaxResults. */
async function listAll(client: SageMakerClient, input: ListHumanTaskUisCommandInput): Promise<string[]> {
  const { items } = await collectPages(
    async (NextToken) => {
      const page = await client.send(new ListHumanTaskUisCommand({ ...input, NextToken }));
      return { items: page.HumanTaskUiSummaries!.map((s) => s.HumanTaskUiName!), nextToken: page.NextToken };
    },
    { maxResults: input.MaxResults },
  );
  return items;
}

for (const dialect of DIALECTS) {
  describe(dialect, { skip: dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    useTestTandem(dialect, (started) => (tandem = started));

    describe('CreateHumanTaskUi and DescribeHumanTaskUi', () => {
      const CONTENT = `${SIMPLE_TEMPLATE}\n<!-- ünïcödé ✓, "quotes" & <angles> -->\n`;

      it('stores the template; Describe returns its ARN, status, creation time, URL and SHA-256', async () => {
        const { HumanTaskUiArn } = await tandem.sagemaker.send(
          new CreateHumanTaskUiCommand({ HumanTaskUiName: 'classify-ui', UiTemplate: { Content: CONTENT }, Tags: [{ Key: 'k', Value: 'v' }] }),
        );
        assert.equal(HumanTaskUiArn, humanTaskUiArn(TEST_ACCOUNT_ID, 'classify-ui'));

        const described = await tandem.sagemaker.send(new DescribeHumanTaskUiCommand({ HumanTaskUiName: 'classify-ui' }));
        assert.equal(described.HumanTaskUiArn, HumanTaskUiArn);
        assert.equal(described.HumanTaskUiName, 'classify-ui');
        assert.equal(described.HumanTaskUiStatus, 'Active');
        assertRecent(described.CreationTime, 'CreationTime');
        assert.equal(described.UiTemplate?.ContentSha256, sha256(CONTENT));
        assert.match(described.UiTemplate?.Url ?? '', /^http:\/\//);
      });

      it('UiTemplate.Url serves the exact template text without AWS credentials', async () => {
        const described = await tandem.sagemaker.send(new DescribeHumanTaskUiCommand({ HumanTaskUiName: 'classify-ui' }));
        const response = await fetch(described.UiTemplate!.Url!);
        assert.equal(response.status, 200);
        const text = await response.text();
        assert.equal(text, CONTENT);
        assert.equal(sha256(text), described.UiTemplate!.ContentSha256);
      });

      it('a tampered URL is 403', async () => {
        const described = await tandem.sagemaker.send(new DescribeHumanTaskUiCommand({ HumanTaskUiName: 'classify-ui' }));
        const url = new URL(described.UiTemplate!.Url!);
        const signature = url.searchParams.get('X-Tandem-Signature')!;
        const expires = url.searchParams.get('X-Tandem-Expires')!;

        const badSignature = new URL(url);
        badSignature.searchParams.set('X-Tandem-Signature', `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`);
        const laterExpiry = new URL(url);
        laterExpiry.searchParams.set('X-Tandem-Expires', String(Number(expires) + 3600));
        const noSignature = new URL(url);
        noSignature.searchParams.delete('X-Tandem-Signature');
        await tandem.sagemaker.send(new CreateHumanTaskUiCommand({ HumanTaskUiName: 'other-ui', UiTemplate: { Content: '<p>secret</p>' } }));
        const otherTemplate = new URL(url);
        otherTemplate.pathname = url.pathname.replace('classify-ui', 'other-ui');

        for (const tampered of [badSignature, laterExpiry, noSignature, otherTemplate]) {
          const response = await fetch(tampered);
          assert.equal(response.status, 403, tampered.toString());
          assert.doesNotMatch(await response.text(), /crowd-form|secret/);
        }
      });

      it('a template using an unknown crowd element, filter or tag is a ValidationException naming it and its line', async () => {
        const cases: Array<[string, RegExp]> = [
          ['<crowd-form>\n  <crowd-clasifier name="animal" categories="[\'Cat\']"></crowd-clasifier>\n</crowd-form>', /Unknown element <crowd-clasifier> at line 2, column 3/],
          ['<crowd-form>\n<crowd-form>\n<p>{{ task.input.text | shout }}</p></crowd-form></crowd-form>', /Unknown filter "shout" at line 3, column 4/],
          ['<crowd-form>\n{% frobnicate %}\n</crowd-form>', /Tag "frobnicate" not found at line 2, column 1/],
        ];
        for (const [Content, message] of cases) {
          await rejectsWith(
            tandem.sagemaker.send(new CreateHumanTaskUiCommand({ HumanTaskUiName: 'unknown-things', UiTemplate: { Content } })),
            'ValidationException',
            message,
          );
        }
        await rejectsWith(
          tandem.sagemaker.send(new DescribeHumanTaskUiCommand({ HumanTaskUiName: 'unknown-things' })),
          'ResourceNotFound',
          /unknown-things/,
          ResourceNotFound,
        );
      });

      it('a taken name is ResourceInUse; an unknown one is ResourceNotFound', async () => {
        await rejectsWith(
          tandem.sagemaker.send(new CreateHumanTaskUiCommand({ HumanTaskUiName: 'classify-ui', UiTemplate: { Content: '<p>x</p>' } })),
          'ResourceInUse',
          /classify-ui/,
          ResourceInUse,
        );
        const { UiTemplate } = await tandem.sagemaker.send(new DescribeHumanTaskUiCommand({ HumanTaskUiName: 'classify-ui' }));
        assert.equal(UiTemplate?.ContentSha256, sha256(CONTENT), 'the first template stays');
        await rejectsWith(
          tandem.sagemaker.send(new DescribeHumanTaskUiCommand({ HumanTaskUiName: 'no-such-ui' })),
          'ResourceNotFound',
          /no-such-ui/,
          ResourceNotFound,
        );
      });

      it('concurrent creates of one name: one wins, the others are ResourceInUse (never a 500)', async () => {
        const racing = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            tandem.sagemaker.send(new CreateHumanTaskUiCommand({ HumanTaskUiName: 'racing-ui', UiTemplate: { Content: `<p>${i}</p>` } })),
          ),
        );
        const outcomes = racing.map((r) => (r.status === 'fulfilled' ? 'created' : (r.reason as Error).name)).sort();
        assert.deepEqual(outcomes, [...Array<string>(7).fill('ResourceInUse'), 'created']);
      });

      it('rejects invalid requests with ValidationException', async () => {
        const cases: [string, CreateHumanTaskUiCommandInput, RegExp][] = [
          [
            'an upper-case name',
            { HumanTaskUiName: 'Bad-Name', UiTemplate: { Content: '<p/>' } },
            oneViolation('humanTaskUiName', 'Member must satisfy regular expression pattern: \\^\\[a-z0-9\\]'),
          ],
          [
            'a 64-character name',
            { HumanTaskUiName: 'a'.repeat(64), UiTemplate: { Content: '<p/>' } },
            oneViolation('humanTaskUiName', 'Member must have length less than or equal to 63'),
          ],
          [
            'no UiTemplate',
            { HumanTaskUiName: 'no-template' } as CreateHumanTaskUiCommandInput,
            /^1 validation error detected: Value null at 'uiTemplate' failed to satisfy constraint: Member must not be null$/,
          ],
          [
            'no name and no content',
            { UiTemplate: {} } as CreateHumanTaskUiCommandInput,
            /^2 validation errors detected: Value null at 'humanTaskUiName' failed to satisfy constraint: Member must not be null; Value null at 'uiTemplate\.content' failed to satisfy constraint: Member must not be null$/,
          ],
          [
            'empty content',
            { HumanTaskUiName: 'empty-template', UiTemplate: { Content: '' } },
            /^2 validation errors detected: Value '' at 'uiTemplate\.content' failed to satisfy constraint: Member must have length greater than or equal to 1; /,
          ],
          ['a template that is not Liquid', { HumanTaskUiName: 'broken-template', UiTemplate: { Content: '{% if %}<p>' } }, /Liquid/],
        ];
        for (const [label, input, message] of cases) {
          await rejectsWith(tandem.sagemaker.send(new CreateHumanTaskUiCommand(input)), 'ValidationException', message).catch(
            (error: Error) => {
              throw new Error(`${label}: ${error.message}`);
            },
          );
        }
        await rejectsWith(tandem.sagemaker.send(new DescribeHumanTaskUiCommand({ HumanTaskUiName: 'broken-template' })), 'ResourceNotFound');
      });
    });

    describe('DeleteHumanTaskUi', () => {
      it('deletes; then Describe, Delete and the old template URL find nothing', async () => {
        await tandem.sagemaker.send(new CreateHumanTaskUiCommand({ HumanTaskUiName: 'delete-me', UiTemplate: { Content: '<p>bye</p>' } }));
        const { UiTemplate } = await tandem.sagemaker.send(new DescribeHumanTaskUiCommand({ HumanTaskUiName: 'delete-me' }));
        const result = await tandem.sagemaker.send(new DeleteHumanTaskUiCommand({ HumanTaskUiName: 'delete-me' }));
        assert.deepEqual(Object.keys(result).filter((key) => key !== '$metadata'), []);
        await rejectsWith(tandem.sagemaker.send(new DescribeHumanTaskUiCommand({ HumanTaskUiName: 'delete-me' })), 'ResourceNotFound');
        await rejectsWith(
          tandem.sagemaker.send(new DeleteHumanTaskUiCommand({ HumanTaskUiName: 'delete-me' })),
          'ResourceNotFound',
          /delete-me/,
          ResourceNotFound,
        );
        assert.equal((await fetch(UiTemplate!.Url!)).status, 404);
      });

      it('a task UI a flow definition uses is ResourceInUse until the flow definition is gone', async () => {
        const { WorkteamArn } = await tandem.sagemaker.send(
          new CreateWorkteamCommand({ WorkteamName: 'ui-users', Description: 'd', MemberDefinitions: [{ OidcMemberDefinition: { Groups: ['g'] } }] }),
        );
        const { HumanTaskUiArn } = await tandem.sagemaker.send(
          new CreateHumanTaskUiCommand({ HumanTaskUiName: 'busy-ui', UiTemplate: { Content: SIMPLE_TEMPLATE } }),
        );
        await tandem.sagemaker.send(
          new CreateFlowDefinitionCommand({
            FlowDefinitionName: 'busy-ui-flow',
            RoleArn: TEST_ROLE_ARN,
            OutputConfig: { S3OutputPath: 's3://bucket/out' },
            HumanLoopConfig: { WorkteamArn: WorkteamArn!, HumanTaskUiArn: HumanTaskUiArn!, TaskTitle: 't', TaskDescription: 'd', TaskCount: 2 },
          }),
        );
        await rejectsWith(
          tandem.sagemaker.send(new DeleteHumanTaskUiCommand({ HumanTaskUiName: 'busy-ui' })),
          'ResourceInUse',
          /busy-ui-flow/,
          ResourceInUse,
        );
        await tandem.sagemaker.send(new DeleteFlowDefinitionCommand({ FlowDefinitionName: 'busy-ui-flow' }));
        await tandem.sagemaker.send(new DeleteHumanTaskUiCommand({ HumanTaskUiName: 'busy-ui' }));
      });
    });

    describe('ListHumanTaskUis', () => {
      // A separate account, so the task UIs other tests create do not show up here.
      let client: SageMakerClient;
      const accountId = '222200000021';
      /** In creation order. */
      const NAMES = ['ui-c', 'ui-a', 'ui-e', 'ui-b', 'ui-g', 'ui-d', 'ui-f'];
      const times = new Map<string, Date>();

      before(async () => {
        client = tandem.clientsFor(await tandem.createAccount(accountId)).sagemaker;
        for (const name of NAMES) {
          await client.send(new CreateHumanTaskUiCommand({ HumanTaskUiName: name, UiTemplate: { Content: `<p>${name}</p>` } }));
          const { CreationTime } = await client.send(new DescribeHumanTaskUiCommand({ HumanTaskUiName: name }));
          times.set(name, CreationTime!);
          await sleep(3); // distinct creation times
        }
      });
      after(() => client?.destroy());

      it('returns summaries, newest first by default, or oldest first', async () => {
        const { HumanTaskUiSummaries, NextToken } = await client.send(new ListHumanTaskUisCommand({}));
        assert.equal(NextToken, undefined);
        assert.deepEqual(HumanTaskUiSummaries?.map((s) => s.HumanTaskUiName), [...NAMES].reverse());
        assert.deepEqual(HumanTaskUiSummaries?.at(-1), {
          HumanTaskUiName: 'ui-c',
          HumanTaskUiArn: humanTaskUiArn(accountId, 'ui-c'),
          CreationTime: times.get('ui-c'),
        });
        const ascending = await client.send(new ListHumanTaskUisCommand({ SortOrder: 'Ascending' }));
        assert.deepEqual(ascending.HumanTaskUiSummaries?.map((s) => s.HumanTaskUiName), NAMES);
      });

      it('CreationTimeAfter is inclusive (>=), CreationTimeBefore exclusive (<)', async () => {
        const names = async (input: ListHumanTaskUisCommandInput) =>
          (await client.send(new ListHumanTaskUisCommand({ ...input, SortOrder: 'Ascending' }))).HumanTaskUiSummaries!.map(
            (s) => s.HumanTaskUiName,
          );
        const third = times.get(NAMES[2]!)!;
        const fifth = times.get(NAMES[4]!)!;
        assert.deepEqual(await names({ CreationTimeAfter: third }), NAMES.slice(2));
        assert.deepEqual(await names({ CreationTimeAfter: new Date(third.getTime() + 1) }), NAMES.slice(3));
        assert.deepEqual(await names({ CreationTimeBefore: fifth }), NAMES.slice(0, 4));
        assert.deepEqual(await names({ CreationTimeAfter: third, CreationTimeBefore: fifth }), NAMES.slice(2, 4));
        assert.deepEqual(await names({ CreationTimeAfter: new Date(Date.now() + 60_000) }), []);
      });

      it('pages through every task UI exactly once, in order, with and without filters', async () => {
        for (const SortOrder of ['Ascending', 'Descending'] as const) {
          const ordered = SortOrder === 'Ascending' ? NAMES : [...NAMES].reverse();
          for (const MaxResults of [1, 2, 3]) {
            assert.deepEqual(await listAll(client, { SortOrder, MaxResults }), ordered, `${SortOrder} MaxResults ${MaxResults}`);
          }
          const filtered = NAMES.slice(1, 6);
          assert.deepEqual(
            await listAll(client, {
              SortOrder,
              MaxResults: 2,
              CreationTimeAfter: times.get(NAMES[1]!)!,
              CreationTimeBefore: times.get(NAMES[6]!)!,
            }),
            SortOrder === 'Ascending' ? filtered : [...filtered].reverse(),
          );
        }
      });

      it('MaxResults outside 1..100 and bad SortOrder values are ValidationException', async () => {
        await rejectsWith(
          client.send(new ListHumanTaskUisCommand({ MaxResults: 0 })),
          'ValidationException',
          oneViolation('maxResults', 'Member must have value greater than or equal to 1'),
        );
        await rejectsWith(
          client.send(new ListHumanTaskUisCommand({ MaxResults: 101 })),
          'ValidationException',
          oneViolation('maxResults', 'Member must have value less than or equal to 100'),
        );
        await rejectsWith(
          client.send(new ListHumanTaskUisCommand({ SortOrder: 'Sideways' as 'Ascending' })),
          'ValidationException',
          oneViolation('sortOrder', 'Member must satisfy enum value set: \\[Ascending, Descending\\]'),
        );
      });

      it('a tampered NextToken, or one from another query, is ValidationException (400, not 5xx)', async () => {
        const { NextToken } = await client.send(new ListHumanTaskUisCommand({ MaxResults: 2 }));
        assert.ok(NextToken);
        const [body = '', signature = ''] = NextToken.split('.');
        const forged = Buffer.from(JSON.stringify([0, 'ui-a'])).toString('base64url');
        for (const token of [`${forged}.${signature}`, `${body}.${signature.slice(1)}A`, 'garbage', `.${signature}`]) {
          await rejectsWith(client.send(new ListHumanTaskUisCommand({ MaxResults: 2, NextToken: token })), 'ValidationException', /token/i);
        }
        await rejectsWith(
          client.send(new ListHumanTaskUisCommand({ SortOrder: 'Ascending', NextToken })),
          'ValidationException',
          /token/i,
        );
        await rejectsWith(tandem.sagemaker.send(new ListHumanTaskUisCommand({ NextToken })), 'ValidationException', /token/i);
        const next = await client.send(new ListHumanTaskUisCommand({ MaxResults: 3, NextToken }));
        assert.deepEqual(next.HumanTaskUiSummaries?.map((s) => s.HumanTaskUiName), [...NAMES].reverse().slice(2, 5));
      });
    });

    describe('RenderUiTemplate', () => {
      const render = (input: Omit<RenderUiTemplateCommandInput, 'RoleArn'> & { RoleArn?: string }) =>
        tandem.sagemaker.send(new RenderUiTemplateCommand({ RoleArn: TEST_ROLE_ARN, ...input }));

      it('renders a given UiTemplate with task.input, autoescaped', async () => {
        const result = await render({
          UiTemplate: { Content: '<h1>{{ task.input.title }}</h1><p>{{ task.input.items | size }}</p>' },
          Task: { Input: JSON.stringify({ title: '<script>alert("x")</script> & co', items: [1, 2, 3] }) },
        });
        assert.deepEqual(result.Errors, []);
        assert.equal(result.RenderedContent, '<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</h1><p>3</p>');
      });

      it('skip_autoescape and to_json behave as in A2I', async () => {
        const result = await render({
          UiTemplate: { Content: '{{ task.input.html | skip_autoescape }}|{{ task.input.data | to_json }}' },
          Task: { Input: JSON.stringify({ html: '<b>bold</b>', data: { a: 1, tag: '</script>' } }) },
        });
        assert.deepEqual(result.Errors, []);
        // to_json is not autoescaped, but <, > and & inside it are JSON \u escapes (still the same data).
        assert.equal(result.RenderedContent, '<b>bold</b>|{"a":1,"tag":"\\u003c/script\\u003e"}');
      });

      it('renders a stored task UI named by HumanTaskUiArn', async () => {
        const { HumanTaskUiArn } = await tandem.sagemaker.send(
          new CreateHumanTaskUiCommand({ HumanTaskUiName: 'render-me', UiTemplate: { Content: SIMPLE_TEMPLATE } }),
        );
        const result = await render({ HumanTaskUiArn, Task: { Input: JSON.stringify({ question: 'Cat <or> dog?', text: 'meow' }) } });
        assert.deepEqual(result.Errors, []);
        assert.match(result.RenderedContent!, /header="Cat &lt;or&gt; dog\?"/);
        assert.match(result.RenderedContent!, /<classification-target>meow<\/classification-target>/);
        assert.match(result.RenderedContent!, /<crowd-form>/);
      });

      it('a template with an unknown filter returns Errors instead of failing', async () => {
        const result = await render({
          UiTemplate: { Content: '<p>{{ task.input.x | no_such_filter }}</p>' },
          Task: { Input: '{"x": 1}' },
        });
        assert.ok(result.Errors && result.Errors.length > 0, 'Errors is not empty');
        assert.equal(typeof result.Errors[0]!.Code, 'string');
        assert.match(result.Errors[0]!.Message!, /no_such_filter/);
        assert.equal(typeof result.RenderedContent, 'string');
      });

      it('an unknown crowd element is reported in Errors with its line; the rest is rendered', async () => {
        const Content = '<crowd-form>\n  <p>{{ task.input.x }}</p>\n  <crowd-bounding-bx name="box"></crowd-bounding-bx>\n</crowd-form>';
        const result = await render({ UiTemplate: { Content }, Task: { Input: '{"x": "hello"}' } });
        assert.deepEqual(result.Errors, [
          {
            Code: 'TemplateUnknownElement',
            Message: 'Unknown element <crowd-bounding-bx> at line 3, column 3: Tandem does not define it, so its answer would be lost',
          },
        ]);
        assert.equal(result.RenderedContent, Content.replace('{{ task.input.x }}', 'hello'));
      });

      it('a template that does not parse returns Errors instead of failing', async () => {
        const result = await render({ UiTemplate: { Content: '{% for x in %}' }, Task: { Input: '{}' } });
        assert.ok(result.Errors && result.Errors.length > 0, 'Errors is not empty');
      });

      it('both UiTemplate and HumanTaskUiArn, or neither, is ValidationException', async () => {
        await rejectsWith(
          render({ UiTemplate: { Content: '<p/>' }, HumanTaskUiArn: humanTaskUiArn(TEST_ACCOUNT_ID, 'render-me'), Task: { Input: '{}' } }),
          'ValidationException',
          /^1 validation error detected: .*Exactly one of \[uiTemplate, humanTaskUiArn\] must be set/,
        );
        await rejectsWith(render({ Task: { Input: '{}' } }), 'ValidationException', /Exactly one of \[uiTemplate, humanTaskUiArn\]/);
      });

      it('rejects other invalid requests', async () => {
        await rejectsWith(
          render({ HumanTaskUiArn: humanTaskUiArn(TEST_ACCOUNT_ID, 'no-such-ui'), Task: { Input: '{}' } }),
          'ResourceNotFound',
          /no-such-ui/,
          ResourceNotFound,
        );
        await rejectsWith(
          render({ UiTemplate: { Content: '<p/>' }, Task: { Input: '{}' }, RoleArn: 'arn:aws:iam::111122223333:group/reviewers' }),
          'ValidationException',
          oneViolation('roleArn', 'Member must satisfy regular expression pattern: '),
        );
        await rejectsWith(
          render({ UiTemplate: { Content: '<p/>' }, Task: { Input: '{' } }),
          'ValidationException',
          oneViolation('task.input', 'Member must have length greater than or equal to 2'),
        );
        await rejectsWith(render({ UiTemplate: { Content: '<p/>' }, Task: { Input: '{not json}' } }), 'ValidationException', /JSON/);
        await rejectsWith(
          render({ UiTemplate: { Content: '<p/>' } } as RenderUiTemplateCommandInput),
          'ValidationException',
          /^1 validation error detected: Value null at 'task' failed to satisfy constraint: Member must not be null$/,
        );
        await rejectsWith(
          tandem.sagemaker.send(new RenderUiTemplateCommand({ UiTemplate: { Content: '<p/>' }, Task: { Input: '{}' } } as RenderUiTemplateCommandInput)),
          'ValidationException',
          /^1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null$/,
        );
      });
    });
  });
}
