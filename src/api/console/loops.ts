/**
 * Human loops in the console: `/console/loops` (one list across flow definitions, filtered,
 * keyset-paginated), `/console/loops/new` + `POST /console/loops` (start one by hand),
 * `/console/loops/:name` (detail), `POST …/:name/stop|delete`, `POST /console/loops/bulk`
 * (stop or delete what the filters match, after a confirmation page).
 */
import type { FastifyInstance } from 'fastify';
import { REVIEW_HOOKS } from '../../api/review-hooks.js';
import { buildArn } from '../../domain/arns.js';
import { recordAudit } from '../../operations/admins.js';
import { deleteHumanLoop, startHumanLoop, stopHumanLoop } from '../../operations/human-loops.js';
import { inspectLoop } from '../../operations/loop-inspection.js';
import type { Resources } from '../../resources.js';
import { flowNamesOfAccount, listLoopsOfAccount, loopNamesMatching, type LoopCursor, type LoopFilter } from '../../store/console-loops.js';
import type { HumanLoopStatus } from '../../store/schema.js';
import { startHumanLoopShape } from '../a2i-runtime-shapes.js';
import { isTandemError, ValidationError } from '../aws/errors.js';
import { validateInput } from '../aws/shape-validation.js';
import { callerOf, consoleSession } from './guard.js';
import { bulkConfirmPage, LOOP_STATUSES, loopDetailPage, loopLink, loopsListPage, startLoopPage, type LoopQuery } from './loop-pages.js';
import { sendConsolePage } from './respond.js';

export const LOOPS_PAGE_SIZE = 50;
/** Loops one bulk confirmation acts on at most. */
export const BULK_LIMIT = 200;
const SECTION = '/console/loops';

type Form = Record<string, string | undefined>;

