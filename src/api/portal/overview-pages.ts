/**
 * `GET /portal/home` and `GET /portal/history?page=N`: the signed-in reviewer's queues and day,
 * and their own answers, newest first. Without a session, both lead to the sign-in page.
 */
import type { FastifyInstance } from 'fastify';
import type { Resources } from '../../resources.js';
import { reviewerAnswers, reviewerDay, reviewerQueues } from '../../store/reviewer-overview.js';
import { pageContext } from './language.js';
import { HISTORY_PAGE_SIZE, historyPage, homePage } from './overview-html.js';
import { PAGE_HEADERS } from './security-headers.js';
import { sessionOf } from './session-guard.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Deep offsets cost a walk of the reviewer's answers; 500 pages of 20 is far more than a day's work. */
const MAX_PAGE = 500;

export async function registerOverviewPages(app: FastifyInstance, resources: Resources) {
  app.get('/home', async (request, reply) => {
    const session = await sessionOf(resources, request);
    if (!session) return reply.redirect('/portal?ended', 303);
    const worker = { id: session.worker.id, accountId: session.worker.account_id };
    const now = resources.clock.now();
    const [queues, day] = await Promise.all([reviewerQueues(resources.store.db, worker, now), reviewerDay(resources.store.db, worker, now - (now % DAY_MS))]);
    return reply
      .headers(PAGE_HEADERS)
      .type('text/html; charset=utf-8')
      .send(homePage(pageContext(request), { email: session.worker.email, csrfToken: session.csrfToken }, { queues, day, now }));
  });

  app.get<{ Querystring: { page?: string } }>('/history', async (request, reply) => {
    const session = await sessionOf(resources, request);
    if (!session) return reply.redirect('/portal?ended', 303);
    const asked = Number(request.query.page ?? 0);
    const page = Number.isSafeInteger(asked) && asked > 0 ? Math.min(asked, MAX_PAGE) : 0;
    const worker = { id: session.worker.id, accountId: session.worker.account_id };
    const { answers, more } = await reviewerAnswers(resources.store.db, worker, { offset: page * HISTORY_PAGE_SIZE, limit: HISTORY_PAGE_SIZE });
    return reply
      .headers(PAGE_HEADERS)
      .type('text/html; charset=utf-8')
      .send(historyPage(pageContext(request), { email: session.worker.email, csrfToken: session.csrfToken }, { answers, more, page }));
  });
}
