/**
 * `GET /events`: the caller's account's events as Server-Sent Events, live. Signed with SigV4
 * like the admin API (service `tandem` or `sagemaker`), or sent with an admin console session
 * cookie. Each event's SSE `id` is its publication sequence, so a client that reconnects with
 * `Last-Event-ID` (browsers' EventSource does it by itself) gets every event after it that is
 * still retained; `?since=<sequence>` does the same for clients that cannot set the header, and
 * `?since=0` replays everything retained. Without either, the stream starts with the next event.
 *
 * @example
 * curl -N --aws-sigv4 "aws:amz:us-east-1:tandem" --user "$KEY:$SECRET" http://127.0.0.1:8080/events
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { envelopesOf, readPublishedEvents } from '../store/event-log.js';
import { resumeAdminSession } from '../operations/admins.js';
import type { Resources } from '../resources.js';
import { makeKeyLookup } from '../security/access-keys.js';
import { AuthenticationError, ValidationError } from './aws/errors.js';
import { verifySigV4 } from './aws/sigv4.js';
import { errorResponse, toWireError } from './aws/wire-errors.js';
import { CONSOLE_COOKIE } from './console/guard.js';
import { readCookie } from './portal/session-guard.js';

/** How often an idle stream looks for new events: most of an SSE client's lag. */
export const STREAM_POLL_MS = 250;
/** A comment line this often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
const BATCH = 100;
const SERVICES = new Set(['tandem', 'sagemaker']);

export async function registerEventStream(app: FastifyInstance, { resources }: { resources: Resources }) {
  const lookup = makeKeyLookup(resources);
  const open = new Set<ServerResponse>();
  let closing = false;
  // Streams never go idle by themselves: end them so that shutdown does not wait on them.
  app.addHook('preClose', async () => {
    closing = true;
    for (const stream of open) stream.end();
  });

  app.get('/events', async (request, reply) => {
    let accountId: string;
    let after: number | undefined;
    try {
      accountId = await authenticate(resources, lookup, request);
      after = cursorOf(request);
    } catch (error) {
      const wire = toWireError(error, 'restJson1');
      if (wire.internal) request.log.error({ err: error }, 'event stream request failed');
      const response = errorResponse(wire, 'restJson1', request.id);
      return reply.code(response.status).headers(response.headers).send(response.body);
    }
    const db = resources.store.db;
    if (after === undefined) {
      const last = await db.selectFrom('outbox').select((eb) => eb.fn.max('sequence').as('last')).where('account_id', '=', accountId).executeTakeFirst();
      after = Number(last?.last ?? 0);
    }

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-amzn-requestid': request.id,
    });
    raw.write(`retry: 1000\n\n`);
    open.add(raw);
    let ended = false;
    let wake: (() => void) | undefined;
    const stop = () => {
      ended = true;
      open.delete(raw);
      wake?.();
    };
    raw.on('close', stop);
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();

    try {
      while (!ended && !closing) {
        const rows = await readPublishedEvents(db, accountId, after, BATCH);
        for (const { sequence, envelope } of envelopesOf(rows, resources.config.region)) {
          raw.write(`id: ${sequence}\ndata: ${JSON.stringify(envelope)}\n\n`);
          after = sequence;
        }
        if (rows.length < BATCH) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, STREAM_POLL_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      }
    } catch (error) {
      request.log.error({ err: error }, 'event stream failed');
    } finally {
      clearInterval(heartbeat);
      open.delete(raw);
      raw.end();
    }
  });
}

async function authenticate(resources: Resources, lookup: ReturnType<typeof makeKeyLookup>, request: FastifyRequest): Promise<string> {
  const session = await resumeAdminSession(resources, readCookie(request, CONSOLE_COOKIE));
  if (session) return session.accountId;
  const url = request.raw.url ?? '/';
  const at = url.indexOf('?');
  const verified = await verifySigV4(
    { method: request.method, rawPath: at === -1 ? url : url.slice(0, at), rawQuery: at === -1 ? '' : url.slice(at + 1), headers: request.headers, body: Buffer.alloc(0) },
    lookup,
    new Date(resources.clock.now()),
  );
  if (!SERVICES.has(verified.service)) {
    throw new AuthenticationError('InvalidSignatureException', "Credential should be scoped to correct service: 'tandem'. ");
  }
  if (verified.region !== resources.config.region) {
    throw new AuthenticationError('InvalidSignatureException', `Credential should be scoped to a valid region, not '${verified.region}'.`);
  }
  return verified.accountId;
}

/** Where to resume: `Last-Event-ID`, else `?since=`; undefined means "from now". */
function cursorOf(request: FastifyRequest): number | undefined {
  const header = request.headers['last-event-id'];
  const since = (request.query as Record<string, unknown>).since;
  const value = typeof header === 'string' && header !== '' ? header : typeof since === 'string' ? since : undefined;
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) throw new ValidationError('Last-Event-ID (or since) must be the id of an event this stream sent.');
  return Number(value);
}
