import assert from 'node:assert/strict';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { noticesOf, openConsoleHarness, type ConsoleHarness, type ConsoleSignIn } from './console-harness.js';

for (const dialect of DIALECTS) {
  describe(`console task UIs and flow definitions (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let h: ConsoleHarness;
    let admin: ConsoleSignIn;
    before(async () => {
      h = await openConsoleHarness(dialect);
      await h.addAdmin('root@example.com', 'admin');
      admin = await h.consoleSignIn('root@example.com');
    });
    after(() => h?.close());

    test('the editor offers the shipped examples; create goes through CreateHumanTaskUi and its validation', async () => {
      const editor = await h.get('/console/task-uis/new?example=transcription', admin);
      assert.equal(editor.statusCode, 200);
      assert.match(editor.body, /Sentiment classification \(the demo\)/);
      assert.match(editor.body, /crowd-text-area name=&#34;corrected&#34;/);
      const badName = await h.post('/console/task-uis', admin, { name: 'Bad Name', template: '<p>x</p>' });
      assert.equal(badName.statusCode, 400);
      assert.match(noticesOf(badName.body), /validation error/);
      const badTemplate = await h.post('/console/task-uis', admin, { name: 'broken', template: '<p>\n{% if %}</p>' });
      assert.equal(badTemplate.statusCode, 400);
      assert.match(noticesOf(badTemplate.body), /line 2/);
      const ok = await h.post('/console/task-uis', admin, { name: 'my-ui', template: '<crowd-form><crowd-input name="x" label="X"></crowd-input>{{ task.input.text }}</crowd-form>' });
      assert.equal(ok.statusCode, 303);
      assert.match((await h.get('/console/task-uis', admin)).body, /my-ui/);
    });

    test('the preview renders as the task frame does, under the sandbox CSP; errors and unknown elements come with line numbers', async () => {
      const good = await h.post('/console/task-uis/preview', admin, { template: '<p>{{ task.input.text }}</p><crowd-input name="a"></crowd-input>', input: '{"text":"<b>hi</b>"}' });
      assert.equal(good.statusCode, 200);
      assert.match(String(good.headers['content-security-policy']), /^sandbox allow-scripts allow-forms/);
      assert.match(good.body, /<script src="\/portal\/assets\/crowd-html-elements\.js"><\/script>/);
      assert.match(good.body, /<p>&lt;b&gt;hi&lt;\/b&gt;<\/p>/);
      const unknownFilter = await h.post('/console/task-uis/preview', admin, { template: '<p>\n{{ task.input.text | shout }}</p>', input: '{}' });
      assert.match(unknownFilter.body, /TemplateUnknownFilter: Unknown filter &#34;shout&#34; at line 2/);
      const unknownElement = await h.post('/console/task-uis/preview', admin, { template: '<p>ok</p>\n\n<crowd-clasifier name="s"></crowd-clasifier>', input: '{}' });
      assert.match(unknownElement.body, /TemplateUnknownElement: Unknown element &#60;crowd-clasifier&#62; at line 3/);
      const badInput = await h.post('/console/task-uis/preview', admin, { template: '<p>x</p>', input: '{' });
      assert.match(badInput.body, /sample input is not valid JSON/);
    });

    test('create a flow definition through the form; list and detail show loops by status', async () => {
      await h.createFlow('seed'); // a team and UI exist (seed-ui, team reviewers)
      const bad = await h.post('/console/flows', admin, { name: 'f1', team: h.team, ui: 'my-ui', title: 'T', description: 'D', taskCount: 'two', timeLimit: '60', lifetime: '600', outputPath: 's3://bkt/p' });
      assert.equal(bad.statusCode, 400);
      assert.match(noticesOf(bad.body), /Workers per loop must be a whole number/);
      const ok = await h.post('/console/flows', admin, { name: 'f1', team: h.team, ui: 'my-ui', title: 'Check', description: 'Check it', keywords: 'a, b', taskCount: '2', timeLimit: '60', lifetime: '600', outputPath: 's3://bkt/p' });
      assert.equal(ok.statusCode, 303, noticesOf(ok.body));
      await h.startLoop('f1', 'l-1', { text: 'x' });
      const list = await h.get('/console/flows', admin);
      assert.match(list.body, /href="\/console\/loops\?flow=f1&amp;status=InProgress">1<\/a>/);
      // No worker in the team: TaskCount 2 cannot be met.
      assert.match(list.body, /TaskCount is 2 but work team reviewers has 0 active workers/);
      const detail = await h.get('/console/flows/f1', admin);
      assert.match(detail.body, /InProgress 1 · Completed 0/);
      const inUse = await h.post('/console/flows/f1/delete', admin);
      assert.equal(inUse.statusCode, 409);
    });

    test('paste CreateFlowDefinition JSON; warnings for a UI that fails to render and an unwritable output path', async () => {
      // Stored fine (CreateHumanTaskUi checks syntax, elements and filters), failing only when rendered.
      const stored = await h.post('/console/task-uis', admin, { name: 'filtery', template: '<p>{{ (1..1000000000) | size }}</p>' });
      assert.equal(stored.statusCode, 303, noticesOf(stored.body));
      const blocked = join(h.resources.config.outputDir, 'locked');
      await mkdir(h.resources.config.outputDir, { recursive: true });
      await writeFile(blocked, 'a file where a directory should be');
      await chmod(blocked, 0o444);
      const json = JSON.stringify({
        FlowDefinitionName: 'pasted',
        RoleArn: 'arn:aws:iam::111122223333:role/r',
        OutputConfig: { S3OutputPath: 's3://locked/out' },
        HumanLoopConfig: {
          WorkteamArn: `arn:aws:sagemaker:us-east-1:${h.resources.caller.accountId}:workteam/private-crowd/${h.team}`,
          HumanTaskUiArn: `arn:aws:sagemaker:us-east-1:${h.resources.caller.accountId}:human-task-ui/filtery`,
          TaskTitle: 't',
          TaskDescription: 'd',
          TaskCount: 1,
        },
      });
      const ok = await h.post('/console/flows', admin, { json });
      assert.equal(ok.statusCode, 303, noticesOf(ok.body));
      const detail = await h.get('/console/flows/pasted', admin);
      assert.match(detail.body, /The output path s3:\/\/locked\/out cannot be written: .*locked is a file, not a directory/);
      assert.match(detail.body, /Task UI filtery fails to render: TemplateRenderLimitExceeded: /);
      const garbage = await h.post('/console/flows', admin, { json: '{"FlowDefinitionName": 5}' });
      assert.equal(garbage.statusCode, 400);
    });
  });
}
