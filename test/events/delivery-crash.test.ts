/**
 * A `tandem serve` process killed with SIGKILL after the commit, while delivering, delivers the
 * event after a restart with the same id (each dialect).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { createFlow, CREDENTIALS, holdFirstAttempt, loopName, startAndStop, useDeliveryRig, type DeliveryRig } from '../support/served-tandem.js';
import { adminRequest, type WebhookReceiver } from '../support/webhook-receiver.js';

for (const dialect of DIALECTS) {
  describe(`a server killed between commit and delivery (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let receiver: WebhookReceiver;
    let serve: DeliveryRig['serve'];
    useDeliveryRig(dialect, (rig) => ({ receiver, serve } = rig));

    test('delivers the event after a restart, with the same id', async () => {
      // Lease = 2 × 3 s + 5 s: the takeover comes soon, yet a busy machine's attempts finish in time.
      const first = await serve({ TANDEM_WEBHOOK_TIMEOUT_MS: '3000' });
      assert.equal((await adminRequest(first.url, CREDENTIALS, 'POST', '/admin/webhooks', { url: receiver.url })).status, 201);
      const flowArn = await createFlow(first.url);
      // The first attempt never gets an answer: the server dies waiting for it.
      const firstAttempt = holdFirstAttempt(receiver, 'crash-1');
      await startAndStop(first.url, flowArn, 'crash-1');
      const inFlight = await firstAttempt;
      first.child.kill('SIGKILL');
      await first.exited;

      await serve({ TANDEM_WEBHOOK_TIMEOUT_MS: '3000' });
      const accepted = await receiver.waitFor('the events of crash-1', (list) => list.filter((d) => loopName(d.event) === 'crash-1').length >= 3, 60_000);
      const delivered = accepted.filter((d) => loopName(d.event) === 'crash-1');
      assert.equal(delivered[0]!.event.id, inFlight.id, 'the same event, by id');
      assert.equal(delivered[0]!.headers['tandem-event-id'], inFlight.id);
      assert.deepEqual(delivered[0]!.event, inFlight);
      assert.deepEqual(
        delivered.map((d) => d.event['detail-type']),
        ['Tandem HumanLoop Created', 'Tandem HumanLoop Stopping', 'SageMaker A2I HumanLoop Status Change'],
      );
      assert.equal(new Set(delivered.map((d) => d.event.id)).size, 3, 'each acknowledged once');
    });
  });
}
