/**
 * What a webhook receives when loops end, through a real listening Tandem and a real receiver on
 * each dialect: a Completed, a Failed (Expired) and a Stopped loop each give exactly A2I's
 * EventBridge event (field names and JSON types as a2i-wire.md §4.3), signed with the endpoint's
 * secret, after the loop's Tandem events and in the order the loop changed.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { DescribeHumanLoopCommand, StartHumanLoopCommand, StopHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { A2I_DETAIL_TYPE } from '../../src/domain/events.js';
import { verifySignatureHeader } from '../../src/domain/webhook-signature.js';
import { claimNextTask, submitAnswer } from '../../src/operations/reviews.js';
import { addReviewer } from '../support/built-in-flows.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { createReviewSetup } from '../support/fixtures.js';
import { useTestTandem, type TestTandem } from '../support/tandem.js';
import { adminRequest, startWebhookReceiver, type ReceivedDelivery, type WebhookReceiver } from '../support/webhook-receiver.js';

/** A2I's documented detail, and the JSON type of each field when the loop did not fail. */
const A2I_DETAIL_FIELDS = ['creationTime', 'failureCode', 'failureReason', 'flowDefinitionArn', 'humanLoopArn', 'humanLoopName', 'humanLoopOutput', 'humanLoopStatus'];
const ENVELOPE_FIELDS = ['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version'];

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

