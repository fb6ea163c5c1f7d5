/** Sending console pages: the page frame with the session's header, under the console's headers. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Resources } from '../../resources.js';
import { PAGE_HEADERS } from '../portal/security-headers.js';
import { consoleSession } from './guard.js';
import { consolePage } from './layout.js';

export function sendPage(reply: FastifyReply, html: string, status = 200) {
  return reply.code(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(html);
}

/** A signed-in page: header, navigation (with `section` current) and, for an operator, the account switch. */
export async function sendConsolePage(
  resources: Resources,
  request: FastifyRequest,
  reply: FastifyReply,
  page: { title: string; body: string; section: string },
  status = 200,
) {
  const session = consoleSession(request);
  const accounts =
    session.admin.account_id === null
      ? (await resources.store.db.selectFrom('accounts').select('id').orderBy('id').limit(500).execute()).map((r) => r.id)
      : undefined;
  return sendPage(reply, consolePage({ ...page, session, accounts }), status);
}
