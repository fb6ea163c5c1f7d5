/**
 * Tandem's task events through a real listening Tandem, the portal's HTTP API and a real webhook
 * receiver, on each dialect: a task answered in the portal gives leased → answered, a skipped one
 * returned (skipped), a reviewer signing out returned (released), an overdue lease expired; each
 * under a Tandem detail-type and source, so a consumer matching A2I's pattern sees none of them.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { A2I_DETAIL_TYPE, type EventEnvelope } from '../../src/domain/events.js';
import { addReviewer } from '../support/built-in-flows.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { createReviewSetup } from '../support/fixtures.js';
import { useTestTandem, type TestTandem } from '../support/tandem.js';
import { adminRequest, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const PASSWORD = 'correct horse battery staple';

/** A2I's EventBridge rule pattern, as a consumer of A2I's events writes it. */
function matchesA2iPattern(event: EventEnvelope): boolean {
  return event.source === 'aws.sagemaker' && event['detail-type'] === A2I_DETAIL_TYPE;
}

/** A reviewer signed in to the portal over HTTP, as the browser is. */
interface PortalSession {
  cookie: string;
  csrf: string;
}

async function signIn(url: string, email: string): Promise<PortalSession> {
  const response = await fetch(new URL('/portal/sign-in', url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: PASSWORD }).toString(),
  });
  assert.equal(response.status, 303, await response.text());
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('tandem_session='))!.split(';')[0]!;
  const page = await (await fetch(new URL('/portal/work', url), { headers: { cookie } })).text();
  const csrf = /<meta name="tandem-csrf-token" content="([^"]+)">/.exec(page)?.[1];
  assert.ok(csrf, 'the task page carries the CSRF token');
  return { cookie, csrf };
}

