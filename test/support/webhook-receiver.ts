import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { EventEnvelope } from '../../src/domain/events.js';
import { TEST_REGION, type Credentials } from './tandem.js';

/** One request the receiver got, and what it answered. */
export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  body: string;
  event: EventEnvelope;
  status: number;
  at: number;
}

/**
 * A webhook endpoint on loopback that records every POST. `answer` decides each response's
 * status (200 unless told otherwise); `accepted()` is what a receiver acknowledged.
 */
export interface WebhookReceiver {
  url: string;
  received: ReceivedDelivery[];
  accepted(): ReceivedDelivery[];
  answer: (event: EventEnvelope, attempt: number) => number | Promise<number>;
  waitFor(what: string, probe: (accepted: ReceivedDelivery[]) => boolean, timeoutMs?: number): Promise<ReceivedDelivery[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(path = '/hook'): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  const attempts = new Map<string, number>();
  const receiver: WebhookReceiver = {
    url: '',
    received,
    accepted: () => received.filter((r) => r.status >= 200 && r.status < 300),
    answer: () => 200,
    async waitFor(what, probe, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (probe(receiver.accepted())) return receiver.accepted();
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; accepted ${receiver.accepted().length} of ${received.length} deliveries`);
        await sleep(50);
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const event = JSON.parse(body) as EventEnvelope;
        const attempt = (attempts.get(event.id) ?? 0) + 1;
        attempts.set(event.id, attempt);
        const status = await receiver.answer(event, attempt);
        received.push({ headers: request.headers, body, event, status, at: Date.now() });
        response.writeHead(status).end();
      })();
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return receiver;
}

/** A SigV4-signed admin API request (service `tandem`) to a listening Tandem. */
export async function adminRequest(
  baseUrl: string,
  credentials: Credentials,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(path, baseUrl);
  const payload = body === undefined ? '' : JSON.stringify(body);
  const request = new HttpRequest({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    headers: { host: url.host, ...(payload ? { 'content-type': 'application/json' } : {}) },
    body: payload,
  });
  const signer = new SignatureV4({ credentials, region: TEST_REGION, service: 'tandem', sha256: Sha256 });
  const signed = await signer.sign(request);
  const { host: _host, ...headers } = signed.headers;
  const response = await fetch(url, { method, headers, ...(payload ? { body: payload } : {}) });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
