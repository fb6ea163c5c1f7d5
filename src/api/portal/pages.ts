/**
 * The portal's server-rendered pages, as HTML strings in the reviewer's language (see
 * page-layout.ts for the frame they share and src/i18n/ for the texts).
 */
import { MIN_PASSWORD_LENGTH } from '../../security/passwords.js';
import { alert, ENGLISH, escapeHtml, invalidAttributes, layout, type PageContext } from './page-layout.js';
import { workPageExtras } from './workspace-pages.js';

export { escapeHtml };

const FORM_ERROR = 'form-error';

/** `singleSignOn`: offer "Sign in with single sign-on" (a link: the portal CSP's form-action would block a form redirected to the provider). */
export function signInPage(options: { email?: string; error?: string; info?: string; singleSignOn?: boolean } = {}, ctx: PageContext = ENGLISH): string {
  const { t } = ctx;
  const invalid = invalidAttributes(options.error, FORM_ERROR);
  return layout(ctx, {
    title: t('signIn.title'),
    body: `<main id="main" class="narrow">
<h1>${escapeHtml(t('signIn.title'))}</h1>
${alert(options.error, 'error', FORM_ERROR)}${alert(options.info, 'info')}
<form method="post" action="/portal/sign-in" class="stack" data-clears-error="${FORM_ERROR}">
  <label for="email">${escapeHtml(t('signIn.email'))}</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(options.email ?? '')}"${invalid}${options.error && options.email ? '' : ' autofocus'}>
  <label for="password">${escapeHtml(t('signIn.password'))}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${invalid}${options.error && options.email ? ' autofocus' : ''}>
  <button type="submit">${escapeHtml(t('signIn.submit'))}</button>
</form>
${options.singleSignOn ? `<p><a href="/portal/sso/start">${escapeHtml(t('signIn.sso'))}</a></p>` : ''}
<p class="hint">${escapeHtml(t('signIn.hint'))}</p>
</main>`,
  });
}

export function invitePage(options: { token: string; email: string; error?: string }, ctx: PageContext = ENGLISH): string {
  const { t } = ctx;
  const invalid = invalidAttributes(options.error, FORM_ERROR);
  return layout(ctx, {
    title: t('invite.title'),
    body: `<main id="main" class="narrow">
<h1>${escapeHtml(t('invite.title'))}</h1>
<p id="password-rule">${escapeHtml(t('invite.welcome', { email: options.email, min: MIN_PASSWORD_LENGTH }))}</p>
${alert(options.error, 'error', FORM_ERROR)}
<form method="post" action="/portal/invite/${escapeHtml(options.token)}" class="stack" data-clears-error="${FORM_ERROR}">
  <input type="text" name="username" autocomplete="username" value="${escapeHtml(options.email)}" hidden>
  <label for="password">${escapeHtml(t('invite.password'))}</label>
  <input id="password" name="password" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required autofocus${options.error ? ` aria-invalid="true" aria-describedby="${FORM_ERROR} password-rule"` : ' aria-describedby="password-rule"'}>
  <label for="confirm">${escapeHtml(t('invite.confirm'))}</label>
  <input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required data-same-as="password"${invalid}>
  <button type="submit">${escapeHtml(t('invite.submit'))}</button>
</form>
</main>`,
  });
}

/** A page that only says something (invalid invite, an error), with a way back. */
export function messagePage(title: string, message: string, link?: { href: string; text: string }, ctx: PageContext = ENGLISH): string {
  const back = link ?? { href: '/portal', text: ctx.t('error.backToPortal') };
  return layout(ctx, {
    title,
    body: `<main id="main" class="narrow"><h1>${escapeHtml(title)}</h1>${alert(message)}<p><a href="${escapeHtml(back.href)}">${escapeHtml(back.text)}</a></p></main>`,
  });
}

/**
 * The task page. The script (`web/portal/`) fills it: it claims the next task, shows its title,
 * description and remaining time, loads the rendered template into the sandboxed frame, and
 * submits or skips without reloading the page.
 */
export function workPage(options: { email: string; csrfToken: string; workerId: string }, ctx: PageContext = ENGLISH): string {
  const { t } = ctx;
  return layout(ctx, {
    title: t('work.title'),
    signedIn: options,
    section: 'work',
    head: `<meta name="tandem-csrf-token" content="${escapeHtml(options.csrfToken)}">
<meta name="tandem-worker" content="${escapeHtml(options.workerId)}">`,
    body: `<main id="main" class="work">
<noscript><p class="notice error">${escapeHtml(t('work.noscript'))}</p></noscript>
<div id="status" class="notice" role="status" aria-live="polite" aria-atomic="true" hidden></div>
<section id="waiting" class="panel" aria-labelledby="waiting-heading" hidden>
  <h1 id="waiting-heading">${escapeHtml(t('work.waitingTitle'))}</h1>
  <p>${escapeHtml(t('work.waitingText'))}</p>
  <button type="button" id="check-again">${escapeHtml(t('work.checkAgain'))}</button>
</section>
<section id="task" class="panel" aria-labelledby="task-title" hidden>
  <div class="task-head">
    <div>
      <h1 id="task-title"></h1>
      <p id="task-description"></p>
    </div>
    <p class="timer">${escapeHtml(t('work.timeLeft'))} <span id="time-left" role="timer" aria-live="off">–</span></p>
  </div>
  <div id="frame-slot" class="frame-slot"></div>
  <div class="actions">
    <button type="button" id="submit-task">${escapeHtml(t('work.submit'))}</button>
    <button type="button" id="skip-task" class="secondary">${escapeHtml(t('work.skip'))}</button>
  </div>
</section>
${workPageExtras(ctx)}
</main>`,
  });
}

/** What the task frame shows when the template cannot be rendered. */
export function frameErrorDocument(message: string, ctx: PageContext = ENGLISH): string {
  return `<!doctype html><html lang="${escapeHtml(ctx.lang)}"><head><meta charset="utf-8"><title>${escapeHtml(ctx.t('work.frameUnavailable'))}</title></head>
<body><p role="alert">${escapeHtml(message)}</p></body></html>`;
}
