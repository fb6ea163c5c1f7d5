/**
 * The console's page frame and small HTML helpers. Pages are server-rendered strings; every
 * interpolated value goes through {@link escapeHtml}. The console CSP (the portal's) forbids
 * inline script and style: behaviour lives in `/console/assets/console.js`, style in
 * `/console/assets/console.css`.
 */
import type { ConsoleSession } from '../../operations/admins.js';
import { escapeHtml } from '../portal/pages.js';
import { CSRF_FIELD } from '../portal/session-guard.js';

export { escapeHtml };

export const NAV: ReadonlyArray<{ href: string; label: string }> = [
  { href: '/console/loops', label: 'Human loops' },
  { href: '/console/flows', label: 'Flow definitions' },
  { href: '/console/task-uis', label: 'Task UIs' },
  { href: '/console/teams', label: 'Teams & workers' },
  { href: '/console/queues', label: 'Queues' },
  { href: '/console/keys', label: 'Access keys' },
  { href: '/console/audit', label: 'Audit log' },
];

export interface PageOptions {
  title: string;
  body: string;
  session?: ConsoleSession | undefined;
  /** Accounts an operator may switch to. */
  accounts?: string[] | undefined;
  /** The nav entry to mark current. */
  section?: string | undefined;
}

export function consolePage({ title, body, session, accounts, section }: PageOptions): string {
  const header = session ? signedInHeader(session, accounts ?? [], section) : '<header class="bar"><span class="brand">Tandem console</span></header>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Tandem console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/assets/console.css">
${session ? `<meta name="tandem-csrf-token" content="${escapeHtml(session.csrfToken)}">` : ''}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
${header}
<main id="main" tabindex="-1">
${body}
</main>
<script src="/console/assets/console.js" defer></script>
</body>
</html>
`;
}

function signedInHeader(session: ConsoleSession, accounts: string[], section: string | undefined): string {
  const nav = NAV.map(
    (item) => `<li><a href="${item.href}"${item.href === section ? ' aria-current="page"' : ''}>${escapeHtml(item.label)}</a></li>`,
  ).join('');
  const account =
    session.admin.account_id === null && accounts.length > 1
      ? `<form method="post" action="/console/account" class="inline">${csrfField(session.csrfToken)}
<label for="account-switch">Account</label>
<select id="account-switch" name="accountId">${accounts.map((a) => `<option${a === session.accountId ? ' selected' : ''}>${escapeHtml(a)}</option>`).join('')}</select>
<button type="submit" class="secondary small">Switch</button></form>`
      : `<span>Account ${escapeHtml(session.accountId)}</span>`;
  return `<header class="bar">
<a class="brand" href="/console/loops">Tandem console</a>
<div class="account">${account}
<span>${escapeHtml(session.admin.email)} (${escapeHtml(session.admin.role)})</span>
<form method="post" action="/console/sign-out" class="inline">${csrfField(session.csrfToken)}<button type="submit" class="link">Sign out</button></form></div>
</header>
<nav aria-label="Console sections"><ul class="nav">${nav}</ul></nav>`;
}

export function csrfField(token: string): string {
  return `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(token)}">`;
}

export function notice(message: string | undefined, kind: 'error' | 'info' = 'error'): string {
  if (!message) return '';
  return `<p class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${escapeHtml(message)}</p>`;
}

/** A form with one button that posts to `action` (Stop, Delete, Revoke…). Hidden from viewers. */
export function actionButton(session: ConsoleSession, action: string, label: string, fields: Record<string, string> = {}, kind = 'secondary'): string {
  if (session.admin.role !== 'admin') return '';
  const hidden = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return `<form method="post" action="${escapeHtml(action)}" class="inline">${csrfField(session.csrfToken)}${hidden}<button type="submit" class="${kind}">${escapeHtml(label)}</button></form>`;
}

export function time(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  const iso = new Date(ms).toISOString();
  return `<time datetime="${iso}">${iso.slice(0, 19).replace('T', ' ')} UTC</time>`;
}

export function prettyJson(text: string): string {
  try {
    return escapeHtml(JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    return escapeHtml(text);
  }
}

/** A table with a caption and column headers; rows are already-escaped HTML cells. */
export function table(caption: string, headers: string[], rows: string[][], empty = 'Nothing here yet.'): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  return `<div class="table-wrap"><table><caption>${escapeHtml(caption)}</caption>
<thead><tr>${headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n')}</tbody></table></div>`;
}
