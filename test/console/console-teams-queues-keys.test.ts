import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { claimNextTask, submitAnswer } from '../../src/operations/reviews.js';
import { workerIdentity } from '../../src/operations/worker-sessions.js';
import { findWorkerById } from '../../src/store/workers.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { noticesOf, openConsoleHarness, type ConsoleHarness, type ConsoleSignIn } from './console-harness.js';

for (const dialect of DIALECTS) {
  describe(`console teams, queues and keys (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let h: ConsoleHarness;
    let admin: ConsoleSignIn;
    before(async () => {
      h = await openConsoleHarness(dialect);
      await h.addAdmin('root@example.com', 'admin');
      admin = await h.consoleSignIn('root@example.com');
    });
    after(() => h?.close());

    test('create a team, invite a worker (link shown once), deactivate and activate them', async () => {
      const created = await h.post('/console/teams', admin, { name: 'labellers', description: 'Label people' });
      assert.equal(created.statusCode, 303);
      const dup = await h.post('/console/teams', admin, { name: 'labellers', description: 'again' });
      assert.equal(dup.statusCode, 400);
      const invited = await h.post('/console/workers', admin, { email: 'New@Example.com', team: 'labellers' });
      assert.equal(invited.statusCode, 200);
      const link = /<code id="invite-url">([^<]+)<\/code>/.exec(invited.body);
      assert.ok(link && link[1]!.includes('/portal/invite/'), invited.body);
      const team = await h.get('/console/teams/labellers', admin);
      assert.match(team.body, /new@example\.com<\/td><td>active<\/td><td>invited<\/td>/);
      const id = (await h.resources.store.db.selectFrom('workers').select('id').where('email', '=', 'new@example.com').executeTakeFirstOrThrow()).id;
      assert.equal((await h.post(`/console/workers/${id}/deactivate`, admin, { team: 'labellers' })).statusCode, 303);
      assert.equal((await findWorkerById(h.resources.store.db, id))!.status, 'inactive');
      assert.equal((await h.post(`/console/workers/${id}/activate`, admin)).statusCode, 303);
      assert.equal((await findWorkerById(h.resources.store.db, id))!.status, 'active');
      assert.equal((await h.post('/console/workers/0000000000000000/deactivate', admin)).statusCode, 404);
    });

    test('per-worker answered tasks, median time and skips; the queue shows waiting, leased, oldest age and answers per hour', async () => {
      await h.createFlow('qflow');
      const ana = await h.addWorker('ana@example.com');
      for (const name of ['q-1', 'q-2', 'q-3']) await h.startLoop('qflow', name);
      h.resources.clock.advance(90_000);
      const worker = workerIdentity((await findWorkerById(h.resources.store.db, ana))!);
      const task = await claimNextTask(h.resources, worker);
      assert.ok(task);
      h.resources.clock.advance(12_000);
      await submitAnswer(h.resources, worker, task.taskId, { category: { label: 'Dog' } });
      const second = await claimNextTask(h.resources, worker);
      assert.ok(second);
      const queues = await h.get('/console/queues', admin);
      assert.match(queues.body, /<td><a href="\/console\/teams\/reviewers">reviewers<\/a><\/td><td><a href="\/console\/flows\/qflow">qflow<\/a><\/td><td>1<\/td><td>1<\/td><td>102 s<\/td><td>1<\/td><td>2<\/td>/); // lifetime 1 h: both unanswered slots expire within the hour
      const fragment = await h.get('/console/api/queues', admin);
      assert.equal(fragment.statusCode, 200);
      assert.match(fragment.body, /<td>qflow|qflow<\/a>/);
      assert.equal((await h.app.inject({ method: 'GET', url: '/console/api/queues' })).statusCode, 401);
      const team = await h.get('/console/teams/reviewers', admin);
      assert.match(team.body, /ana@example\.com<\/td><td>active<\/td><td>password<\/td><td>1<\/td><td>12\.0 s<\/td><td>0<\/td>/);
      // The task ana holds now, with its lease's expiry and the moment a quiet task page gives it back.
      const iso = (ms: number) => new Date(ms).toISOString();
      const now = h.resources.clock.now();
      const idle = h.resources.config.leaseIdleTimeoutSeconds * 1000;
      const held = new RegExp(
        `<td>ana@example\\.com</td><td><a href="/console/loops/${second.humanLoopName}">${second.humanLoopName}</a></td><td>qflow</td>` +
          `<td><time datetime="${iso(second.acceptedAt)}">[^<]+</time></td>` +
          `<td><time datetime="${iso(second.leaseExpiresAt)}">[^<]+</time> \\(in ${Math.round((second.leaseExpiresAt - now) / 60_000)} min\\)</td>` +
          `<td><time datetime="${iso(now + idle)}">[^<]+</time> \\(in ${Math.round(idle / 60_000)} min\\)</td>`,
      );
      assert.match(team.body, held);
      assert.equal(team.body.match(/<a href="\/console\/loops\//g)?.length, 1, 'the answered task is no longer held');
      h.resources.clock.advance(second.leaseExpiresAt - now);
      const expired = await h.get('/console/teams/reviewers', admin);
      assert.match(expired.body, /No worker of this team holds a task\./, 'a lease past its expiry is not shown as held');
    });

    test('create a key (secret shown once), list, revoke; another account\'s key cannot be revoked', async () => {
      const created = await h.post('/console/keys', admin, { description: 'ci pipeline' });
      const id = /<code id="new-key-id">([^<]+)<\/code>/.exec(created.body)?.[1];
      assert.ok(id);
      assert.match(created.body, /<code id="new-key-secret">[^<]{30,}<\/code>/);
      const list = await h.get('/console/keys', admin);
      assert.match(list.body, new RegExp(`${id}</code></td><td>ci pipeline</td>`));
      assert.doesNotMatch(list.body, /new-key-secret/);
      const revoked = await h.post(`/console/keys/${id}/revoke`, admin);
      assert.match(noticesOf(revoked.body), /Revoked/);
      const row = await h.resources.store.db.selectFrom('access_keys').select('revoked_at').where('access_key_id', '=', id!).executeTakeFirstOrThrow();
      assert.notEqual(row.revoked_at, null);
      await h.createAccount('444455556666');
      await h.addAdmin('other@example.com', 'admin', '444455556666');
      const other = await h.consoleSignIn('other@example.com');
      const root = await h.resources.store.db.selectFrom('access_keys').select('access_key_id').where('account_id', '=', h.resources.caller.accountId).executeTakeFirst();
      if (root) assert.equal((await h.post(`/console/keys/${root.access_key_id}/revoke`, other)).statusCode, 404);
      assert.doesNotMatch((await h.get('/console/keys', other)).body, new RegExp(id!));
    });
  });
}
