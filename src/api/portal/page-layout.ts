/**
 * The frame every portal page shares: the document in the reviewer's language, a skip link, the
 * header with the portal's navigation, the language switch and sign-out. Every interpolated
 * value goes through {@link escapeHtml}; pages load no inline script or style (the portal CSP
 * forbids both), only `/portal/assets/portal.css` and `/portal/assets/portal.js`.
 */
import { CATALOGUES, LANGUAGES, translator, type Translate } from '../../i18n/portal-messages.js';
import { CSRF_FIELD } from './session-guard.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What a page needs to speak the reviewer's language: the language, its messages, and the page's own path (for the switch to return to). */
export interface PageContext {
  lang: string;
  t: Translate;
  path: string;
}

/** English, for pages drawn outside a request's language (tests, other modules). */
export const ENGLISH: PageContext = { lang: 'en', t: translator('en'), path: '/portal' };

export type Section = 'home' | 'work' | 'history';

export interface LayoutOptions {
  title: string;
  body: string;
  /** The signed-in worker's email and CSRF token: shows the navigation and the sign-out button. */
  signedIn?: { email: string; csrfToken: string } | undefined;
  /** The navigation entry marked as the current page. */
  section?: Section;
  head?: string;
}

export function layout(ctx: PageContext, { title, body, signedIn, section, head = '' }: LayoutOptions): string {
  const { t } = ctx;
  const nav = signedIn
    ? `<nav class="sections" aria-label="${escapeHtml(t('nav.label'))}"><ul>${(
        [
          ['home', '/portal/home', t('nav.home')],
          ['work', '/portal/work', t('nav.tasks')],
          ['history', '/portal/history', t('nav.history')],
        ] as const
      )
        .map(([id, href, label]) => `<li><a href="${href}"${id === section ? ' aria-current="page"' : ''}>${escapeHtml(label)}</a></li>`)
        .join('')}</ul></nav>`
    : '';
  const account = signedIn
    ? `<div class="account"><span>${escapeHtml(signedIn.email)}</span>
        <form method="post" action="/portal/sign-out">${csrfField(signedIn.csrfToken)}<button type="submit" class="link">${escapeHtml(t('account.signOut'))}</button></form></div>`
    : '';
  return `<!doctype html>
<html lang="${escapeHtml(ctx.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Tandem</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/portal/assets/portal.css">
${head}
</head>
<body>
<a class="skip-link" href="#main">${escapeHtml(t('nav.skipToContent'))}</a>
<header class="bar"><a class="brand" href="/portal">Tandem</a>${nav}<div class="bar-end">${languageSwitch(ctx)}${account}</div></header>
${body}
<script src="/portal/assets/portal.js" defer></script>
</body>
</html>
`;
}

/** One link per shipped language, each in its own language; the route sets the cookie and comes back here. */
function languageSwitch(ctx: PageContext): string {
  const back = encodeURIComponent(ctx.path);
  const links = LANGUAGES.map((lang) => {
    const name = CATALOGUES[lang]!['language.name'];
    const current = lang === ctx.lang ? ' aria-current="true"' : '';
    return `<li><a href="/portal/language/${lang}?back=${back}" lang="${lang}" hreflang="${lang}"${current}>${escapeHtml(name)}</a></li>`;
  }).join('');
  return `<nav class="languages" aria-label="${escapeHtml(ctx.t('language.switch'))}"><ul>${links}</ul></nav>`;
}

export function csrfField(token: string): string {
  return `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(token)}">`;
}

/** A notice; an error gets `id` so the fields it is about can point at it with aria-describedby. */
export function alert(message: string | undefined, kind: 'error' | 'info' = 'error', id?: string): string {
  if (!message) return '';
  return `<p class="notice ${kind}"${id ? ` id="${id}"` : ''} role="${kind === 'error' ? 'alert' : 'status'}">${escapeHtml(message)}</p>`;
}

/** Attributes tying a field to the form's error: `aria-invalid` and `aria-describedby` while there is one. */
export function invalidAttributes(error: string | undefined, errorId: string): string {
  return error ? ` aria-invalid="true" aria-describedby="${errorId}"` : '';
}
