/**
 * The reviewer's Home (queues, their day) and History (their own answers) pages, as HTML in
 * their language. Numbers, times and ages are formatted with the language's Intl rules; times
 * are shown in UTC, the server's day.
 */
import type { ReviewerAnswer, ReviewerDay, ReviewerQueue } from '../../store/reviewer-overview.js';
import { escapeHtml, layout, type PageContext } from './page-layout.js';

interface SignedIn {
  email: string;
  csrfToken: string;
}

export function homePage(ctx: PageContext, signedIn: SignedIn, view: { queues: ReviewerQueue[]; day: ReviewerDay; now: number }): string {
  const { t } = ctx;
  const number = new Intl.NumberFormat(ctx.lang);
  const queues =
    view.queues.length === 0
      ? `<p class="empty">${escapeHtml(t('home.noQueues'))}</p>`
      : `<div class="table-wrap"><table>
<caption class="visually-hidden">${escapeHtml(t('home.queues'))}</caption>
<thead><tr><th scope="col">${escapeHtml(t('home.queue'))}</th><th scope="col">${escapeHtml(t('home.team'))}</th><th scope="col" class="num">${escapeHtml(t('home.waiting'))}</th><th scope="col">${escapeHtml(t('home.oldest'))}</th></tr></thead>
<tbody>
${view.queues
  .map(
    (q) =>
      `<tr><th scope="row">${escapeHtml(q.flow)}</th><td>${escapeHtml(q.team)}</td><td class="num">${number.format(q.waiting)}</td><td>${timeTag(q.oldestWaitingAt, age(ctx, q.oldestWaitingAt, view.now))}</td></tr>`,
  )
  .join('\n')}
</tbody></table></div>`;
  const median = view.day.medianSeconds === null ? t('home.none') : seconds(ctx, view.day.medianSeconds);
  return layout(ctx, {
    title: t('home.title'),
    signedIn,
    section: 'home',
    body: `<main id="main" class="work">
<h1>${escapeHtml(t('home.title'))}</h1>
<section class="panel" aria-labelledby="queues-heading">
<div class="title-row"><h2 id="queues-heading">${escapeHtml(t('home.queues'))}</h2><a class="button" href="/portal/work">${escapeHtml(t('home.start'))}</a></div>
${queues}
</section>
<section class="panel" aria-labelledby="day-heading">
<h2 id="day-heading">${escapeHtml(t('home.today'))}</h2>
<dl class="day">
<div><dt>${escapeHtml(t('home.answered'))}</dt><dd id="answered-today">${number.format(view.day.answered)}</dd></div>
<div><dt>${escapeHtml(t('home.skipped'))}</dt><dd id="skipped-today">${number.format(view.day.skipped)}</dd></div>
<div><dt>${escapeHtml(t('home.median'))}</dt><dd id="median-today">${escapeHtml(median)}</dd></div>
</dl>
</section>
</main>`,
  });
}

export const HISTORY_PAGE_SIZE = 20;

export function historyPage(ctx: PageContext, signedIn: SignedIn, view: { answers: ReviewerAnswer[]; more: boolean; page: number }): string {
  const { t } = ctx;
  const from = view.page * HISTORY_PAGE_SIZE + 1;
  const rows = view.answers
    .map(
      (a) =>
        `<tr><th scope="row">${escapeHtml(taskTitle(a) ?? a.flow)}</th><td><code>${escapeHtml(a.humanLoopName)}</code></td><td>${escapeHtml(a.flow)}</td><td>${timeTag(a.submittedAt, dateTime(ctx, a.submittedAt))}</td><td class="num">${escapeHtml(seconds(ctx, a.timeSpentSeconds))}</td></tr>`,
    )
    .join('\n');
  const pager = [
    view.page > 0 ? `<a rel="prev" href="/portal/history${view.page > 1 ? `?page=${view.page - 1}` : ''}">${escapeHtml(t('history.newer'))}</a>` : '',
    view.more ? `<a rel="next" href="/portal/history?page=${view.page + 1}">${escapeHtml(t('history.older'))}</a>` : '',
  ].filter(Boolean);
  const table =
    view.answers.length === 0
      ? `<p class="empty">${escapeHtml(t('history.empty'))}</p>`
      : `<div class="table-wrap"><table>
<caption>${escapeHtml(t('history.caption', { from, to: from + view.answers.length - 1 }))}</caption>
<thead><tr><th scope="col">${escapeHtml(t('history.task'))}</th><th scope="col">${escapeHtml(t('history.loop'))}</th><th scope="col">${escapeHtml(t('history.queue'))}</th><th scope="col">${escapeHtml(t('history.submitted'))}</th><th scope="col" class="num">${escapeHtml(t('history.timeSpent'))}</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>`;
  return layout(ctx, {
    title: t('history.title'),
    signedIn,
    section: 'history',
    body: `<main id="main" class="work">
<h1>${escapeHtml(t('history.heading'))}</h1>
<section class="panel">
${table}
${pager.length > 0 ? `<nav class="pager" aria-label="${escapeHtml(t('history.pages'))}">${pager.join(' ')}</nav>` : ''}
</section>
</main>`,
  });
}

function taskTitle(answer: ReviewerAnswer): string | undefined {
  try {
    const title = (JSON.parse(answer.humanLoopConfig ?? '{}') as { TaskTitle?: unknown }).TaskTitle;
    return typeof title === 'string' && title !== '' ? title : undefined;
  } catch {
    return undefined;
  }
}

function timeTag(at: number, text: string): string {
  return `<time datetime="${new Date(at).toISOString()}">${escapeHtml(text)}</time>`;
}

function dateTime(ctx: PageContext, at: number): string {
  return `${new Intl.DateTimeFormat(ctx.lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(at)} UTC`;
}

function seconds(ctx: PageContext, value: number): string {
  const unit = value >= 120 ? { unit: 'minute', n: Math.round(value / 60) } : { unit: 'second', n: Math.round(value) };
  return new Intl.NumberFormat(ctx.lang, { style: 'unit', unit: unit.unit, unitDisplay: 'short' }).format(unit.n);
}

/** "5 minutes ago", "vor 2 Stunden". */
function age(ctx: PageContext, at: number, now: number): string {
  const minutes = Math.max(0, Math.round((now - at) / 60_000));
  const format = new Intl.RelativeTimeFormat(ctx.lang, { numeric: 'auto' });
  if (minutes < 60) return format.format(-minutes, 'minute');
  if (minutes < 48 * 60) return format.format(-Math.round(minutes / 60), 'hour');
  return format.format(-Math.round(minutes / 1440), 'day');
}
