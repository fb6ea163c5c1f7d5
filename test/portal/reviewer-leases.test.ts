/**
 * Leases that follow the person and idempotent submits (issue 14), in-process on both dialects:
 * the heartbeat keeps a lease, silence releases it after the idle time, a closing page's `leave`
 * after a short grace (a reload takes it back), sign-out releases everything held, and a
 * retried submit of a stored answer succeeds without a second answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ENGINE_TASKS } from '../../src/engine/tasks.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { openPortalHarness, postApi, postForm, type PortalHarness, type SignedIn } from './portal-harness.js';

const IDLE_MS = 300_000; // the default TANDEM_LEASE_IDLE_TIMEOUT

for (const dialect of DIALECTS) {
  describe(`reviewer leases and idempotent submits (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let h: PortalHarness;
    let counter = 0;

    before(async () => {
      h = await openPortalHarness(dialect);
    });
    after(() => h?.close());

    /** A team with one loop whose time limit (1 h) is far beyond the idle time, and two signed-in workers. */
    async function scenario() {
      const n = ++counter;
      const team = `lease-team-${n}`;
      await h.createTeam(team);
      const flow = await h.createFlow(`lease-flow-${n}`, { team, timeLimitSeconds: 3600 });
      const loopName = `lease-loop-${n}`;
      await h.startLoop(flow, loopName);
      const sessions: SignedIn[] = [];
      for (const who of ['a', 'b']) {
        await h.addWorker(`${who}${n}@example.com`, [team]);
        sessions.push(await h.signIn(`${who}${n}@example.com`));
      }
      return { loopName, first: sessions[0]!, second: sessions[1]! };
    }

    async function claim(session: SignedIn): Promise<{ taskId: string; heartbeatIntervalMs: number; idleTimeoutSeconds: number } | null> {
      const response = await postApi(h.app, '/portal/api/tasks/next', session);
      assert.equal(response.statusCode, 200, response.body);
      return response.json().task;
    }

    const runEngine = async () => {
      for (const task of ENGINE_TASKS) await task.run(h.resources);
    };
    const heartbeat = (session: SignedIn, taskId: string) => postApi(h.app, `/portal/api/tasks/${taskId}/heartbeat`, session);

    test('heartbeats keep the lease past the idle time; silence hands the task to another reviewer before the time limit', async () => {
      const { first, second } = await scenario();
      const task = (await claim(first))!;
      assert.equal(task.idleTimeoutSeconds, 300);
      assert.equal(task.heartbeatIntervalMs, IDLE_MS / 4);

      for (let beat = 0; beat < 6; beat++) {
        h.resources.clock.advance(task.heartbeatIntervalMs);
        const response = await heartbeat(first, task.taskId);
        assert.equal(response.statusCode, 200, response.body);
        assert.equal(response.json().idleReleaseAt, h.resources.clock.now() + IDLE_MS);
        await runEngine();
      }
      assert.equal(await claim(second), null, 'a beating page keeps its task (1.5 idle times have passed)');

      h.resources.clock.advance(IDLE_MS - 1);
      await runEngine();
      assert.equal(await claim(second), null, 'not a millisecond early');
      h.resources.clock.advance(1);
      await runEngine();
      assert.equal((await claim(second))?.taskId, task.taskId, 'released at the idle time, long before the 1 h limit');

      const late = await heartbeat(first, task.taskId);
      assert.equal(late.statusCode, 404);
      assert.match(late.json().message, /no longer assigned to you/);
    });

    test('a closing page (leave) releases after a short grace; a reload within it resumes the lease', async () => {
      const { first, second } = await scenario();
      const task = (await claim(first))!;

      const left = await postApi(h.app, `/portal/api/tasks/${task.taskId}/leave`, first);
      assert.equal(left.statusCode, 200, left.body);
      assert.equal(left.json().idleReleaseAt, h.resources.clock.now() + 10_000);
      h.resources.clock.advance(5_000);
      const resumed = await postApi(h.app, `/portal/api/tasks/${task.taskId}/resume`, first);
      assert.equal(resumed.statusCode, 200, 'the reloaded page takes the task back');
      h.resources.clock.advance(60_000);
      await runEngine();
      assert.equal(await claim(second), null);

      // sendBeacon cannot set headers: the token comes as a form field.
      const beacon = await postForm(h.app, `/portal/api/tasks/${task.taskId}/leave`, { _csrf: first.csrfToken }, { cookie: first.cookie });
      assert.equal(beacon.statusCode, 200, beacon.body);
      h.resources.clock.advance(10_000);
      await runEngine();
      assert.equal((await claim(second))?.taskId, task.taskId);
    });

    test('sign-out releases the reviewer’s lease at once', async () => {
      const { first, second } = await scenario();
      const task = (await claim(first))!;
      const signOut = await postForm(h.app, '/portal/sign-out', { _csrf: first.csrfToken }, { cookie: first.cookie });
      assert.equal(signOut.statusCode, 303);
      assert.equal((await claim(second))?.taskId, task.taskId);
    });

    test('another reviewer, a forged request or a signed-out page cannot keep or drop a lease', async () => {
      const { first, second } = await scenario();
      const task = (await claim(first))!;
      const foreign = await heartbeat(second, task.taskId);
      assert.equal(foreign.statusCode, 404);
      const foreignLeave = await postApi(h.app, `/portal/api/tasks/${task.taskId}/leave`, second);
      assert.equal(foreignLeave.statusCode, 404);
      const noToken = await postApi(h.app, `/portal/api/tasks/${task.taskId}/leave`, first, {}, null);
      assert.equal(noToken.statusCode, 403);
      const crossSite = await h.app.inject({
        method: 'POST',
        url: `/portal/api/tasks/${task.taskId}/leave`,
        headers: { cookie: first.cookie, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
        payload: `_csrf=${first.csrfToken}`,
      });
      assert.equal(crossSite.statusCode, 403);
      const noSession = await h.app.inject({ method: 'POST', url: `/portal/api/tasks/${task.taskId}/heartbeat`, headers: { 'content-type': 'application/json' }, payload: '{}' });
      assert.equal(noSession.statusCode, 401);
      h.resources.clock.advance(20_000);
      await runEngine();
      assert.equal(await claim(second), null, 'the lease is untouched');
    });

    test('a retried submit with the same submission id succeeds once more and stores one answer', async () => {
      const { first, loopName } = await scenario();
      const task = (await claim(first))!;
      const url = `/portal/api/tasks/${task.taskId}/answer`;
      const body = { answer: { category: { label: 'Dog' }, note: 'once' }, submissionId: 'sub-0123456789' };
      const stored = await postApi(h.app, url, first, body);
      assert.equal(stored.statusCode, 200, stored.body);
      assert.deepEqual(stored.json(), { loopCompleted: true });
      const retried = await postApi(h.app, url, first, body);
      assert.equal(retried.statusCode, 200, retried.body);
      assert.deepEqual(retried.json(), { loopCompleted: true, alreadySaved: true });
      // The page's last heartbeat crossing its own answer is no lost lease: 410 with a code the page ignores.
      const crossed = await heartbeat(first, task.taskId);
      assert.equal(crossed.statusCode, 410, crossed.body);
      assert.equal(crossed.json().code, 'TaskAnswered');
      const otherId = await postApi(h.app, url, first, { ...body, submissionId: 'sub-another-one' });
      assert.equal(otherId.statusCode, 404, 'a different submit of an answered task is still refused');
      const loop = await h.resources.store.db.selectFrom('human_loops').select('id').where('name', '=', loopName).executeTakeFirstOrThrow();
      const answers = await h.resources.store.db.selectFrom('answers').selectAll().where('human_loop_id', '=', loop.id).execute();
      assert.equal(answers.length, 1);
      assert.equal(answers[0]!.submission_id, 'sub-0123456789');

      for (const bad of ['short', 'x'.repeat(65), 'has space!', 42]) {
        const refused = await postApi(h.app, url, first, { ...body, submissionId: bad });
        assert.equal(refused.statusCode, 400, String(bad));
      }
    });
  });
}
