import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { renderTaskDocument } from '../../src/api/portal/task-frame.js';
import { buildServer } from '../../src/api/server.js';
import { ValidationError } from '../../src/api/aws/errors.js';
import { buildArn } from '../../src/domain/arns.js';
import { LocalObjectStore } from '../../src/objects/local-object-store.js';
import { createFlowDefinition } from '../../src/operations/flow-definitions.js';
import { renderUiTemplate } from '../../src/operations/human-task-uis.js';
import { claimNextTask } from '../../src/operations/reviews.js';
import { OBJECT_URL_TTL_SECONDS } from '../../src/operations/signed-urls.js';
import type { Caller } from '../../src/resources.js';
import { serializeRequest } from '../../src/security/log-redaction.js';
import { ensureAccount } from '../../src/store/accounts.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { createTestFlow, openTestResources, type TestResources } from '../support/resources.js';
import { addWorker, startLoop } from './test-workers.js';

const IMAGE_TEMPLATE = '<img src="{{ task.input.taskObject | grant_read_access }}"><crowd-form></crowd-form>';
const ACCOUNT_B = '444455556666';
const ROLE = 'arn:aws:iam::111122223333:role/r';

/** The `src` the rendered template points at, unescaped. */
function imageUrl(html: string): string {
  const match = /<img src="([^"]*)"/.exec(html);
  assert.ok(match, `no <img> in ${html.slice(0, 200)}`);
  return match[1]!.replaceAll('&amp;', '&');
}

function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

