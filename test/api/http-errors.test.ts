/**
 * Requests refused before a route's error handler, over raw sockets: two Host headers (RFC 9112
 * §3.2) → 400; Node's parser refusals (malformed request, oversized headers) and Fastify's router
 * refusals (bad escape, over-long path parameter) carry the AWS error shape on the AWS routes.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import { useTestTandem, type TestTandem } from '../support/tandem.js';

async function raw(tandem: TestTandem, request: string): Promise<{ status: number; headers: string; body: string }> {
  const { hostname, port } = new URL(tandem.url);
  const socket = connect(Number(port), hostname);
  socket.write(request);
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  await new Promise<void>((resolve) => {
    socket.on('close', () => resolve());
    socket.on('data', () => {
      const end = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(text)?.[1];
      if (end !== -1 && length !== undefined && text.length >= end + 4 + Number(length)) socket.end();
    });
  });
  const end = text.indexOf('\r\n\r\n');
  return { status: Number(text.slice(9, 12)), headers: text.slice(0, end), body: text.slice(end + 4) };
}

function assertAwsShaped(response: { status: number; headers: string; body: string }, status: number) {
  assert.equal(response.status, status, response.headers + response.body);
  assert.match(response.headers, /\r\nx-amzn-errortype: ValidationException/i);
  const body = JSON.parse(response.body) as { __type: string; Message: string };
  assert.equal(body.__type, 'ValidationException');
  assert.ok(body.Message.length > 0);
}

describe('HTTP-level refusals', () => {
  let tandem: TestTandem;
  useTestTandem('sqlite', (started) => (tandem = started));

  test('two Host headers: 400, AWS-shaped on an AWS route, the portal page on the portal', async () => {
    const aws = await raw(tandem, 'GET /human-loops/x HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n');
    assertAwsShaped(aws, 400);
    assert.match(aws.body, /more than one Host header/);
    const portal = await raw(tandem, 'GET /portal HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n');
    assert.equal(portal.status, 400);
    assert.match(portal.body, /more than one Host header/, 'the portal page says why');
  });

  test("Node's parser refusals on AWS routes: 400 for a malformed request, 431 for oversized headers", async () => {
    assertAwsShaped(await raw(tandem, 'POST /human-loops HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'), 400);
    const target = await raw(tandem, 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: SageMaker.ListWorkteams\r\nBad Header\r\n\r\n');
    assertAwsShaped(target, 400);
    assert.match(target.headers, /content-type: application\/x-amz-json-1\.1/i);
    assertAwsShaped(await raw(tandem, `GET /human-loops HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`), 431);
  });

  test("Fastify's router refusals on AWS routes: 400 for a bad escape, 414 for an over-long segment", async () => {
    assertAwsShaped(await raw(tandem, 'GET /human-loops/%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'), 400);
    assertAwsShaped(await raw(tandem, `GET /human-loops/${'a'.repeat(300)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`), 414);
  });
});
