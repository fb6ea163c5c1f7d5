/**
 * Webhook delivery across real `tandem serve` processes: two servers on one PostgreSQL deliver
 * each event exactly once, in each loop's order (delivery-takeover.test.ts: one of them killed).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { dialectSkip } from '../support/databases.js';
import { createFlow, CREDENTIALS, loopName, startAndStop, useDeliveryRig, type DeliveryRig } from '../support/served-tandem.js';
import { adminRequest, type WebhookReceiver } from '../support/webhook-receiver.js';

describe('two servers on one PostgreSQL', { skip: dialectSkip('postgres') }, () => {
  let receiver: WebhookReceiver;
  let serve: DeliveryRig['serve'];
  useDeliveryRig('postgres', (rig) => ({ receiver, serve } = rig));

  test('deliver each event exactly once, each loop in order', async () => {
    // A deadline no attempt reaches even on a starved machine: a timed-out attempt is retried
    // (at least once), which is not what this test is about.
    const patient = { TANDEM_WEBHOOK_TIMEOUT_MS: '20000' };
    const servers = [await serve(patient), await serve(patient)];
    const added = await adminRequest(servers[0]!.url, CREDENTIALS, 'POST', '/admin/webhooks', { url: receiver.url });
    assert.equal(added.status, 201);
    // A slow receiver widens the window in which both servers look at the same deliveries.
    receiver.answer = async () => {
      await sleep(5);
      return 200;
    };
    const flowArn = await createFlow(servers[0]!.url);
    const loops = 60;
    await Promise.all(Array.from({ length: loops }, (_, i) => startAndStop(servers[i % 2]!.url, flowArn, `both-${i}`)));
    await receiver.waitFor(`${loops * 3} events`, (accepted) => accepted.length >= loops * 3, 60_000);
    await sleep(1500);
    const ids = receiver.received.map((d) => d.event.id);
    assert.equal(ids.length, loops * 3, 'no event was attempted twice');
    assert.equal(new Set(ids).size, loops * 3);
    for (let i = 0; i < loops; i++) {
      const order = receiver.received.filter((d) => loopName(d.event) === `both-${i}`).map((d) => d.event['detail-type']);
      assert.deepEqual(order, ['Tandem HumanLoop Created', 'Tandem HumanLoop Stopping', 'SageMaker A2I HumanLoop Status Change'], `both-${i}`);
    }
  });
});
