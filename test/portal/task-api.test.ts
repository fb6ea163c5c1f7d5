import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { REVIEW_HOOKS } from '../../src/api/review-hooks.js';
import { ENGINE_TASKS } from '../../src/engine/tasks.js';
import { TASK_FRAME_CSP } from '../../src/api/portal/security-headers.js';
import { describeHumanLoop, stopHumanLoop } from '../../src/operations/human-loops.js';
import { deactivateWorker } from '../../src/operations/workers.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { openPortalHarness, postApi, type PortalHarness, type SignedIn } from './portal-harness.js';
import { ensureWebBundles } from './web-bundles.js';

const EXPECTED_FRAME_CSP =
  "sandbox allow-scripts allow-forms; default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data: blob: https:; media-src 'self' https:; font-src 'self' data:; connect-src 'none'; form-action 'none'; frame-ancestors 'self'";

interface ClaimedTask {
  taskId: string;
  title: string;
  description: string;
  leaseExpiresAt: number;
  acceptedAt: number;
  frameUrl: string;
  renderError?: string;
}

for (const dialect of DIALECTS) {
  describe(`portal task API and frame (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let h: PortalHarness;
    let counter = 0;

    before(async () => {
      await ensureWebBundles();
      h = await openPortalHarness(dialect);
    });
    after(() => h?.close());

    /** A fresh team with one loop of a fresh flow, and `workers` signed-in workers in it. */
    async function scenario(options: { template?: string; taskCount?: number; workers?: number } = {}) {
      const n = ++counter;
      const team = `team-${n}`;
      await h.createTeam(team);
      const flow = await h.createFlow(`flow-${n}`, { team, template: options.template, taskCount: options.taskCount ?? 1 });
      const loopName = `loop-${n}`;
      await h.startLoop(flow, loopName, { question: 'Which animal?', text: `It barks <loudly> ${n}` });
      const sessions: SignedIn[] = [];
      for (let i = 0; i < (options.workers ?? 1); i++) {
        await h.addWorker(`w${n}-${i}@example.com`, [team]);
        sessions.push(await h.signIn(`w${n}-${i}@example.com`));
      }
      return { loopName, sessions };
    }

    async function claim(session: SignedIn): Promise<ClaimedTask | null> {
      const response = await postApi(h.app, '/portal/api/tasks/next', session);
      assert.equal(response.statusCode, 200, response.body);
      return response.json().task as ClaimedTask | null;
    }

    test('next task: title, description, lease and frame URL; the frame renders task.input under the sandbox CSP with Tandem’s bundle', async () => {
      const { sessions } = await scenario();
      const task = await claim(sessions[0]!);
      assert.ok(task);
      assert.equal(task.title, `Review flow-${counter}`);
      assert.equal(task.description, 'Pick the animal');
      assert.equal(task.leaseExpiresAt - task.acceptedAt, 300_000);
      assert.equal(task.renderError, undefined);
      assert.equal((await claim(sessions[0]!))?.taskId, task.taskId, 'asking again (a reload, another tab) offers the held task, not a new lease');

      const frame = await h.app.inject({ method: 'GET', url: task.frameUrl, headers: { cookie: sessions[0]!.cookie } });
      assert.equal(frame.statusCode, 200);
      assert.equal(frame.headers['content-security-policy'], EXPECTED_FRAME_CSP);
      assert.equal(TASK_FRAME_CSP, EXPECTED_FRAME_CSP);
      assert.equal(frame.headers['x-frame-options'], undefined);
      assert.equal(frame.headers['referrer-policy'], 'no-referrer');
      assert.match(frame.body, /<script src="\/portal\/assets\/crowd-html-elements\.js"><\/script>/);
      assert.doesNotMatch(frame.body, /assets\.crowd\.aws/);
      assert.match(frame.body, /header="Which animal\?"/);
      assert.match(frame.body, new RegExp(`It barks &lt;loudly&gt; ${counter}`)); // autoescaped input

      const bundle = await h.app.inject({ method: 'GET', url: '/portal/assets/crowd-html-elements.js' });
      assert.equal(bundle.statusCode, 200);
      assert.match(String(bundle.headers['content-type']), /^text\/javascript/);
      const portalScript = await h.app.inject({ method: 'GET', url: '/portal/assets/portal.js' });
      assert.equal(portalScript.statusCode, 200);
      assert.equal((await h.app.inject({ method: 'GET', url: '/portal/assets/..%2Fpackage.json' })).statusCode, 404);
    });

    test('the frame needs the session, and only the worker holding the task sees it', async () => {
      const { sessions } = await scenario({ taskCount: 2, workers: 2 });
      const task = (await claim(sessions[0]!))!;
      const anonymous = await h.app.inject({ method: 'GET', url: task.frameUrl });
      assert.equal(anonymous.statusCode, 401);
      assert.match(anonymous.body, /Your session has ended/);
      assert.equal(anonymous.headers['content-security-policy'], EXPECTED_FRAME_CSP);
      const other = await h.app.inject({ method: 'GET', url: task.frameUrl, headers: { cookie: sessions[1]!.cookie } });
      assert.equal(other.statusCode, 404);
      assert.match(other.body, /not assigned to you/);
    });

    test('an answer is stored; the next reviewer’s frame shows only the input, never the earlier answer', async () => {
      const { loopName, sessions } = await scenario({ taskCount: 2, workers: 2 });
      const first = (await claim(sessions[0]!))!;
      const secret = 'first-reviewer-note-7f3a';
      const answered = await postApi(h.app, `/portal/api/tasks/${first.taskId}/answer`, sessions[0]!, { answer: { category: { label: 'Dog' }, note: secret } });
      assert.equal(answered.statusCode, 200, answered.body);
      assert.deepEqual(answered.json(), { loopCompleted: false });
      assert.equal(await claim(sessions[0]!), null, 'a worker answers a loop once');

      const second = (await claim(sessions[1]!))!;
      const frame = await h.app.inject({ method: 'GET', url: second.frameUrl, headers: { cookie: sessions[1]!.cookie } });
      assert.equal(frame.statusCode, 200);
      assert.doesNotMatch(frame.body, new RegExp(secret));
      const done = await postApi(h.app, `/portal/api/tasks/${second.taskId}/answer`, sessions[1]!, { answer: { category: { label: 'Cat' }, note: '' } });
      assert.deepEqual(done.json(), { loopCompleted: true });
      const loop = await describeHumanLoop(h.resources, h.resources.caller, loopName);
      assert.equal(loop.HumanLoopStatus, 'Completed');
    });

    test('bad answers get a 4xx with a message and store nothing: malformed JSON, not an object, over 512 KiB, task not held', async () => {
      const { sessions } = await scenario({ workers: 2 });
      const task = (await claim(sessions[0]!))!;
      const url = `/portal/api/tasks/${task.taskId}/answer`;
      const malformed = await postApi(h.app, url, sessions[0]!, '{"answer": {');
      assert.equal(malformed.statusCode, 400);
      assert.match(malformed.json().message, /not valid JSON/);
      for (const answer of [null, [1, 2], 'text', 5]) {
        const response = await postApi(h.app, url, sessions[0]!, { answer });
        assert.equal(response.statusCode, 400);
        assert.match(response.json().message, /must be a JSON object/);
      }
      const big = await postApi(h.app, url, sessions[0]!, { answer: { note: 'x'.repeat(512 * 1024) } });
      assert.equal(big.statusCode, 413);
      assert.match(big.json().message, /larger than/);
      const huge = await postApi(h.app, url, sessions[0]!, { answer: { note: 'x'.repeat(2 * 1024 * 1024) } });
      assert.equal(huge.statusCode, 413);
      assert.match(huge.json().message, /too large; nothing was saved/);
      const notMine = await postApi(h.app, url, sessions[1]!, { answer: { note: 'hi' } });
      assert.equal(notMine.statusCode, 404);
      assert.match(notMine.json().message, /not assigned to you/);
      const unknown = await postApi(h.app, '/portal/api/tasks/no-such-task/answer', sessions[0]!, { answer: { note: 'hi' } });
      assert.equal(unknown.statusCode, 404);
      const stored = await h.resources.store.db.selectFrom('answers').selectAll().where('task_id', '=', task.taskId).execute();
      assert.equal(stored.length, 0);
      // The task is still held and answerable after all that.
      const ok = await postApi(h.app, url, sessions[0]!, { answer: { note: 'fine' } });
      assert.equal(ok.statusCode, 200, ok.body);
    });

    test('an expired lease: the answer is refused with a message, and the task goes to someone else', async () => {
      const { sessions } = await scenario({ workers: 2 });
      const task = (await claim(sessions[0]!))!;
      h.resources.clock.advance(300_000);
      const late = await postApi(h.app, `/portal/api/tasks/${task.taskId}/answer`, sessions[0]!, { answer: { note: 'late' } });
      assert.equal(late.statusCode, 404);
      assert.match(late.json().message, /ran out/i);
      const resumed = await postApi(h.app, `/portal/api/tasks/${task.taskId}/resume`, sessions[0]!);
      assert.equal(resumed.statusCode, 404);
      for (const task of ENGINE_TASKS) await task.run(h.resources); // the lease-expiry timer requeues it
      const again = await claim(sessions[1]!);
      assert.equal(again?.taskId, task.taskId);
    });

    test('deactivating a worker returns their task to the queue', async () => {
      const { sessions } = await scenario({ workers: 2 });
      const task = (await claim(sessions[0]!))!;
      const holder = await h.resources.store.db.selectFrom('tasks').select('worker_id').where('id', '=', task.taskId).executeTakeFirstOrThrow();
      const { releasedLeases } = await deactivateWorker(h.resources, h.resources.caller.accountId, holder.worker_id!);
      assert.equal(releasedLeases, 1);
      assert.equal((await postApi(h.app, `/portal/api/tasks/${task.taskId}/answer`, sessions[0]!, { answer: {} })).statusCode, 401);
      assert.equal((await claim(sessions[1]!))?.taskId, task.taskId);
    });

    test('a stopped loop accepts no answer, and says so', async () => {
      const { loopName, sessions } = await scenario();
      const task = (await claim(sessions[0]!))!;
      await stopHumanLoop(h.resources, h.resources.caller, loopName, REVIEW_HOOKS.onStopped);
      const response = await postApi(h.app, `/portal/api/tasks/${task.taskId}/answer`, sessions[0]!, { answer: { note: 'too late' } });
      assert.ok(response.statusCode >= 400 && response.statusCode < 500);
      assert.match(response.json().message, /stopped/);
      const stored = await h.resources.store.db.selectFrom('answers').selectAll().where('task_id', '=', task.taskId).execute();
      assert.equal(stored.length, 0);
    });

    test('a template that fails to render: the task says why, the frame shows it, and the worker can skip', async () => {
      // Valid when stored (unknown filters and elements are refused then), failing only when rendered.
      const { sessions } = await scenario({ template: '<crowd-form>{{ (1..1000000000) | size }}</crowd-form>', workers: 1 });
      const task = (await claim(sessions[0]!))!;
      assert.match(task.renderError ?? '', /could not be shown \(TemplateRenderLimitExceeded: Rendering allocated more memory than allowed.*\)\. Skip it/);
      const frame = await h.app.inject({ method: 'GET', url: task.frameUrl, headers: { cookie: sessions[0]!.cookie } });
      assert.equal(frame.statusCode, 422);
      assert.match(frame.body, /role="alert">This task&#39;s template could not be shown/);
      const skipped = await postApi(h.app, `/portal/api/tasks/${task.taskId}/release`, sessions[0]!);
      assert.equal(skipped.statusCode, 200);
      assert.deepEqual(skipped.json(), { released: true });
      assert.equal(await claim(sessions[0]!), null, 'a skipped loop is not offered again');
      const twice = await postApi(h.app, `/portal/api/tasks/${task.taskId}/release`, sessions[0]!);
      assert.equal(twice.statusCode, 404);
    });

    test('a template without the crowd script still gets Tandem’s bundle', async () => {
      const { sessions } = await scenario({ template: '<crowd-form><crowd-input name="note"></crowd-input></crowd-form>' });
      const task = (await claim(sessions[0]!))!;
      const frame = await h.app.inject({ method: 'GET', url: task.frameUrl, headers: { cookie: sessions[0]!.cookie } });
      assert.match(frame.body, /<head>[\s\S]*<script src="\/portal\/assets\/crowd-html-elements\.js"><\/script>[\s\S]*<\/head>/);
    });
  });
}
