/**
 * Two real `tandem serve` processes on one PostgreSQL; one is killed with SIGKILL while it holds
 * delivery claims: the other delivers them once their lease runs out, without a restart, and
 * every event is acknowledged once, the claimed one with its id.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventEnvelope } from '../../src/domain/events.js';
import { createTestDatabase, dialectSkip, type TestDatabase } from '../support/databases.js';
import { createFlow, CREDENTIALS, loopName, serve, startAndStop, type Served } from '../support/served-tandem.js';
import { adminRequest, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/** Lease = 2 × 3 s + 5 s: short for a test, long enough that a busy machine's attempts finish in time. */
const ENV = { TANDEM_WEBHOOK_TIMEOUT_MS: '3000' };

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
    const doomed = await serve(database, ENV);
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

    const survivor = await serve(database, ENV);
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
