/**
 * A `tandem serve` process killed with SIGKILL after the commit, while delivering, delivers the
 * event after a restart with the same id (each dialect).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EventEnvelope } from '../../src/domain/events.js';
import { createTestDatabase, DIALECTS, dialectSkip, type TestDatabase } from '../support/databases.js';
import { createFlow, CREDENTIALS, loopName, serve, startAndStop, type Served } from '../support/served-tandem.js';
import { adminRequest, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

for (const dialect of DIALECTS) {
  describe(`a server killed between commit and delivery (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let database: TestDatabase;
    const servers: Served[] = [];
    let receiver: WebhookReceiver;
    before(async () => {
      database = await createTestDatabase(dialect);
      receiver = await startWebhookReceiver();
    });
    after(async () => {
      for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
      await Promise.all(servers.map((s) => s.exited));
      await receiver?.close();
      await database?.drop();
    });

    test('delivers the event after a restart, with the same id', async () => {
      // Lease = 2 × 3 s + 5 s: the takeover comes soon, yet a busy machine's attempts finish in time.
      const first = await serve(database, { TANDEM_WEBHOOK_TIMEOUT_MS: '3000' });
      servers.push(first);
      assert.equal((await adminRequest(first.url, CREDENTIALS, 'POST', '/admin/webhooks', { url: receiver.url })).status, 201);
      const flowArn = await createFlow(first.url);
      let seen!: (event: EventEnvelope) => void;
      const firstAttempt = new Promise<EventEnvelope>((resolve) => (seen = resolve));
      // The first attempt never gets an answer: the server dies waiting for it.
      receiver.answer = (event, attempt) => {
        if (attempt === 1 && loopName(event) === 'crash-1') {
          seen(event);
          return new Promise<number>(() => {});
        }
        return 200;
      };
      await startAndStop(first.url, flowArn, 'crash-1');
      const inFlight = await firstAttempt;
      first.child.kill('SIGKILL');
      await first.exited;

      const second = await serve(database, { TANDEM_WEBHOOK_TIMEOUT_MS: '3000' });
      servers.push(second);
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
