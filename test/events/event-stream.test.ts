/**
 * `GET /events` on each dialect, read as an SSE client reads it: signed, scoped to the caller's
 * account, live, and resumable with Last-Event-ID without missing or repeating an event; pruning
 * removes delivered events past retention.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { StartHumanLoopCommand, StopHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import type { EventEnvelope } from '../../src/domain/events.js';
import { pruneDeliveredEvents } from '../../src/store/event-log.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { createReviewSetup } from '../support/fixtures.js';
import { TEST_REGION, useTestTandem, type Credentials, type TestTandem } from '../support/tandem.js';

interface SseEvent {
  id: string;
  event: EventEnvelope;
}

/** An open stream: events as they arrive, parsed from the SSE wire format. */
interface Stream {
  status: number;
  next(count: number, timeoutMs?: number): Promise<SseEvent[]>;
  close(): void;
}

async function openStream(baseUrl: string, credentials: Credentials, options: { lastEventId?: string; query?: string } = {}): Promise<Stream> {
  const url = new URL(`/events${options.query ?? ''}`, baseUrl);
  const request = new HttpRequest({
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host },
  });
  const signed = await new SignatureV4({ credentials, region: TEST_REGION, service: 'tandem', sha256: Sha256 }).sign(request);
  const { host: _host, ...headers } = signed.headers;
  const abort = new AbortController();
  const response = await fetch(url, { headers: { ...headers, ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}) }, signal: abort.signal });
  const buffered: SseEvent[] = [];
  let text = '';
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = text.indexOf('\n\n')) !== -1) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const id = /^id: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (id !== undefined && data !== undefined) buffered.push({ id, event: JSON.parse(data) as EventEnvelope });
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    status: response.status,
    async next(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (buffered.length < count) {
        if (Date.now() > deadline) throw new Error(`stream gave ${buffered.length} of ${count} events`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return buffered.splice(0, count);
    },
    close() {
      abort.abort();
      void pump;
    },
  };
}

for (const dialect of DIALECTS) {
  describe(`GET /events (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    let flowArn: string;
    useTestTandem(dialect, async (started) => {
      tandem = started;
      flowArn = (await createReviewSetup(tandem, 'stream')).FlowDefinitionArn;
    });

    async function startAndStop(name: string) {
      await tandem.a2i.send(new StartHumanLoopCommand({ HumanLoopName: name, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: '{"text":"x"}' } }));
      await tandem.a2i.send(new StopHumanLoopCommand({ HumanLoopName: name }));
    }

    test('unsigned requests are refused', async () => {
      const response = await fetch(new URL('/events', tandem.url));
      assert.equal(response.status, 403);
      assert.equal(response.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    });

    test('live events; a reconnect with Last-Event-ID gets what it missed, once; other accounts see none', async () => {
      const other = await tandem.createAccount('999900001111');
      const outsider = await openStream(tandem.url, other);
      const stream = await openStream(tandem.url, tandem.credentials);
      assert.equal(stream.status, 200);
      await startAndStop('streamed-1');
      const first = await stream.next(3);
      assert.deepEqual(
        first.map((e) => e.event['detail-type']),
        ['Tandem HumanLoop Created', 'Tandem HumanLoop Stopping', 'SageMaker A2I HumanLoop Status Change'],
      );
      assert.ok(first.every((e) => e.event.account === tandem.accountId && e.event.detail.humanLoopName === 'streamed-1'));
      assert.equal(first[2]!.event.source, 'aws.sagemaker');
      assert.equal(first[2]!.event.detail.humanLoopStatus, 'Stopped');
      const ids = first.map((e) => Number(e.id));
      assert.deepEqual([...ids].sort((a, b) => a - b), ids, 'ids increase');
      stream.close();

      // While disconnected.
      await startAndStop('streamed-2');
      await startAndStop('streamed-3');
      const resumed = await openStream(tandem.url, tandem.credentials, { lastEventId: first[2]!.id });
      const missed = await resumed.next(6);
      assert.deepEqual(
        missed.map((e) => `${e.event.detail.humanLoopName} ${e.event['detail-type']}`),
        [
          'streamed-2 Tandem HumanLoop Created',
          'streamed-2 Tandem HumanLoop Stopping',
          'streamed-2 SageMaker A2I HumanLoop Status Change',
          'streamed-3 Tandem HumanLoop Created',
          'streamed-3 Tandem HumanLoop Stopping',
          'streamed-3 SageMaker A2I HumanLoop Status Change',
        ],
      );
      // The same events as a replay from the start gives, ids and all.
      const replay = await openStream(tandem.url, tandem.credentials, { query: '?since=0' });
      const all = await replay.next(9);
      assert.deepEqual(all.slice(3).map((e) => [e.id, e.event.id]), missed.map((e) => [e.id, e.event.id]));
      assert.deepEqual(all.slice(0, 3).map((e) => e.event.id), first.map((e) => e.event.id));
      await assert.rejects(replay.next(1, 800), /gave 0 of 1/);
      replay.close();
      // Live again after the catch-up.
      await startAndStop('streamed-4');
      assert.equal((await resumed.next(3))[0]!.event.detail.humanLoopName, 'streamed-4');
      resumed.close();

      await assert.rejects(outsider.next(1, 500), /gave 0 of 1/);
      outsider.close();
    });

    test('delivered events past retention are pruned, in batches', async () => {
      const before = await tandem.resources.store.db.selectFrom('outbox').select('id').execute();
      assert.ok(before.length >= 12);
      // Nothing is older than an hour ago yet.
      assert.equal(await pruneDeliveredEvents(tandem.resources.store.db, Date.now() - 3_600_000, 5), 0);
      assert.equal(await pruneDeliveredEvents(tandem.resources.store.db, Date.now() + 1, 5), 5);
      while ((await pruneDeliveredEvents(tandem.resources.store.db, Date.now() + 1, 5)) > 0);
      const replay = await openStream(tandem.url, tandem.credentials, { query: '?since=0' });
      await assert.rejects(replay.next(1, 800), /gave 0 of 1/);
      replay.close();
    });
  });
}
