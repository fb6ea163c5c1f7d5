/**
 * Webhook delivery when the receiver misbehaves, on each dialect, with the clock moved by hand
 * instead of waiting for backoff: a receiver failing N times gets every event once afterwards, in
 * each loop's order; one that never answers has its events dead-lettered after the retry window,
 * listed, and replayed; loopback and private targets are refused at registration and at delivery.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NotFoundError, ValidationError } from '../../src/api/aws/errors.js';
import { retryDelayMs } from '../../src/domain/delivery-schedule.js';
import { verifySignatureHeader } from '../../src/domain/webhook-signature.js';
import { deliverDueEvents, publishEvents } from '../../src/events/delivery.js';
import { startHumanLoop, stopHumanLoop } from '../../src/operations/human-loops.js';
import { addWebhook, listDeadLetters, removeWebhook, replayDeadLetters } from '../../src/operations/webhooks.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { createTestFlow, openTestResources, type TestResources } from '../support/resources.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const HOUR = 3_600_000;

test('backoff doubles from 1 s to at most an hour, drawn between half and all of it', () => {
  assert.equal(retryDelayMs(1, 0), 500);
  assert.equal(retryDelayMs(1, 0.999999), 1000);
  assert.equal(retryDelayMs(2, 1), 2000);
  assert.equal(retryDelayMs(5, 1), 16_000);
  assert.equal(retryDelayMs(40, 1), HOUR);
  assert.equal(retryDelayMs(40, 0), HOUR / 2);
});

for (const dialect of DIALECTS) {
  describe(`webhook retries, dead letters and target checks (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let r: TestResources;
    let receiver: WebhookReceiver;
    let flowArn: string;
    let loops = 0;

    before(async () => {
      r = await openTestResources(dialect);
      r.config = { ...r.config, webhookAllowPrivateTargets: true, webhookTimeoutMs: 2_000 };
      flowArn = await createTestFlow(r, 'hooks', { taskCount: 1, timeLimitSeconds: 60, lifetimeSeconds: 3600, template: '<p>{{ task.input.x }}</p>' });
      receiver = await startWebhookReceiver();
    });
    after(async () => {
      await receiver?.close();
      await r?.dispose();
    });

    /** A loop started and stopped: created, stopping and stopped events. */
    async function startAndStop(): Promise<string> {
      const name = `loop-${++loops}`;
      await startHumanLoop(r, r.caller, { HumanLoopName: name, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: '{"x":1}' } });
      await stopHumanLoop(r, r.caller, name);
      return name;
    }

    /** What the engine's delivery task does, once, with the longest backoff (random = 1). */
    async function deliverOnce(): Promise<number> {
      await publishEvents(r);
      return deliverDueEvents(r, () => 1);
    }

    test('a receiver failing three times per event gets every event once afterwards, in loop order', async () => {
      const { webhook, secret } = await addWebhook(r, { accountId: r.caller.accountId }, { url: receiver.url });
      receiver.answer = (_event, attempt) => (attempt <= 3 ? 503 : 200);
      const first = await startAndStop();
      const second = await startAndStop();

      // One event per loop at a time: each loop's next event waits for the one before it.
      const schedule: number[] = [];
      for (let round = 0; round < 40 && receiver.accepted().length < 6; round++) {
        const attempted = await deliverOnce();
        if (attempted === 0) {
          const next = await r.store.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.min('next_attempt_at').as('due')).where('state', '=', 'pending').where('attempts', '>', 0).executeTakeFirst();
          schedule.push(Number(next!.due) - r.clock.now());
          r.clock.advance(Number(next!.due) - r.clock.now());
        }
      }
      const accepted = receiver.accepted();
      assert.equal(accepted.length, 6);
      assert.equal(receiver.received.length, 6 * 4, 'three refusals and one success per event');
      // Backoff between a delivery's attempts: 1 s, 2 s, 4 s (random = 1), never sooner.
      assert.deepEqual([...new Set(schedule)].sort((a, b) => a - b), [1000, 2000, 4000]);
      for (const name of [first, second]) {
        const order = accepted.filter((d) => d.event.resources[0]!.endsWith(`/${name}`)).map((d) => d.event['detail-type']);
        assert.deepEqual(order, ['Tandem HumanLoop Created', 'Tandem HumanLoop Stopping', 'SageMaker A2I HumanLoop Status Change']);
      }
      const ids = accepted.map((d) => d.event.id);
      assert.equal(new Set(ids).size, 6);
      // Every attempt of one event carries the same id and a valid signature.
      for (const id of ids) {
        const attempts = receiver.received.filter((d) => d.event.id === id);
        assert.equal(attempts.length, 4);
        for (const a of attempts) {
          assert.equal(a.headers['tandem-event-id'], id);
          const t = Number(/t=(\d+)/.exec(a.headers['tandem-signature'] as string)![1]);
          assert.ok(verifySignatureHeader(secret, a.headers['tandem-signature'] as string, a.body, t));
        }
      }
      assert.equal(await deliverOnce(), 0, 'nothing left to deliver');
      await removeWebhook(r, { accountId: r.caller.accountId }, webhook.webhookId);
      receiver.received.length = 0;
    });

    test('a receiver down past the retry window: events dead-lettered, listed, replayed once it is back', async () => {
      const { webhook } = await addWebhook(r, { accountId: r.caller.accountId }, { url: receiver.url });
      receiver.answer = () => 500;
      const name = await startAndStop();
      const startedAt = r.clock.now();
      let attempts = 0;
      for (let round = 0; round < 200 && r.clock.now() - startedAt <= 25 * HOUR; round++) {
        attempts += await deliverOnce();
        r.clock.advance(HOUR / 4);
      }
      // Retried for the whole window: the first event was tried more than 24 times in 24 h.
      const firstEventAttempts = receiver.received.filter((d) => d.event['detail-type'] === 'Tandem HumanLoop Created');
      assert.ok(firstEventAttempts.length > 24, `${firstEventAttempts.length} attempts`);
      assert.ok(attempts >= firstEventAttempts.length);

      const letters = await listDeadLetters(r, { accountId: r.caller.accountId }, webhook.webhookId);
      assert.deepEqual(
        letters.map((l) => l.event['detail-type']),
        ['Tandem HumanLoop Created', 'Tandem HumanLoop Stopping', 'SageMaker A2I HumanLoop Status Change'],
      );
      assert.ok(letters.every((l) => l.lastError === 'HTTP 500' && l.attempts >= 1 && l.event.resources[0]!.endsWith(`/${name}`)));
      assert.equal(receiver.accepted().length, 0);
      // Another account sees neither the webhook nor its dead letters.
      await assert.rejects(listDeadLetters(r, { accountId: '999988887777' }, webhook.webhookId), NotFoundError);

      receiver.answer = () => 200;
      assert.equal(await replayDeadLetters(r, { accountId: r.caller.accountId }, webhook.webhookId), 3);
      while ((await deliverOnce()) > 0);
      assert.deepEqual(
        receiver.accepted().map((d) => d.event.id),
        letters.map((l) => l.eventId),
      );
      assert.deepEqual(await listDeadLetters(r, { accountId: r.caller.accountId }, webhook.webhookId), []);
      await removeWebhook(r, { accountId: r.caller.accountId }, webhook.webhookId);
      receiver.received.length = 0;
    });

    test('loopback, private and link-local targets are refused unless allowed, at registration and at delivery', async () => {
      const strict = { ...r, config: { ...r.config, webhookAllowPrivateTargets: false } };
      const port = new URL(receiver.url).port;
      for (const url of [
        `http://127.0.0.1:${port}/hook`,
        `http://localhost:${port}/hook`,
        'http://10.1.2.3/hook',
        'http://192.168.0.10/hook',
        'http://169.254.169.254/latest/meta-data',
        'http://[::1]:8080/hook',
        'http://[::ffff:127.0.0.1]/hook',
      ]) {
        await assert.rejects(addWebhook(strict, { accountId: r.caller.accountId }, { url }), (error: Error) => {
          assert.ok(error instanceof ValidationError, url);
          assert.match(error.message, /loopback, private or reserved|resolves to/);
          return true;
        });
      }
      await assert.rejects(addWebhook(strict, { accountId: r.caller.accountId }, { url: 'ftp://example.com/x' }), ValidationError);

      // Registered while allowed; then the operator turns it off: deliveries are refused at connect time.
      const { webhook } = await addWebhook(r, { accountId: r.caller.accountId }, { url: `http://localhost:${port}/hook` });
      receiver.answer = () => 200;
      await startAndStop();
      await publishEvents(strict);
      assert.ok((await deliverDueEvents(strict, () => 1)) > 0);
      assert.equal(receiver.received.length, 0, 'nothing reached the loopback receiver');
      const pending = await r.store.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhook.webhookId).execute();
      assert.ok(pending.every((d) => d.state === 'pending'));
      const tried = pending.filter((d) => d.attempts > 0);
      assert.equal(tried.length, 1, 'the loop\'s first event was tried; the rest wait behind it');
      assert.match(tried[0]!.last_error!, /'localhost' resolves to (127\.0\.0\.1|::1), a loopback, private or reserved address/);
      await removeWebhook(r, { accountId: r.caller.accountId }, webhook.webhookId);
    });
  });
}
