/**
 * Two real `tandem serve` processes on one PostgreSQL; one is killed with SIGKILL while it holds
 * delivery claims: the other delivers them once their lease runs out, without a restart, and
 * every event is acknowledged once, the claimed one with its id.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { dialectSkip } from '../support/databases.js';
import { createFlow, CREDENTIALS, holdFirstAttempt, loopName, startAndStop, useDeliveryRig, type DeliveryRig } from '../support/served-tandem.js';
import { adminRequest, type WebhookReceiver } from '../support/webhook-receiver.js';

/** Lease = 2 × 3 s + 5 s: short for a test, long enough that a busy machine's attempts finish in time. */
const ENV = { TANDEM_WEBHOOK_TIMEOUT_MS: '3000' };

describe('one of two servers on one PostgreSQL killed while it holds claims', { skip: dialectSkip('postgres') }, () => {
  let receiver: WebhookReceiver;
  let serve: DeliveryRig['serve'];
  useDeliveryRig('postgres', (rig) => ({ receiver, serve } = rig));

  test("the surviving server delivers the dead one's claims after their lease, each event once", async () => {
    const doomed = await serve(ENV);
    assert.equal((await adminRequest(doomed.url, CREDENTIALS, 'POST', '/admin/webhooks', { url: receiver.url })).status, 201);
    const flowArn = await createFlow(doomed.url);
    // The doomed server is alone when it claims this one, and never gets an answer.
    const held = holdFirstAttempt(receiver, 'held-0');
    await startAndStop(doomed.url, flowArn, 'held-0');
    const inFlight = await held;

    const survivor = await serve(ENV);
    const loops = 20;
    await Promise.all(Array.from({ length: loops }, (_, i) => startAndStop([doomed, survivor][i % 2]!.url, flowArn, `shared-${i}`)));
    doomed.child.kill('SIGKILL');
    await doomed.exited;

    const total = (loops + 1) * 3;
    await receiver.waitFor(`${total} events`, (accepted) => accepted.length >= total, 60_000);
    await sleep(1000);
    const accepted = receiver.accepted();
    assert.equal(accepted.length, total, 'no event acknowledged twice');
    assert.equal(new Set(accepted.map((d) => d.event.id)).size, total);
    const held0 = accepted.filter((d) => loopName(d.event) === 'held-0');
    assert.equal(held0[0]!.event.id, inFlight.id, 'the claimed event, by id');
    assert.deepEqual(held0[0]!.event, inFlight);
    assert.deepEqual(
      held0.map((d) => d.event['detail-type']),
      ['Tandem HumanLoop Created', 'Tandem HumanLoop Stopping', 'SageMaker A2I HumanLoop Status Change'],
      'the rest of its loop waited for it',
    );
  });
});
