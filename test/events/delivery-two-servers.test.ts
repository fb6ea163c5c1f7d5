/**
 * Webhook delivery across real `tandem serve` processes: two servers on one PostgreSQL deliver
 * each event exactly once, in each loop's order; when one is killed with SIGKILL while it holds
 * claims, the other delivers them once their lease runs out, without a restart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventEnvelope } from '../../src/domain/events.js';
import { createTestDatabase, dialectSkip, type TestDatabase } from '../support/databases.js';
import { createFlow, CREDENTIALS, loopName, serve, startAndStop, type Served } from '../support/served-tandem.js';
import { adminRequest, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

describe('two servers on one PostgreSQL', { skip: dialectSkip('postgres') }, () => {
  let database: TestDatabase;
  const servers: Served[] = [];
  let receiver: WebhookReceiver;
  before(async () => {
    database = await createTestDatabase('postgres');
    receiver = await startWebhookReceiver();
  });
  after(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
    await receiver?.close();
    await database?.drop();
  });

  test('deliver each event exactly once, each loop in order', async () => {
    // A deadline no attempt reaches even on a starved machine: a timed-out attempt is retried
    // (at least once), which is not what this test is about.
    const patient = { TANDEM_WEBHOOK_TIMEOUT_MS: '20000' };
    servers.push(await serve(database, patient));
    servers.push(await serve(database, patient));
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

describe('one of two servers on one PostgreSQL killed while it holds claims', { skip: dialectSkip('postgres') }, () => {
  let database: TestDatabase;
  const servers: Served[] = [];
  let receiver: WebhookReceiver;
  before(async () => {
    database = await createTestDatabase('postgres');
    receiver = await startWebhookReceiver();
  });
  after(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
    await receiver?.close();
    await database?.drop();
  });

  test("the surviving server delivers the dead one's claims after their lease, each event once", async () => {
    const doomed = await serve(database);
    servers.push(doomed);
    assert.equal((await adminRequest(doomed.url, CREDENTIALS, 'POST', '/admin/webhooks', { url: receiver.url })).status, 201);
    const flowArn = await createFlow(doomed.url);
    let seen!: (event: EventEnvelope) => void;
    const held = new Promise<EventEnvelope>((resolve) => (seen = resolve));
    // The doomed server is alone when it claims this one, and never gets an answer.
    receiver.answer = (event, attempt) => {
      if (attempt === 1 && loopName(event) === 'held-0') {
        seen(event);
        return new Promise<number>(() => {});
      }
      return 200;
    };
    await startAndStop(doomed.url, flowArn, 'held-0');
    const inFlight = await held;

    const survivor = await serve(database);
    servers.push(survivor);
    const loops = 20;
    await Promise.all(Array.from({ length: loops }, (_, i) => startAndStop(servers[i % 2]!.url, flowArn, `shared-${i}`)));
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
