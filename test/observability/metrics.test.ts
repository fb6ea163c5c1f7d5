/**
 * `GET /metrics` scraped from a listening Tandem of each dialect and parsed as Prometheus text:
 * the token guards the main port, the separate listener serves without one, and the values move
 * as loops are started, claimed, answered and stopped through the real SDK and the portal API,
 * and as webhooks are delivered to, retried and dead-lettered by real receivers.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { StartHumanLoopCommand, StopHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { ListWorkteamsCommand } from '@aws-sdk/client-sagemaker';
import { addWorker } from '../../src/operations/workers.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { createReviewSetup } from '../support/fixtures.js';
import { useTestTandem, type TestTandem } from '../support/tandem.js';
import { adminRequest, startWebhookReceiver } from '../support/webhook-receiver.js';

const TOKEN = 'metrics-test-token-0123456789';
const PASSWORD = 'correct horse battery staple';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition; checks every line is a comment or a sample. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found.length === 0 ? undefined : found.reduce((sum, s) => sum + s.value, 0);
}

for (const dialect of DIALECTS) {
  describe(`metrics (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    useTestTandem(dialect, (started) => (tandem = started), {
      metricsToken: TOKEN,
      metricsListen: { host: '127.0.0.1', port: 0 },
      webhookAllowPrivateTargets: true,
      // Three seconds of retries: an endpoint that never answers 2xx is dead-lettered within the test.
      webhookRetryHours: 3 / 3600,
    });

    const scrape = async (): Promise<Sample[]> => {
      const response = await fetch(`${tandem.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      return parseExposition(await response.text());
    };

    test('the main port needs the bearer token; the metrics listener serves without one', async () => {
      const none = await fetch(`${tandem.url}/metrics`);
      assert.equal(none.status, 401);
      assert.match(await none.text(), /Authorization: Bearer <TANDEM_METRICS_TOKEN>/);
      const wrong = await fetch(`${tandem.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-some-length' } });
      assert.equal(wrong.status, 401);
      assert.ok(tandem.metricsUrl, 'the metrics listener is up');
      const open = await fetch(`${tandem.metricsUrl}/metrics`);
      assert.equal(open.status, 200);
      const text = await open.text();
      const samples = parseExposition(text);
      assert.ok(value(samples, 'process_cpu_user_seconds_total') !== undefined, 'default process metrics');
      assert.ok(value(samples, 'nodejs_eventloop_lag_seconds') !== undefined);
      assert.equal((await fetch(`${tandem.metricsUrl}/`)).status, 404);
      // Every metric of Tandem's own is in the README's table.
      const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
      const names = [...text.matchAll(/^# HELP (tandem_\w+) /gm)].map((m) => m[1]!);
      assert.ok(names.includes('tandem_webhook_deliveries_total') && names.includes('tandem_outbox_backlog'));
      for (const name of names) assert.ok(readme.includes(`| \`${name}\` |`), `README lists ${name}`);
    });

    test('loops, queues, claims, answers and completion times move with the work; HTTP durations carry the operation', async () => {
      const setup = await createReviewSetup(tandem, 'metrics');
      await addWorker(tandem.resources, { accountId: tandem.accountId, email: 'ana@example.com', teams: ['metrics-team'], password: PASSWORD });
      await tandem.sagemaker.send(new ListWorkteamsCommand({}));
      const before = await scrape();
      const labels = { account: tandem.accountId, flow_definition: 'metrics-flow' };
      const team = { account: tandem.accountId, workteam: 'metrics-team' };
      assert.equal(value(before, 'tandem_human_loops', { ...labels, status: 'InProgress' }), undefined);

      for (const name of ['loop-a', 'loop-b', 'loop-c']) {
        await tandem.a2i.send(
          new StartHumanLoopCommand({ HumanLoopName: name, FlowDefinitionArn: setup.FlowDefinitionArn, HumanLoopInput: { InputContent: '{"text":"woof"}' } }),
        );
      }
      const started = await scrape();
      assert.equal(value(started, 'tandem_human_loops', { ...labels, status: 'InProgress' }), 3);
      assert.equal(value(started, 'tandem_tasks_waiting', team), 3);
      assert.equal(value(started, 'tandem_tasks_leased', team), 0);
      assert.ok(value(started, 'tandem_tasks_oldest_waiting_age_seconds', team)! >= 0);
      assert.equal(value(started, 'tandem_http_request_duration_seconds_count', { operation: 'StartHumanLoop', code: '200' }), 3);
      assert.equal(value(started, 'tandem_http_request_duration_seconds_count', { operation: 'SageMaker.ListWorkteams', code: '200' }), 1);
      assert.ok(value(started, 'tandem_http_request_duration_seconds_count', { operation: 'SageMaker.CreateFlowDefinition' })! >= 1);
      assert.ok(!started.some((s) => s.labels.operation?.includes('loop-a')), 'no raw URL in a label');

      // A reviewer signs in, claims a task and answers it through the portal's API.
      const signIn = await fetch(`${tandem.url}/portal/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'ana@example.com', password: PASSWORD }).toString(),
        redirect: 'manual',
      });
      assert.equal(signIn.status, 303);
      const cookie = /tandem_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')![0];
      const work = await (await fetch(`${tandem.url}/portal/work`, { headers: { cookie } })).text();
      const csrf = /<meta name="tandem-csrf-token" content="([^"]+)">/.exec(work);
      assert.ok(csrf, 'the work page carries a CSRF token');
      const headers = { cookie, 'x-csrf-token': csrf[1]!, 'content-type': 'application/json', origin: tandem.url };
      const next = (await (await fetch(`${tandem.url}/portal/api/tasks/next`, { method: 'POST', headers, body: '{}' })).json()) as { task: { taskId: string } | null };
      assert.ok(next.task);
      const leased = await scrape();
      assert.equal(value(leased, 'tandem_tasks_waiting', team), 2);
      assert.equal(value(leased, 'tandem_tasks_leased', team), 1);
      assert.equal(value(leased, 'tandem_task_claim_duration_seconds_count', { outcome: 'claimed' }), 1);

      const answer = await fetch(`${tandem.url}/portal/api/tasks/${encodeURIComponent(next.task.taskId)}/answer`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ answer: { category: { label: 'Dog' } }, submissionId: 'metrics-submission-1' }),
      });
      assert.equal(answer.status, 200, await answer.clone().text());
      await tandem.a2i.send(new StopHumanLoopCommand({ HumanLoopName: 'loop-b' }));

      let done: Sample[] = [];
      for (let attempt = 0; attempt < 50; attempt++) {
        done = await scrape();
        if (value(done, 'tandem_human_loops_ended_total', { ...labels, status: 'Stopped' }) === 1) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(value(done, 'tandem_answer_submit_duration_seconds_count', { outcome: 'completed_loop' }), 1);
      assert.equal(value(done, 'tandem_human_loops_ended_total', { ...labels, status: 'Completed' }), 1);
      assert.equal(value(done, 'tandem_human_loops_ended_total', { ...labels, status: 'Stopped' }), 1);
      assert.equal(value(done, 'tandem_human_loop_completion_seconds_count', labels), 1);
      assert.equal(value(done, 'tandem_human_loops', { ...labels, status: 'InProgress' }), 1);
      assert.equal(value(done, 'tandem_tasks_waiting', team), 1);
      assert.equal(value(done, 'tandem_tasks_leased', team), 0);
    });

    test('webhook outcomes, delivery lag and the event backlog', async () => {
      const setup = await createReviewSetup(tandem, 'hooks');
      const flaky = await startWebhookReceiver('/flaky');
      const down = await startWebhookReceiver('/down');
      try {
        const detailType = 'Tandem HumanLoop Created';
        for (const url of [flaky.url, down.url]) {
          assert.equal((await adminRequest(tandem.url, tandem.credentials, 'POST', '/admin/webhooks', { url, detailType })).status, 201);
        }
        let open!: () => void;
        const gate = new Promise<void>((resolve) => (open = resolve));
        // Each event's first attempt waits at the gate, then fails; the retry is acknowledged.
        flaky.answer = async (_event, attempt) => {
          if (attempt > 1) return 200;
          await gate;
          return 500;
        };
        down.answer = () => 503;
        const before = await scrape();
        for (const name of ['hook-a', 'hook-b']) {
          await tandem.a2i.send(
            new StartHumanLoopCommand({ HumanLoopName: name, FlowDefinitionArn: setup.FlowDefinitionArn, HumanLoopInput: { InputContent: '{"text":"woof"}' } }),
          );
        }
        let waiting: Sample[] = [];
        for (let attempt = 0; attempt < 100; attempt++) {
          waiting = await scrape();
          if (value(waiting, 'tandem_outbox_backlog', { stage: 'undelivered' })! >= 2) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assert.ok(value(waiting, 'tandem_outbox_backlog', { stage: 'undelivered' })! >= 2, 'deliveries held by the receiver are backlog');
        assert.ok(value(waiting, 'tandem_outbox_backlog', { stage: 'unpublished' })! >= 0);
        open();

        await flaky.waitFor('both events acknowledged', (accepted) => accepted.length === 2);
        let after: Sample[] = [];
        for (let attempt = 0; attempt < 100; attempt++) {
          after = await scrape();
          if (value(after, 'tandem_webhook_dead_letters') === 2) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const delta = (name: string, labels: Record<string, string> = {}) => (value(after, name, labels) ?? 0) - (value(before, name, labels) ?? 0);
        assert.equal(value(after, 'tandem_webhook_dead_letters'), 2, 'the endpoint that never acknowledged');
        assert.equal(delta('tandem_webhook_deliveries_total', { outcome: 'delivered' }), 2);
        assert.equal(delta('tandem_webhook_deliveries_total', { outcome: 'dead' }), 2);
        assert.ok(delta('tandem_webhook_deliveries_total', { outcome: 'retry' }) >= 4, 'two failed first attempts at each endpoint');
        assert.equal(delta('tandem_webhook_delivery_lag_seconds_count'), 2, 'one lag per acknowledged delivery');
        // Each acknowledgement came on the retry, at least half a second (FIRST_RETRY_MS / 2) after the commit.
        assert.ok(delta('tandem_webhook_delivery_lag_seconds_sum') >= 1, `lag sum ${delta('tandem_webhook_delivery_lag_seconds_sum')}`);
        assert.equal(delta('tandem_webhook_delivery_lag_seconds_bucket', { le: '0.25' }), 0);
        assert.equal(delta('tandem_webhook_delivery_lag_seconds_bucket', { le: '+Inf' }), 2);
        assert.equal(value(after, 'tandem_outbox_backlog', { stage: 'undelivered' }), 0);
        assert.equal(value(after, 'tandem_outbox_backlog', { stage: 'unpublished' }), 0);
      } finally {
        await flaky.close();
        await down.close();
      }
    });
  });
}
