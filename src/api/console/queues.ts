/** `/console/queues`: per team and flow definition, the review queue, refreshed every 5 s by console.js from `/console/api/queues`. */
import type { FastifyInstance } from 'fastify';
import type { Resources } from '../../resources.js';
import { queueRows, type QueueRow } from '../../store/console-stats.js';
import { API_HEADERS } from '../portal/security-headers.js';
import { callerOf } from './guard.js';
import { escapeHtml } from './layout.js';
import { sendConsolePage } from './respond.js';

/** A duration as the console shows it: `45 s`, `12 min`, `3.5 h`. */
export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function queueRowsHtml(rows: QueueRow[], now: number): string {
  if (rows.length === 0) return '<tr><td colspan="7">No task is waiting or leased.</td></tr>';
  return rows
    .map(
      (r) =>
        `<tr><td><a href="/console/teams/${escapeHtml(encodeURIComponent(r.team))}">${escapeHtml(r.team)}</a></td><td><a href="/console/flows/${escapeHtml(encodeURIComponent(r.flow))}">${escapeHtml(r.flow)}</a></td><td>${r.waiting}</td><td>${r.leased}</td><td>${
          r.oldestWaitingAt === null ? '–' : age(now - r.oldestWaitingAt)
        }</td><td>${r.answersLastHour}</td><td>${r.expiringSoon}</td></tr>`,
    )
    .join('\n');
}

export async function registerQueuePages(app: FastifyInstance, resources: Resources) {
  app.get('/queues', async (request, reply) => {
    const now = resources.clock.now();
    const rows = await queueRows(resources.store.db, callerOf(resources, request).accountId, now);
    const body = `<h1>Queues</h1>
<p class="hint">Refreshed every 5 seconds. Last update: <span id="queue-updated">${new Date(now).toISOString().slice(11, 19)} UTC</span></p>
<div class="table-wrap"><table><caption>Review tasks by work team and flow definition</caption>
<thead><tr><th scope="col">Team</th><th scope="col">Flow definition</th><th scope="col">Waiting</th><th scope="col">Leased</th><th scope="col">Oldest waiting</th><th scope="col">Answers in the last hour</th><th scope="col">Expiring within an hour</th></tr></thead>
<tbody id="queue-rows" aria-live="polite">${queueRowsHtml(rows, now)}</tbody></table></div>`;
    return sendConsolePage(resources, request, reply, { title: 'Queues', body, section: '/console/queues' });
  });

  app.get('/api/queues', async (request, reply) => {
    const now = resources.clock.now();
    const rows = await queueRows(resources.store.db, callerOf(resources, request).accountId, now);
    return reply.headers(API_HEADERS).type('text/html; charset=utf-8').send(queueRowsHtml(rows, now));
  });
}