for (const dialect of DIALECTS) {
  describe(`A2I status-change events to a webhook (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    let receiver: WebhookReceiver;
    let secret: string;
    let flowArn: string;
    let team: string;

    useTestTandem(
      dialect,
      async (started) => {
        tandem = started;
        receiver = await startWebhookReceiver();
        const added = await adminRequest(tandem.url, tandem.credentials, 'POST', '/admin/webhooks', { url: receiver.url, description: 'test receiver' });
        assert.equal(added.status, 201, JSON.stringify(added.json));
        secret = added.json.secret as string;
        const setup = await createReviewSetup(tandem, 'events');
        flowArn = setup.FlowDefinitionArn;
        team = 'events-team';
      },
      { webhookAllowPrivateTargets: true },
    );
    after(() => receiver?.close());

    const start = (name: string) =>
      tandem.a2i.send(new StartHumanLoopCommand({ HumanLoopName: name, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: JSON.stringify({ text: name }) } }));

    const a2iEventOf = (name: string) => (accepted: ReceivedDelivery[]) =>
      accepted.find((d) => d.event['detail-type'] === A2I_DETAIL_TYPE && d.event.detail.humanLoopName === name);

    test('completed, expired and stopped loops each give exactly A2I\'s event', async () => {
      const reviewer = await addReviewer(tandem, 'events-reviewer@example.com', team);
      await start('loop-completed');
      const task = await claimNextTask(tandem.resources, reviewer);
      assert.ok(task);
      await submitAnswer(tandem.resources, reviewer, task.taskId, { category: { label: 'Cat' } });

      const failed = await start('loop-expired');
      const loopRow = await tandem.resources.store.db.selectFrom('human_loops').select('id').where('name', '=', 'loop-expired').executeTakeFirstOrThrow();
      await tandem.resources.store.db.updateTable('tasks').set({ available_until: Date.now() - 1000 }).where('human_loop_id', '=', loopRow.id).execute();
      await tandem.engine.tick();

      await start('loop-stopped');
      await tandem.a2i.send(new StopHumanLoopCommand({ HumanLoopName: 'loop-stopped' }));

      const names = ['loop-completed', 'loop-expired', 'loop-stopped'];
      await receiver.waitFor('three A2I events', (accepted) => names.every((name) => a2iEventOf(name)(accepted)));
      const expected = { 'loop-completed': 'Completed', 'loop-expired': 'Failed', 'loop-stopped': 'Stopped' } as const;

      for (const name of names) {
        const delivery = a2iEventOf(name)(receiver.accepted())!;
        const { event } = delivery;
        const described = await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: name }));
        const status = expected[name as keyof typeof expected];

        assert.deepEqual(Object.keys(event).sort(), ENVELOPE_FIELDS);
        assert.equal(event.version, '0');
        assert.match(event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.equal(event.source, 'aws.sagemaker');
        assert.equal(event['detail-type'], 'SageMaker A2I HumanLoop Status Change');
        assert.equal(event.account, tandem.accountId);
        assert.equal(event.region, 'us-east-1');
        assert.match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.deepEqual(event.resources, [described.HumanLoopArn]);

        const detail = event.detail;
        const fields = status === 'Completed' ? A2I_DETAIL_FIELDS : A2I_DETAIL_FIELDS.filter((f) => f !== 'humanLoopOutput');
        assert.deepEqual(Object.keys(detail).sort(), fields, `${name}: detail fields`);
        assert.equal(detail.humanLoopStatus, status);
        assert.equal(detail.humanLoopStatus, described.HumanLoopStatus);
        assert.equal(detail.humanLoopName, name);
        assert.equal(detail.humanLoopArn, described.HumanLoopArn);
        assert.equal(detail.flowDefinitionArn, described.FlowDefinitionArn);
        assert.match(detail.creationTime as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.equal(detail.creationTime, described.CreationTime!.toISOString());
        for (const field of ['creationTime', 'flowDefinitionArn', 'humanLoopArn', 'humanLoopName', 'humanLoopStatus']) {
          assert.equal(typeOf(detail[field]), 'string', `${name}: ${field}`);
        }
        if (status === 'Failed') {
          assert.equal(detail.failureCode, 'Expired');
          assert.equal(typeOf(detail.failureReason), 'string');
          assert.equal(detail.failureReason, described.FailureReason);
        } else {
          assert.equal(detail.failureCode, null);
          assert.equal(detail.failureReason, null);
        }
        if (status === 'Completed') {
          assert.deepEqual(Object.keys(detail.humanLoopOutput as object), ['outputS3Uri']);
          assert.equal((detail.humanLoopOutput as { outputS3Uri: string }).outputS3Uri, described.HumanLoopOutput!.OutputS3Uri);
          assert.match(described.HumanLoopOutput!.OutputS3Uri!, /^s3:\/\/test-bucket\/output\/events-flow\/\d{4}\/\d\d\/\d\d\/\d\d\/\d\d\/\d\d\/loop-completed\/output\.json$/);
        }

        // Signed with the endpoint's secret; the event id is in the header too.
        const signature = delivery.headers['tandem-signature'] as string;
        assert.ok(verifySignatureHeader(secret, signature, delivery.body, Math.floor(Date.now() / 1000)), `${name}: signature verifies`);
        assert.ok(!verifySignatureHeader('not-the-secret-at-all', signature, delivery.body, Math.floor(Date.now() / 1000)));
        assert.ok(!verifySignatureHeader(secret, signature, delivery.body.replace(name, 'other'), Math.floor(Date.now() / 1000)));
        assert.equal(delivery.headers['tandem-event-id'], event.id);
        assert.equal(delivery.headers['content-type'], 'application/json');
      }
      assert.ok(failed.HumanLoopArn);
    });

    test('each loop\'s events arrive in the order it changed, Tandem\'s own under source "tandem"', async () => {
      const timeline = (name: string) =>
        receiver
          .accepted()
          .filter((d) => d.event.resources[0]!.endsWith(`:human-loop/${name}`))
          .map((d) => `${d.event.source}|${d.event['detail-type']}`);
      assert.deepEqual(timeline('loop-completed'), [
        'tandem|Tandem HumanLoop Created',
        'tandem|Tandem Task Leased',
        'tandem|Tandem Task Answered',
        `aws.sagemaker|${A2I_DETAIL_TYPE}`,
      ]);
      assert.deepEqual(timeline('loop-expired'), ['tandem|Tandem HumanLoop Created', `aws.sagemaker|${A2I_DETAIL_TYPE}`]);
      assert.deepEqual(timeline('loop-stopped'), ['tandem|Tandem HumanLoop Created', 'tandem|Tandem HumanLoop Stopping', `aws.sagemaker|${A2I_DETAIL_TYPE}`]);
      // Every event once: ids are unique among acknowledged deliveries.
      const ids = receiver.accepted().map((d) => d.event.id);
      assert.equal(new Set(ids).size, ids.length);
      const created = receiver.accepted().find((d) => d.event['detail-type'] === 'Tandem HumanLoop Created')!;
      assert.equal(created.event.detail.humanLoopStatus, 'InProgress');
      assert.equal(created.event.account, tandem.accountId);
    });

    test('a webhook filtered to one detail-type gets only those; the admin API lists and removes it', async () => {
      const only = await startWebhookReceiver('/only-a2i');
      try {
        const added = await adminRequest(tandem.url, tandem.credentials, 'POST', '/admin/webhooks', { url: only.url, detailType: A2I_DETAIL_TYPE });
        assert.equal(added.status, 201);
        const webhookId = (added.json.webhook as { webhookId: string }).webhookId;
        await start('loop-filtered');
        await tandem.a2i.send(new StopHumanLoopCommand({ HumanLoopName: 'loop-filtered' }));
        await only.waitFor('the stopped event', (accepted) => accepted.length >= 1);
        await receiver.waitFor('the stopped event on the catch-all', (accepted) => Boolean(a2iEventOf('loop-filtered')(accepted)));
        assert.deepEqual(only.accepted().map((d) => d.event['detail-type']), [A2I_DETAIL_TYPE]);

        const listed = await adminRequest(tandem.url, tandem.credentials, 'GET', '/admin/webhooks');
        assert.equal(listed.status, 200);
        assert.deepEqual((listed.json.webhooks as { url: string }[]).map((w) => w.url).sort(), [only.url, receiver.url].sort());
        assert.ok(!JSON.stringify(listed.json).includes(secret), 'secrets are never listed');
        const removed = await adminRequest(tandem.url, tandem.credentials, 'DELETE', `/admin/webhooks/${webhookId}`);
        assert.equal(removed.status, 200);
        const again = await adminRequest(tandem.url, tandem.credentials, 'DELETE', `/admin/webhooks/${webhookId}`);
        assert.equal(again.status, 404);
        const unsigned = await fetch(new URL('/admin/webhooks', tandem.url));
        assert.equal(unsigned.status, 403);
      } finally {
        await only.close();
      }
    });
  });
}
