/**
 * Requests refused before any route's error handler can word them: Node's HTTP parser (malformed
 * request line or headers → 400, headers too large → 431, request timeout → 408), Fastify's router
 * (a bad percent-escape in the path → 400, a path parameter over 100 characters → 414) and the
 * Host checks of RFC 9112 §3.2 (none, or more than one → 400). On the AWS APIs (and the admin API,
 * which speaks restJson1) they get the AWS error shape the SDKs parse: the status, an
 * `x-amzn-ErrorType` header and a JSON body with `__type` and `Message`; the portal, console and
 * public links get `{ message }`.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from './aws/errors.js';
import { errorResponse, type Protocol } from './aws/wire-errors.js';

/** Paths served by something other than an AWS-shaped API; everything else falls to the AWS routes. */
const NON_AWS_PREFIXES = ['/portal', '/console', '/templates/', '/objects/', '/crowd-html-elements'];

/** The protocol the request's answer must be worded in, or `undefined` for the portal, console and links. */
export function awsProtocolOf(path: string, target: string | undefined): Protocol | undefined {
  if (target?.startsWith('SageMaker.')) return 'awsJson1_1';
  if (NON_AWS_PREFIXES.some((prefix) => path.startsWith(prefix))) return undefined;
  return 'restJson1';
}

/** Status line, headers and body of a refusal, in the shape the path calls for. */
export function refusal(status: number, message: string, path: string, target: string | undefined) {
  const protocol = awsProtocolOf(path, target);
  if (protocol === undefined) {
    return {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8' } as Record<string, string>,
      body: JSON.stringify({ message }),
    };
  }
  return errorResponse({ status, type: 'ValidationException', message }, protocol, randomUUID());
}

const MESSAGES: Record<string, [number, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request was not received in time.'],
  HPE_HEADER_OVERFLOW: [431, 'The request headers are larger than the server accepts.'],
};

/** Request line path and X-Amz-Target from whatever bytes of the request arrived. */
function sketchOf(rawPacket: unknown): { path: string; target: string | undefined } {
  if (!Buffer.isBuffer(rawPacket)) return { path: '/', target: undefined };
  const text = rawPacket.subarray(0, 16 * 1024).toString('latin1');
  const path = /^[A-Z]+ (\S+)/.exec(text)?.[1]?.split('?')[0] ?? '/';
  const target = /\r\nx-amz-target:[ \t]*([^\r\n]*)/i.exec(text)?.[1]?.trim();
  return { path, target };
}

/** Fastify's `clientErrorHandler`: Node's parser refused the bytes; answer once and close. */
export function handleClientError(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] = MESSAGES[error.code ?? ''] ?? [400, 'The request is not valid HTTP/1.1.'];
  const { path, target } = sketchOf(error.rawPacket);
  const response = refusal(status, message, path, target);
  if (socket.writable) {
    const headers = Object.entries({ ...response.headers, 'content-length': String(Buffer.byteLength(response.body)), connection: 'close' })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\n${headers}\r\n${response.body}`);
  }
  socket.destroy();
}

/** Fastify's `frameworkErrors`: the router refused the URL before any route matched. */
export function handleFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 400;
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? 'A path segment is longer than the server accepts.'
    : 'The request path is not a valid URL (a malformed percent-escape).';
  const target = request.headers['x-amz-target'];
  const response = refusal(status, message, (request.raw.url ?? '/').split('?')[0]!, Array.isArray(target) ? target[0] : target);
  void reply.code(status).headers(response.headers).send(response.body);
}

/**
 * RFC 9112 §3.2: a request with more than one Host header is answered 400 (Node keeps the first
 * and goes on; a missing Host is refused by Node itself). Thrown as a
 * ValidationError with status 400, which each area's error handler words in its own shape.
 */
export function requireOneHostHeader(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const raw = request.raw.rawHeaders;
    let hosts = 0;
    for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 4 && raw[i]!.toLowerCase() === 'host') hosts++;
    if (hosts > 1) throw Object.assign(new ValidationError('The request has more than one Host header.'), { statusCode: 400 });
  });
}