export async function registerLoopPages(app: FastifyInstance, resources: Resources) {
  app.get<{ Querystring: LoopQuery & { after?: string; info?: string } }>('/loops', async (request, reply) => {
    const caller = callerOf(resources, request);
    const filter = parseFilter(request.query);
    const cursor = parseCursor(request.query.after);
    const [rows, flows] = await Promise.all([
      listLoopsOfAccount(resources.store.db, caller.accountId, filter, LOOPS_PAGE_SIZE, cursor),
      flowNamesOfAccount(resources.store.db, caller.accountId),
    ]);
    const page = rows.slice(0, LOOPS_PAGE_SIZE);
    const last = page[page.length - 1];
    const nextCursor = rows.length > LOOPS_PAGE_SIZE && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : undefined;
    const body = loopsListPage({ session: consoleSession(request), flows, query: request.query, rows: page, nextCursor, info: request.query.info });
    return sendConsolePage(resources, request, reply, { title: 'Human loops', body, section: SECTION });
  });

  app.get<{ Querystring: { flow?: string } }>('/loops/new', { config: { access: 'admin' } }, async (request, reply) => {
    const flows = await flowNamesOfAccount(resources.store.db, callerOf(resources, request).accountId);
    const body = startLoopPage(consoleSession(request), flows, { flow: request.query.flow });
    return sendConsolePage(resources, request, reply, { title: 'Start a human loop', body, section: SECTION });
  });

  app.post<{ Body: Form }>('/loops', async (request, reply) => {
    const caller = callerOf(resources, request);
    const values = { flow: String(request.body?.flow ?? ''), name: String(request.body?.name ?? '').trim(), input: String(request.body?.input ?? '') };
    try {
      // The A2I runtime's own validation, then its operation: one code path with StartHumanLoop.
      const input = validateInput(startHumanLoopShape, {
        HumanLoopName: values.name,
        FlowDefinitionArn: buildArn('flow-definition', caller, values.flow),
        HumanLoopInput: { InputContent: values.input },
      });
      await startHumanLoop(resources, caller, input, REVIEW_HOOKS.onStarted);
    } catch (error) {
      if (!isTandemError(error)) throw error;
      const flows = await flowNamesOfAccount(resources.store.db, caller.accountId);
      const body = startLoopPage(consoleSession(request), flows, values, error.message);
      return sendConsolePage(resources, request, reply, { title: 'Start a human loop', body, section: SECTION }, 400);
    }
    await recordAudit(resources, consoleSession(request), request.ip, { action: 'human-loop.start', target: values.name, detail: `flow ${values.flow}` });
    return reply.redirect(`${loopLink(values.name)}?info=started`, 303);
  });

  app.get<{ Params: { name: string }; Querystring: { info?: string } }>('/loops/:name', async (request, reply) => {
    const view = await inspectLoop(resources, callerOf(resources, request), request.params.name);
    const info = INFO[request.query.info ?? ''];
    const body = loopDetailPage(consoleSession(request), view, info);
    return sendConsolePage(resources, request, reply, { title: `Human loop ${view.loop.name}`, body, section: SECTION });
  });

  app.post<{ Params: { name: string } }>('/loops/:name/stop', async (request, reply) => {
    await stopHumanLoop(resources, callerOf(resources, request), request.params.name, REVIEW_HOOKS.onStopped);
    await recordAudit(resources, consoleSession(request), request.ip, { action: 'human-loop.stop', target: request.params.name });
    return reply.redirect(`${loopLink(request.params.name)}?info=stopped`, 303);
  });

  app.post<{ Params: { name: string } }>('/loops/:name/delete', async (request, reply) => {
    await deleteHumanLoop(resources, callerOf(resources, request), request.params.name);
    await recordAudit(resources, consoleSession(request), request.ip, { action: 'human-loop.delete', target: request.params.name });
    return reply.redirect(`/console/loops?info=${encodeURIComponent(`Deleted human loop ${request.params.name}.`)}`, 303);
  });

  app.post<{ Body: Form }>('/loops/bulk', async (request, reply) => {
    const caller = callerOf(resources, request);
    const session = consoleSession(request);
    const body = request.body ?? {};
    const action = body.action;
    if (action !== 'stop' && action !== 'delete') throw new ValidationError('Choose stop or delete.');
    const query: LoopQuery = { flow: body.flow, status: body.status, from: body.from, to: body.to, q: body.q };
    const names = await loopNamesMatching(resources.store.db, caller.accountId, parseFilter(query), BULK_LIMIT);
    if (body.confirm !== 'yes') {
      const page = bulkConfirmPage(session, action, query, names, BULK_LIMIT);
      return sendConsolePage(resources, request, reply, { title: 'Confirm', body: page, section: SECTION });
    }
    let done = 0;
    for (const name of names) {
      try {
        if (action === 'stop') await stopHumanLoop(resources, caller, name, REVIEW_HOOKS.onStopped);
        else await deleteHumanLoop(resources, caller, name);
      } catch (error) {
        // A loop that is not in a state for this action (already finished, still running) is left as it is.
        if (isTandemError(error)) continue;
        throw error;
      }
      done += 1;
      await recordAudit(resources, session, request.ip, { action: `human-loop.${action}`, target: name, detail: 'bulk' });
    }
    const info = `${action === 'stop' ? 'Stopped' : 'Deleted'} ${done} of ${names.length} matching human loop${names.length === 1 ? '' : 's'}.`;
    return reply.redirect(`/console/loops?info=${encodeURIComponent(info)}`, 303);
  });
}

const INFO: Record<string, string> = { started: 'Human loop started.', stopped: 'Human loop stopped.' };

export function parseFilter(query: LoopQuery): LoopFilter {
  const filter: LoopFilter = {};
  if (query.flow) filter.flowDefinitionName = query.flow;
  if (query.status) {
    if (!LOOP_STATUSES.includes(query.status as HumanLoopStatus)) throw new ValidationError(`Unknown status '${query.status}'.`);
    filter.status = query.status as HumanLoopStatus;
  }
  if (query.from) filter.createdFrom = parseDay(query.from, 'from');
  if (query.to) filter.createdBefore = parseDay(query.to, 'to') + 24 * 60 * 60 * 1000;
  if (query.q?.trim()) filter.namePrefix = query.q.trim().slice(0, 200);
  return filter;
}

function parseDay(value: string, name: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms)) throw new ValidationError(`'${name}' must be a date as YYYY-MM-DD.`);
  return ms;
}

/** The cursor is the last row's (created_at, id): not secret, and the query is scoped to the account anyway. */
export function encodeCursor(cursor: LoopCursor): string {
  return Buffer.from(`${cursor.createdAt}:${cursor.id}`).toString('base64url');
}

function parseCursor(value: string | undefined): LoopCursor | undefined {
  if (!value) return undefined;
  const match = /^(\d{1,16}):([A-Za-z0-9-]{1,64})$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match) throw new ValidationError('The page link is not valid; start from the first page.');
  return { createdAt: Number(match[1]), id: match[2]! };
}