for (const dialect of DIALECTS) {
  describe(`buckets belong to one account on ${dialect}`, { skip: dialectSkip(dialect) }, () => {
    let r: TestResources;
    let app: FastifyInstance;
    let b: Caller;
    let flowA: string;
    let flowB: string;
    before(async () => {
      r = await openTestResources(dialect);
      r.config = { ...r.config, buckets: { 'mapped-to-b': ACCOUNT_B } };
      b = { accountId: ACCOUNT_B, region: 'us-east-1' };
      await ensureAccount(r.store.db, ACCOUNT_B, r.clock.now());
      flowA = await createTestFlow(r, 'own', { taskCount: 1, timeLimitSeconds: 60, lifetimeSeconds: 3600, template: IMAGE_TEMPLATE, s3OutputPath: 's3://a-results/out' });
      flowB = await createTestFlow({ ...r, caller: b }, 'bee', { taskCount: 1, timeLimitSeconds: 60, lifetimeSeconds: 3600, template: IMAGE_TEMPLATE, s3OutputPath: 's3://b-results/out' });
      const store = new LocalObjectStore(r.config.outputDir);
      await store.putObject('a-results', 'inputs/cat 1.png', Buffer.from('a-cat'));
      await store.putObject('b-results', 'inputs/secret.json', Buffer.from('{"b":"secret"}'));
      app = await buildServer(r);
    });
    after(async () => {
      await app?.close();
      await r?.dispose();
    });

    const createFlow = (caller: Caller, name: string, s3OutputPath: string) =>
      createFlowDefinition(r, caller, {
        FlowDefinitionName: name,
        RoleArn: `arn:aws:iam::${caller.accountId}:role/r`,
        OutputConfig: { S3OutputPath: s3OutputPath },
        HumanLoopConfig: {
          WorkteamArn: buildArn('workteam', caller, caller === b ? 'bee-team' : 'own-team'),
          HumanTaskUiArn: buildArn('human-task-ui', caller, caller === b ? 'bee-ui' : 'own-ui'),
          TaskTitle: 't',
          TaskDescription: 'd',
          TaskCount: 1,
        },
      });

    test("CreateFlowDefinition refuses an S3OutputPath in another account's bucket, first use or mapped", async () => {
      await assert.rejects(createFlow(r.caller, 'steal', 's3://b-results/out'), (error: Error) => {
        assert.ok(error instanceof ValidationError);
        assert.match(error.message, /bucket 'b-results', which belongs to another account/);
        assert.doesNotMatch(error.message, new RegExp(ACCOUNT_B), 'the owner is not disclosed');
        return true;
      });
      await assert.rejects(createFlow(r.caller, 'steal2', 's3://mapped-to-b/x'), /belongs to another account/);
      // The owner itself may use its mapped bucket and its own bucket again.
      await createFlow(b, 'bee-mapped', 's3://mapped-to-b/x');
      await createFlow(r.caller, 'own-again', 's3://a-results/again');
    });

    test('RenderUiTemplate: grant_read_access on another account\'s object is an Error, on an own object a link', async () => {
      const foreign = await renderUiTemplate(r, r.caller, {
        RoleArn: ROLE,
        UiTemplate: { Content: IMAGE_TEMPLATE },
        Task: { Input: JSON.stringify({ taskObject: 's3://b-results/inputs/secret.json' }) },
      });
      assert.equal(foreign.RenderedContent, '');
      assert.equal(foreign.Errors[0]?.Code, 'TemplateReadAccessDenied');
      assert.match(foreign.Errors[0]!.Message, /bucket 'b-results' does not belong to this account/);

      for (const uri of ['s3://nobody-owns-this/x.png', 'https://mapped-to-b.s3.amazonaws.com/x.png']) {
        const other = await renderUiTemplate(r, r.caller, { RoleArn: ROLE, UiTemplate: { Content: IMAGE_TEMPLATE }, Task: { Input: JSON.stringify({ taskObject: uri }) } });
        assert.equal(other.Errors[0]?.Code, 'TemplateReadAccessDenied', uri);
      }

      const own = await renderUiTemplate(r, r.caller, {
        RoleArn: ROLE,
        UiTemplate: { Content: IMAGE_TEMPLATE },
        Task: { Input: JSON.stringify({ taskObject: 's3://a-results/inputs/cat 1.png' }) },
      });
      assert.deepEqual(own.Errors, []);
      const link = imageUrl(own.RenderedContent);
      assert.match(link, new RegExp(`/objects/${r.caller.accountId}/a-results/inputs/cat%201\\.png\\?X-Tandem-Expires=\\d+&X-Tandem-Signature=`));
      const fetched = await app.inject({ url: pathOf(link) });
      assert.equal(fetched.statusCode, 200);
      assert.equal(fetched.body, 'a-cat');
      assert.equal(fetched.headers['content-type'], 'image/png');
    });

    test('a signed link is bound to its object and account, and expires', async () => {
      const own = await renderUiTemplate(r, r.caller, {
        RoleArn: ROLE,
        UiTemplate: { Content: IMAGE_TEMPLATE },
        Task: { Input: JSON.stringify({ taskObject: 's3://a-results/inputs/cat 1.png' }) },
      });
      const link = pathOf(imageUrl(own.RenderedContent));
      const forged = [
        link.replace('/objects/111122223333/a-results/', `/objects/${ACCOUNT_B}/b-results/`).replace('inputs/cat%201.png', 'inputs/secret.json'),
        link.replace('/a-results/', '/b-results/'),
        link.replace('cat%201.png', 'secret.json'),
        link.replace(/X-Tandem-Expires=(\d+)/, (_m, e: string) => `X-Tandem-Expires=${Number(e) + 3600}`),
        link.replace(/X-Tandem-Signature=[^&]+/, 'X-Tandem-Signature=AAAA'),
        link.split('?')[0]!,
      ];
      for (const url of forged) {
        const response = await app.inject({ url });
        assert.equal(response.statusCode, 403, url);
        assert.doesNotMatch(response.body, /secret|a-cat/);
      }
      r.clock.advance((OBJECT_URL_TTL_SECONDS + 1) * 1000);
      assert.equal((await app.inject({ url: link })).statusCode, 403, 'expired');
    });

    test("a link stops working when the bucket is mapped to another account", async () => {
      const own = await renderUiTemplate(r, r.caller, {
        RoleArn: ROLE,
        UiTemplate: { Content: IMAGE_TEMPLATE },
        Task: { Input: JSON.stringify({ taskObject: 's3://a-results/inputs/cat 1.png' }) },
      });
      const link = pathOf(imageUrl(own.RenderedContent));
      const config = r.config;
      r.config = { ...config, buckets: { ...config.buckets, 'a-results': ACCOUNT_B } };
      try {
        assert.equal((await app.inject({ url: link })).statusCode, 403);
      } finally {
        r.config = config;
      }
      assert.equal((await app.inject({ url: link })).statusCode, 200);
    });

    test("a worker of account A's team opens A's objects only", async () => {
      const worker = await addWorker(r, r.caller.accountId, 'own-team', 'wkr000000000000a');
      await startLoop(r, r.caller, flowA, 'wants-b', { taskObject: 's3://b-results/inputs/secret.json' });
      const task = await claimNextTask(r, worker);
      assert.equal(task?.humanLoopName, 'wants-b');
      const rendered = await renderTaskDocument(r, task!);
      assert.equal(rendered.ok, false);
      assert.match(rendered.ok ? '' : rendered.message, /TemplateReadAccessDenied/);

      // B's own worker, on B's loop, gets B's object.
      const bee = await addWorker(r, ACCOUNT_B, 'bee-team', 'wkr000000000000b');
      await startLoop(r, b, flowB, 'b-loop', { taskObject: 's3://b-results/inputs/secret.json' });
      const beeTask = await claimNextTask(r, bee);
      const beeRendered = await renderTaskDocument(r, beeTask!);
      assert.ok(beeRendered.ok);
      const fetched = await app.inject({ url: pathOf(imageUrl(beeRendered.html)) });
      assert.equal(fetched.body, '{"b":"secret"}');
    });

    test('access logs never hold a signed link in full', () => {
      const logged = serializeRequest({ method: 'GET', url: '/objects/1/b/k?X-Tandem-Expires=1&X-Tandem-Signature=s3cr3t&X-Amz-Signature=abc' });
      assert.equal(logged.url, '/objects/1/b/k?X-Tandem-Expires=1&X-Tandem-Signature=[REDACTED]&X-Amz-Signature=[REDACTED]');
    });
  });
}
