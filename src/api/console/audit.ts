/** `/console/audit`: the account's audit log, newest first, 100 entries a page. */
import type { FastifyInstance } from 'fastify';
import type { Resources } from '../../resources.js';
import { listAudit } from '../../store/audit-log.js';
import { ValidationError } from '../aws/errors.js';
import { callerOf } from './guard.js';
import { escapeHtml, table, time } from './layout.js';
import { sendConsolePage } from './respond.js';

const PAGE = 100;

export async function registerAuditPage(app: FastifyInstance, resources: Resources) {
  app.get<{ Querystring: { before?: string } }>('/audit', async (request, reply) => {
    const before = request.query.before === undefined ? undefined : Number(request.query.before);
    if (before !== undefined && !Number.isSafeInteger(before)) throw new ValidationError("'before' must be an entry number.");
    const rows = await listAudit(resources.store.db, callerOf(resources, request).accountId, PAGE + 1, before);
    const page = rows.slice(0, PAGE);
    const last = page[page.length - 1];
    const body = `<h1>Audit log</h1>
<p class="hint">Every change made in the console in this account: who, what, when and from which address.</p>
${table(
  'Console actions, newest first',
  ['When', 'Admin', 'Action', 'Target', 'Detail', 'From'],
  page.map((r) => [time(r.created_at), escapeHtml(r.admin_email), `<code>${escapeHtml(r.action)}</code>`, escapeHtml(r.target), escapeHtml(r.detail ?? ''), escapeHtml(r.source_address)]),
  'No console actions recorded yet.',
)}
${rows.length > PAGE && last ? `<p><a rel="next" href="/console/audit?before=${last.id}">Older entries</a></p>` : ''}`;
    return sendConsolePage(resources, request, reply, { title: 'Audit log', body, section: '/console/audit' });
  });
}
