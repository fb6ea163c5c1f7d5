/**
 * JSON nesting depth is bounded on every JSON body and every JSON document carried in a string
 * member: 10,000 levels used to reach JSON.stringify (a RangeError, so HTTP 500) through the
 * portal's answer submission. Each route refuses with a 400 in its own error shape instead.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildArn } from '../../src/domain/arns.js';
import { exceedsJsonDepth, jsonTextDecodesNul, MAX_JSON_DEPTH } from '../../src/domain/json-text.js';
import { createAccessKey } from '../../src/security/access-keys.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { signedInject, type SigningKey } from '../support/signed-inject.js';
import { openConsoleHarness, type ConsoleHarness } from '../console/console-harness.js';
import { postApi } from '../portal/portal-harness.js';

const DEEP = 10_000;
const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('exceedsJsonDepth', () => {
  test('counts arrays and objects, not brackets inside strings', () => {
    assert.equal(exceedsJsonDepth('{"a":[1]}', 2), false);
    assert.equal(exceedsJsonDepth('{"a":[[1]]}', 2), true);
    assert.equal(exceedsJsonDepth('"[[[[[[", 1', 1), false);
    assert.equal(exceedsJsonDepth('{"a\\"[[[":"\\\\"}', 1), false, 'escaped quotes and backslashes keep the string state right');
    assert.equal(exceedsJsonDepth('[1,[2],[3],[4]]', 2), false, 'siblings do not add up');
    assert.equal(exceedsJsonDepth('42', 0), false);
  });

  test(`the default limit is ${MAX_JSON_DEPTH}; a million levels are refused without overflowing the stack`, () => {
    assert.equal(exceedsJsonDepth(nestedArrays(MAX_JSON_DEPTH)), false);
    assert.equal(exceedsJsonDepth(nestedArrays(MAX_JSON_DEPTH + 1)), true);
    assert.equal(exceedsJsonDepth(nestedObjects(1_000_000)), true);
    // Still valid JSON that JSON.parse accepts: the bound is what keeps it out.
    assert.doesNotThrow(() => JSON.parse(nestedObjects(MAX_JSON_DEPTH + 1)));
  });
});

describe('jsonTextDecodesNul', () => {
  test('a \\u0000 escape in a string of this document, not of a document nested in a string', () => {
    assert.equal(jsonTextDecodesNul('{"a":"x\\u0000y"}'), true);
    assert.equal(jsonTextDecodesNul('{"a\\u0000":1}'), true);
    assert.equal(jsonTextDecodesNul('{"a":"{\\"b\\":\\"\\\\u0000\\"}"}'), false, 'InputContent carrying its own escape');
    assert.equal(jsonTextDecodesNul('{"a":"\\\\u0000"}'), false, 'an escaped backslash followed by u0000 is text');
    assert.equal(jsonTextDecodesNul('{"a":"\\u0001"}'), false);
  });
});

for (const dialect of DIALECTS) {
  describe(`JSON nesting depth on every route (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let h: ConsoleHarness;
    let key: SigningKey;
    const aws = (target: string, body: string) =>
      signedInject(h.app, key, h.resources.clock.now(), {
        method: 'POST',
        url: '/',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `SageMaker.${target}` },
        body,
      });

    before(async () => {
      h = await openConsoleHarness(dialect);
      const created = await createAccessKey(h.resources, h.resources.caller.accountId);
      key = { accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey };
    });
    after(() => h?.close());

    test('portal answer nested 10,000 levels: 400 with a sentence, nothing saved; a plain answer then completes the loop', async () => {
      await h.createFlow('deep-flow');
      await h.startLoop('deep-flow', 'deep-loop');
      await h.addWorker('deep@example.com');
      const session = await h.signIn('deep@example.com');
      const next = await postApi(h.app, '/portal/api/tasks/next', session);
      const taskId = next.json().task.taskId as string;
      for (const answer of [nestedArrays(DEEP), nestedObjects(DEEP)]) {
        const refused = await postApi(h.app, `/portal/api/tasks/${taskId}/answer`, session, `{"answer":{"deep":${answer}}}`);
        assert.equal(refused.statusCode, 400, refused.body);
        assert.equal(refused.json().message, `The request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep. Nothing was saved.`);
      }
      assert.equal((await h.resources.store.db.selectFrom('answers').selectAll().execute()).length, 0);
      const saved = await postApi(h.app, `/portal/api/tasks/${taskId}/answer`, session, { answer: { deep: JSON.parse(nestedArrays(50)) } });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal(saved.json().loopCompleted, true);
    });

    test('admin API: SerializationException 400', async () => {
      const response = await signedInject(h.app, key, h.resources.clock.now(), {
        method: 'POST',
        url: '/admin/workers',
        headers: { 'content-type': 'application/json' },
        body: `{"email":"x@example.com","teams":${nestedArrays(DEEP)}}`,
        service: 'tandem',
      });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.headers['x-amzn-errortype'], 'SerializationException');
      assert.match(response.json().message, /more than 100 levels deep/);
    });

    test('SageMaker and A2I runtime bodies: SerializationException; JSON in string members: ValidationException', async () => {
      const body = await aws('ListWorkteams', `{"NextToken":"x","Extra":${nestedObjects(DEEP)}}`);
      assert.equal(body.statusCode, 400, body.body);
      assert.equal(body.headers['x-amzn-errortype'], 'SerializationException');
      assert.match(body.json().Message, /The request body nests arrays and objects more than 100 levels deep/);

      const render = await aws('RenderUiTemplate', JSON.stringify({
        UiTemplate: { Content: '<p>{{ task.input.a }}</p>' },
        Task: { Input: nestedObjects(DEEP) },
        RoleArn: 'arn:aws:iam::111122223333:role/r',
      }));
      assert.equal(render.statusCode, 400, render.body);
      assert.equal(render.headers['x-amzn-errortype'], 'ValidationException');
      assert.match(render.json().Message, /^Task\.Input nests arrays and objects more than 100 levels deep/);

      await h.createFlow('deep-start');
      const startBody = (input: string) => JSON.stringify({
        HumanLoopName: 'too-deep',
        FlowDefinitionArn: buildArn('flow-definition', h.resources.caller, 'deep-start'),
        HumanLoopInput: { InputContent: input },
      });
      const start = await signedInject(h.app, key, h.resources.clock.now(), {
        method: 'POST',
        url: '/human-loops',
        headers: { 'content-type': 'application/json' },
        body: startBody(nestedObjects(DEEP)),
      });
      assert.equal(start.statusCode, 400, start.body);
      assert.equal(start.headers['x-amzn-errortype'], 'ValidationException');
      assert.match(start.json().message, /^HumanLoopInput\.InputContent nests arrays and objects more than 100 levels deep/);
      const startDeepBody = await signedInject(h.app, key, h.resources.clock.now(), {
        method: 'POST',
        url: '/human-loops',
        headers: { 'content-type': 'application/json' },
        body: startBody('{}').replace(/}$/, `,"Extra":${nestedArrays(DEEP)}}`),
      });
      assert.equal(startDeepBody.statusCode, 400, startDeepBody.body);
      assert.equal(startDeepBody.headers['x-amzn-errortype'], 'SerializationException');
    });

    test('U+0000 in a path segment, a form field, a portal JSON body or an admin body: 400, never a store error', async () => {
      await h.addWorker('nul@example.com');
      const session = await h.signIn('nul@example.com');
      for (const url of ['/portal/api/tasks/%00/release', '/portal/api/tasks/a%00b/answer']) {
        const response = await postApi(h.app, url, session, { answer: {} });
        assert.equal(response.statusCode, 400, `${url}: ${response.body}`);
        assert.equal(response.json().message, 'Text must not contain the NUL character (U+0000).');
      }
      const answer = await postApi(h.app, '/portal/api/tasks/x/answer', session, '{"answer":{"a":"\\u0000"}}');
      assert.equal(answer.statusCode, 400, answer.body);
      const form = await h.app.inject({ method: 'POST', url: '/portal/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=a%00b&password=x' });
      assert.equal(form.statusCode, 400, form.body);
      const adminBody = await signedInject(h.app, key, h.resources.clock.now(), {
        method: 'POST',
        url: '/admin/workers',
        headers: { 'content-type': 'application/json' },
        body: `{"email":"nul2@example.com","teams":["${h.team}"],"name":"a\\u0000b"}`,
        service: 'tandem',
      });
      assert.equal(adminBody.statusCode, 400, adminBody.body);
      assert.equal(adminBody.headers['x-amzn-errortype'], 'ValidationException');
      const adminPath = await signedInject(h.app, key, h.resources.clock.now(), { method: 'GET', url: '/admin/workers/%00', service: 'tandem' });
      assert.equal(adminPath.statusCode, 400, adminPath.body);
      const awsBody = await aws('CreateWorkteam', JSON.stringify({ WorkteamName: 'nul-team', Description: 'a\u0000b', MemberDefinitions: [] }));
      assert.equal(awsBody.statusCode, 400, awsBody.body);
      assert.equal(awsBody.headers['x-amzn-errortype'], 'ValidationException');
    });

    test('console: JSON body, pasted flow definition and sample input are refused with a sentence', async () => {
      await h.addAdmin('ops@example.com', 'admin');
      const who = await h.consoleSignIn('ops@example.com');
      const json = await h.app.inject({
        method: 'POST',
        url: '/console/teams',
        headers: { cookie: who.cookie, 'content-type': 'application/json', 'x-csrf-token': who.csrfToken },
        payload: `{"_csrf":"${who.csrfToken}","name":${nestedArrays(DEEP)}}`,
      });
      assert.equal(json.statusCode, 400, json.body);
      assert.match(json.body, /nests arrays and objects more than 100 levels deep/);

      const pasted = await h.post('/console/flows', who, { json: nestedObjects(DEEP) });
      assert.equal(pasted.statusCode, 400, pasted.body);
      assert.match(pasted.body, /The pasted text nests arrays and objects more than 100 levels deep/);

      const preview = await h.post('/console/task-uis/preview', who, { template: '<p>{{ task.input.a }}</p>', input: nestedObjects(DEEP) });
      assert.equal(preview.statusCode, 200, preview.body);
      assert.match(preview.body, /The sample input nests arrays and objects more than 100 levels deep/);
    });
  });
}