async function portalPost(url: string, session: PortalSession, path: string, body: unknown = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(new URL(path, url), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function nextTask(url: string, session: PortalSession): Promise<string> {
  const claimed = await portalPost(url, session, '/portal/api/tasks/next');
  assert.equal(claimed.status, 200, JSON.stringify(claimed.json));
  const task = claimed.json.task as { taskId: string } | null;
  assert.ok(task, 'a task was offered');
  return task.taskId;
}

for (const dialect of DIALECTS) {
  describe(`task events to a webhook (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    let receiver: WebhookReceiver;
    let a2iOnly: WebhookReceiver;
    let flowArn: string;

    useTestTandem(
      dialect,
      async (started) => {
        tandem = started;
        receiver = await startWebhookReceiver();
        a2iOnly = await startWebhookReceiver('/a2i-only');
        for (const body of [{ url: receiver.url }, { url: a2iOnly.url, detailType: A2I_DETAIL_TYPE }]) {
          const added = await adminRequest(tandem.url, tandem.credentials, 'POST', '/admin/webhooks', body);
          assert.equal(added.status, 201, JSON.stringify(added.json));
        }
        flowArn = (await createReviewSetup(tandem, 'tasks')).FlowDefinitionArn;
      },
      { webhookAllowPrivateTargets: true },
    );
    after(async () => {
      await receiver?.close();
      await a2iOnly?.close();
    });

    const start = (name: string) =>
      tandem.a2i.send(new StartHumanLoopCommand({ HumanLoopName: name, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: JSON.stringify({ text: name }) } }));
    const eventsOf = (name: string) => receiver.accepted().filter((d) => d.event.resources[0]!.endsWith(`:human-loop/${name}`)).map((d) => d.event);
    const timeline = (name: string) => eventsOf(name).map((e) => (e['detail-type'] === 'Tandem Task Returned' ? `${e['detail-type']} (${String(e.detail.reason)})` : e['detail-type']));

    test('answered, skipped, released and overdue tasks each give their Tandem task events, in order', async () => {
      const alice = await addReviewer(tandem, 'alice@example.com', 'tasks-team', PASSWORD);
      const bob = await addReviewer(tandem, 'bob@example.com', 'tasks-team', PASSWORD);
      const aliceSession = await signIn(tandem.url, 'alice@example.com');
      const bobSession = await signIn(tandem.url, 'bob@example.com');

      // Answered in the portal: leased, answered, then A2I's Completed.
      await start('answered');
      const answeredTask = await nextTask(tandem.url, aliceSession);
      const saved = await portalPost(tandem.url, aliceSession, `/portal/api/tasks/${answeredTask}/answer`, { answer: { category: { label: 'Cat' } } });
      assert.equal(saved.status, 200, JSON.stringify(saved.json));

      // Skipped by alice, then leased by bob, whose lease runs out.
      await start('skipped');
      const skippedTask = await nextTask(tandem.url, aliceSession);
      assert.equal((await portalPost(tandem.url, aliceSession, `/portal/api/tasks/${skippedTask}/release`)).status, 200);
      assert.equal(await nextTask(tandem.url, bobSession), skippedTask, 'the skipped slot is back in the queue for others');
      await tandem.resources.store.db.updateTable('tasks').set({ lease_expires_at: Date.now() - 1000 }).where('id', '=', skippedTask).execute();
      await tandem.engine.tick();

      // Leased by alice, who signs out: her lease goes back at once.
      await start('released');
      await nextTask(tandem.url, aliceSession);
      const signOut = await fetch(new URL('/portal/sign-out', tandem.url), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: aliceSession.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: aliceSession.csrf }).toString(),
      });
      assert.equal(signOut.status, 303);

      await receiver.waitFor('every task event', () => timeline('answered').length === 4 && timeline('skipped').length === 5 && timeline('released').length === 3);
      assert.deepEqual(timeline('answered'), ['Tandem HumanLoop Created', 'Tandem Task Leased', 'Tandem Task Answered', A2I_DETAIL_TYPE]);
      assert.deepEqual(timeline('skipped'), [
        'Tandem HumanLoop Created',
        'Tandem Task Leased',
        'Tandem Task Returned (skipped)',
        'Tandem Task Leased',
        'Tandem Task Expired',
      ]);
      assert.deepEqual(timeline('released'), ['Tandem HumanLoop Created', 'Tandem Task Leased', 'Tandem Task Returned (released)']);

      const [created, leased, answered] = eventsOf('answered');
      for (const event of [leased!, answered!]) {
        assert.equal(event.source, 'tandem');
        assert.equal(event.account, tandem.accountId);
        assert.deepEqual(event.resources, [created!.detail.humanLoopArn]);
        assert.equal(event.detail.humanLoopName, 'answered');
        assert.equal(event.detail.humanLoopArn, created!.detail.humanLoopArn);
        assert.equal(event.detail.flowDefinitionArn, flowArn);
        assert.equal(event.detail.taskId, answeredTask);
        assert.equal(event.detail.taskIndex, 0);
        assert.equal(event.detail.workteamName, 'tasks-team');
        assert.equal(event.detail.workerId, alice.id);
        assert.match(event.detail.acceptanceTime as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.match(event.detail.leaseExpiryTime as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.equal(Date.parse(event.detail.leaseExpiryTime as string) - Date.parse(event.detail.acceptanceTime as string), 300_000, 'TaskTimeLimitInSeconds');
      }
      assert.equal(answered!.detail.acceptanceTime, leased!.detail.acceptanceTime);
      assert.match(answered!.detail.submissionTime as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(typeof answered!.detail.timeSpentInSeconds, 'number');
      assert.ok(!('answerContent' in answered!.detail), 'answers stay in output.json');

      const skipped = eventsOf('skipped');
      assert.equal(skipped[2]!.detail.workerId, alice.id, 'the skip names who returned it');
      assert.equal(skipped[4]!.detail.workerId, bob.id, 'the expiry names whose lease ran out');
      assert.equal(skipped[4]!.detail.taskId, skippedTask);

      // Stable, unique ids; nothing of Tandem's matches A2I's pattern or reaches the A2I-only webhook.
      const all = receiver.accepted().map((d) => d.event);
      assert.equal(new Set(all.map((e) => e.id)).size, all.length);
      const taskEvents = all.filter((e) => e['detail-type'].startsWith('Tandem Task '));
      assert.equal(taskEvents.length, 8);
      assert.deepEqual(taskEvents.filter(matchesA2iPattern), []);
      await a2iOnly.waitFor('the completed loop', (accepted) => accepted.length >= 1);
      assert.deepEqual(
        a2iOnly.accepted().map((d) => `${d.event['detail-type']}|${String(d.event.detail.humanLoopName)}`),
        [`${A2I_DETAIL_TYPE}|answered`],
      );
      assert.ok(a2iOnly.accepted().every((d) => matchesA2iPattern(d.event)));
    });
  });
}
