/**
 * `/console/keys`: the account's API access keys: create (the secret is shown once), list
 * (never secrets), revoke. A revoked key is refused at once by this process (its key caches are
 * cleared) and within 5 s by others.
 */
import type { FastifyInstance } from 'fastify';
import { recordAudit } from '../../operations/admins.js';
import type { Resources } from '../../resources.js';
import { createAccessKey, revokeAccessKeyNow } from '../../security/access-keys.js';
import { findAccessKey } from '../../store/access-keys.js';
import { NotFoundError } from '../aws/errors.js';
import { consoleSession } from './guard.js';
import { actionButton, csrfField, escapeHtml, notice, table, time } from './layout.js';
import { sendConsolePage } from './respond.js';

const SECTION = '/console/keys';

export async function registerKeyPages(app: FastifyInstance, resources: Resources) {
  const page = async (request: Parameters<typeof consoleSession>[0], created?: { id: string; secret: string }, info?: string) => {
    const session = consoleSession(request);
    const keys = await resources.store.db
      .selectFrom('access_keys')
      .select(['access_key_id', 'description', 'created_at', 'revoked_at'])
      .where('account_id', '=', session.accountId)
      .orderBy('created_at', 'desc')
      .execute();
    const shown = created
      ? `<section class="panel" aria-labelledby="new-key-h"><h2 id="new-key-h">New access key</h2>
<p>Copy the secret now: it is shown only once.</p>
<dl class="facts"><dt>Access key id</dt><dd><code id="new-key-id">${escapeHtml(created.id)}</code></dd><dt>Secret access key</dt><dd><code id="new-key-secret">${escapeHtml(created.secret)}</code></dd></dl></section>`
      : '';
    const form =
      session.admin.role === 'admin'
        ? `<form method="post" action="/console/keys" class="inline-actions">${csrfField(session.csrfToken)}
<label for="key-description">Description</label><input id="key-description" name="description" type="text" maxlength="200">
<button type="submit">Create access key</button></form>`
        : '';
    return `<h1>Access keys</h1>${notice(info, 'info')}${shown}${form}
${table(
  'Access keys of this account',
  ['Access key id', 'Description', 'Created', 'Status', 'Actions'],
  keys.map((k) => [
    `<code>${escapeHtml(k.access_key_id)}</code>`,
    escapeHtml(k.description ?? ''),
    time(k.created_at),
    k.revoked_at === null ? 'Active' : `Revoked ${time(k.revoked_at)}`,
    k.revoked_at === null ? actionButton(session, `/console/keys/${encodeURIComponent(k.access_key_id)}/revoke`, `Revoke ${k.access_key_id}`, {}, 'danger') : '',
  ]),
  'No access key.',
)}`;
  };

  app.get('/keys', async (request, reply) => sendConsolePage(resources, request, reply, { title: 'Access keys', body: await page(request), section: SECTION }));

  app.post<{ Body: Record<string, string | undefined> }>('/keys', async (request, reply) => {
    const session = consoleSession(request);
    const description = String(request.body?.description ?? '').slice(0, 200) || 'created in the console';
    const key = await createAccessKey(resources, session.accountId, { description });
    await recordAudit(resources, session, request.ip, { action: 'access-key.create', target: key.accessKeyId, detail: description });
    const body = await page(request, { id: key.accessKeyId, secret: key.secretAccessKey });
    return sendConsolePage(resources, request, reply, { title: 'Access keys', body, section: SECTION });
  });

  app.post<{ Params: { id: string } }>('/keys/:id/revoke', async (request, reply) => {
    const session = consoleSession(request);
    const key = await findAccessKey(resources.store.db, request.params.id);
    if (!key || key.account_id !== session.accountId) throw new NotFoundError(`Access key ${request.params.id} does not exist in this account.`);
    await revokeAccessKeyNow(resources, key.access_key_id);
    await recordAudit(resources, session, request.ip, { action: 'access-key.revoke', target: key.access_key_id });
    const body = await page(request, undefined, `Revoked ${key.access_key_id}; requests signed with it are refused from now on.`);
    return sendConsolePage(resources, request, reply, { title: 'Access keys', body, section: SECTION });
  });
}
