/**
 * The portal's server-rendered pages, as HTML strings. Every interpolated value goes through
 * {@link escapeHtml}; pages load no inline script or style (the portal CSP forbids both), only
 * `/portal/assets/portal.css` and, on the task page, `/portal/assets/portal.js`.
 */
import { CSRF_FIELD } from './session-guard.js';
import { WORK_PAGE_EXTRAS } from './workspace-pages.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface LayoutOptions {
  title: string;
  body: string;
  /** The signed-in worker's email and CSRF token: shows the sign-out button. */
  signedIn?: { email: string; csrfToken: string } | undefined;
  scripts?: string[];
  head?: string;
}

function layout({ title, body, signedIn, scripts = [], head = '' }: LayoutOptions): string {
  const account = signedIn
    ? `<div class="account"><span>${escapeHtml(signedIn.email)}</span>
        <form method="post" action="/portal/sign-out">${csrfField(signedIn.csrfToken)}<button type="submit" class="link">Sign out</button></form></div>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Tandem</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/portal/assets/portal.css">
${head}
</head>
<body>
<header class="bar"><a class="brand" href="/portal">Tandem</a>${account}</header>
${body}
${scripts.map((src) => `<script src="${escapeHtml(src)}" defer></script>`).join('\n')}
</body>
</html>
`;
}

function csrfField(token: string): string {
  return `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(token)}">`;
}

function alert(message: string | undefined, kind: 'error' | 'info' = 'error'): string {
  if (!message) return '';
  return `<p class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${escapeHtml(message)}</p>`;
}

/** `singleSignOn`: offer "Sign in with single sign-on" (a link: the portal CSP's form-action would block a form redirected to the provider). */
export function signInPage(options: { email?: string; error?: string; info?: string; singleSignOn?: boolean } = {}): string {
  return layout({
    title: 'Sign in',
    body: `<main class="narrow">
<h1>Sign in</h1>
${alert(options.error)}${alert(options.info, 'info')}
<form method="post" action="/portal/sign-in" class="stack">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(options.email ?? '')}" autofocus>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>
${options.singleSignOn ? '<p><a href="/portal/sso/start">Sign in with single sign-on</a></p>' : ''}
<p class="hint">New here? Use the invite link your administrator sent you.</p>
</main>`,
  });
}

export function invitePage(options: { token: string; email: string; error?: string }): string {
  return layout({
    title: 'Set your password',
    body: `<main class="narrow">
<h1>Set your password</h1>
<p>Welcome, ${escapeHtml(options.email)}. Choose a password of at least 10 characters.</p>
${alert(options.error)}
<form method="post" action="/portal/invite/${escapeHtml(options.token)}" class="stack">
  <input type="text" name="username" autocomplete="username" value="${escapeHtml(options.email)}" hidden>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="new-password" minlength="10" required autofocus>
  <label for="confirm">Confirm password</label>
  <input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="10" required>
  <button type="submit">Set password and sign in</button>
</form>
</main>`,
  });
}

/** A page that only says something (invalid invite, an error), with a way back. */
export function messagePage(title: string, message: string, link: { href: string; text: string } = { href: '/portal', text: 'Go to the portal' }): string {
  return layout({
    title,
    body: `<main class="narrow"><h1>${escapeHtml(title)}</h1>${alert(message)}<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p></main>`,
  });
}

/**
 * The task page. The script (`web/portal/`) fills it: it claims the next task, shows its title,
 * description and remaining time, loads the rendered template into the sandboxed frame, and
 * submits or skips without reloading the page.
 */
export function workPage(options: { email: string; csrfToken: string; workerId: string }): string {
  return layout({
    title: 'Tasks',
    signedIn: options,
    head: `<meta name="tandem-csrf-token" content="${escapeHtml(options.csrfToken)}">
<meta name="tandem-worker" content="${escapeHtml(options.workerId)}">`,
    scripts: ['/portal/assets/portal.js'],
    body: `<main class="work">
<noscript><p class="notice error">The task page needs JavaScript.</p></noscript>
<div id="status" class="notice" role="status" aria-live="polite" hidden></div>
<section id="waiting" class="panel" aria-labelledby="waiting-heading" hidden>
  <h1 id="waiting-heading">No task right now</h1>
  <p>There is no task waiting for you. This page checks again every few seconds.</p>
  <button type="button" id="check-again">Check again</button>
</section>
<section id="task" class="panel" aria-labelledby="task-title" hidden>
  <div class="task-head">
    <div>
      <h1 id="task-title"></h1>
      <p id="task-description"></p>
    </div>
    <p class="timer">Time left: <span id="time-left" role="timer" aria-live="off">–</span></p>
  </div>
  <div id="frame-slot" class="frame-slot"></div>
  <div class="actions">
    <button type="button" id="submit-task">Submit</button>
    <button type="button" id="skip-task" class="secondary">Skip</button>
  </div>
</section>
${WORK_PAGE_EXTRAS}
</main>`,
  });
}

/** What the task frame shows when the template cannot be rendered. */
export function frameErrorDocument(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Task unavailable</title></head>
<body><p role="alert">${escapeHtml(message)}</p></body></html>`;
}
