/** HTML of the console's human-loop pages: the list with filters, the detail, start and bulk confirmation. */
import type { BuiltInReviewView } from '../../domain/built-in-review-view.js';
import type { ConsoleSession } from '../../operations/admins.js';
import type { LoopInspection } from '../../operations/loop-inspection.js';
import type { LoopListRow } from '../../store/console-loops.js';
import type { HumanLoopStatus } from '../../store/schema.js';
import { actionButton, csrfField, escapeHtml, notice, prettyJson, table, time } from './layout.js';

export const LOOP_STATUSES: readonly HumanLoopStatus[] = ['InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped'];

/** The list's filters as the query string carries them (dates as YYYY-MM-DD, UTC). */
export interface LoopQuery {
  flow?: string | undefined;
  status?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
}

export function loopLink(name: string): string {
  return `/console/loops/${encodeURIComponent(name)}`;
}

function filterFields(query: LoopQuery): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const key of ['flow', 'status', 'from', 'to', 'q'] as const) if (query[key]) fields[key] = query[key]!;
  return fields;
}

function statusBadge(status: string): string {
  return `<span class="status status-${escapeHtml(status.toLowerCase())}">${escapeHtml(status)}</span>`;
}

export function loopsListPage(options: {
  session: ConsoleSession;
  flows: string[];
  query: LoopQuery;
  rows: LoopListRow[];
  nextCursor?: string | undefined;
  info?: string | undefined;
}): string {
  const { session, flows, query, rows } = options;
  const select = (name: string, label: string, values: readonly string[], current: string | undefined) =>
    `<div><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}"><option value="">Any</option>${values
      .map((v) => `<option${v === current ? ' selected' : ''}>${escapeHtml(v)}</option>`)
      .join('')}</select></div>`;
  const next = options.nextCursor
    ? `<p><a rel="next" href="/console/loops?${escapeHtml(new URLSearchParams({ ...filterFields(query), after: options.nextCursor }).toString())}">Next page</a></p>`
    : '';
  const bulk =
    session.admin.role === 'admin' && rows.length > 0
      ? `<form method="post" action="/console/loops/bulk" class="inline-actions">${csrfField(session.csrfToken)}${Object.entries(filterFields(query))
          .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`)
          .join('')}
<span>With every loop matching these filters:</span>
<button type="submit" name="action" value="stop" class="secondary">Stop matching…</button>
<button type="submit" name="action" value="delete" class="secondary">Delete matching…</button></form>`
      : '';
  return `<div class="title-row"><h1>Human loops</h1>${session.admin.role === 'admin' ? '<a class="button" href="/console/loops/new">Start a loop</a>' : ''}</div>
${notice(options.info, 'info')}
<form method="get" action="/console/loops" class="filters" role="search" aria-label="Filter human loops">
${select('flow', 'Flow definition', flows, query.flow)}
${select('status', 'Status', LOOP_STATUSES, query.status)}
<div><label for="f-from">Created from (UTC)</label><input id="f-from" name="from" type="date" value="${escapeHtml(query.from ?? '')}"></div>
<div><label for="f-to">Created up to (UTC)</label><input id="f-to" name="to" type="date" value="${escapeHtml(query.to ?? '')}"></div>
<div><label for="f-q">Name starts with</label><input id="f-q" name="q" type="search" value="${escapeHtml(query.q ?? '')}"></div>
<div class="filter-buttons"><button type="submit">Apply filters</button> <a href="/console/loops">Clear</a></div>
</form>
${table(
  'Human loops, newest first',
  ['Name', 'Flow definition', 'Status', 'Created', 'Failure'],
  rows.map((r) => [
    `<a href="${escapeHtml(loopLink(r.name))}">${escapeHtml(r.name)}</a>`,
    `<a href="/console/flows/${escapeHtml(encodeURIComponent(r.flow_definition_name))}">${escapeHtml(r.flow_definition_name)}</a>`,
    statusBadge(r.status),
    time(r.created_at),
    escapeHtml(r.failure_reason ?? ''),
  ]),
  'No human loop matches.',
)}
${next}
${bulk}`;
}

export function loopDetailPage(session: ConsoleSession, view: LoopInspection, info?: string): string {
  const { loop } = view;
  const name = encodeURIComponent(loop.name);
  const actions = [
    loop.status === 'InProgress' ? actionButton(session, `/console/loops/${name}/stop`, 'Stop') : '',
    ['Completed', 'Failed', 'Stopped'].includes(loop.status) ? actionButton(session, `/console/loops/${name}/delete`, 'Delete', {}, 'danger') : '',
  ].join(' ');
  const blockers =
    view.blockers.length > 0
      ? `<section class="panel warning" aria-labelledby="blockers"><h2 id="blockers">Why it is not progressing</h2><ul>${view.blockers
          .map((b) => `<li>${escapeHtml(b)}</li>`)
          .join('')}</ul></section>`
      : '';
  const answers = table(
    'Answers',
    ['Worker', 'Accepted', 'Submitted', 'Time spent', 'Answer'],
    view.answers.map((a) => [
      `${escapeHtml(a.workerEmail ?? '')} <code>${escapeHtml(a.worker_id)}</code>`,
      time(a.accepted_at),
      time(a.submitted_at),
      `${a.time_spent_seconds.toFixed(1)} s`,
      `<pre>${prettyJson(a.answer_content)}</pre>`,
    ]),
    'No answers yet.',
  );
  const tasks = table(
    'Review slots',
    ['Slot', 'Status', 'Worker', 'Lease expires', 'Available until'],
    view.tasks.map((t) => [String(t.slot + 1), escapeHtml(t.status), escapeHtml(t.worker_id ?? ''), time(t.lease_expires_at), time(t.available_until)]),
    'No review slots.',
  );
  const events = table(
    'Event timeline',
    ['When', 'Event'],
    view.events.map((e) => [time(e.created_at), escapeHtml(e.topic)]),
    'No events recorded.',
  );
  return `<p><a href="/console/loops">← All human loops</a></p>
<div class="title-row"><h1>Human loop ${escapeHtml(loop.name)}</h1><div>${actions}</div></div>
${notice(info, 'info')}
<dl class="facts">
<dt>Status</dt><dd>${statusBadge(loop.status)}</dd>
<dt>Flow definition</dt><dd><a href="/console/flows/${escapeHtml(encodeURIComponent(loop.flow_definition_name))}">${escapeHtml(loop.flow_definition_name)}</a></dd>
<dt>ARN</dt><dd><code>${escapeHtml(loop.arn)}</code></dd>
<dt>Created</dt><dd>${time(loop.created_at)}</dd>
${loop.failure_reason ? `<dt>Failure</dt><dd>${escapeHtml(`${loop.failure_code ?? ''} ${loop.failure_reason}`)}</dd>` : ''}
${loop.output_s3_uri ? `<dt>Output</dt><dd><code>${escapeHtml(loop.output_s3_uri)}</code></dd>` : ''}
</dl>
${blockers}
${view.builtIn ? builtInSection(view.builtIn, view.documentUrl) : ''}
<section aria-labelledby="input-h"><h2 id="input-h">Input</h2><pre class="json" tabindex="0">${prettyJson(loop.input_content)}</pre></section>
<section aria-labelledby="answers-h"><h2 id="answers-h">Answers</h2>${answers}</section>
<section aria-labelledby="slots-h"><h2 id="slots-h">Review slots</h2>${tasks}</section>
${view.output ? `<section aria-labelledby="output-h"><h2 id="output-h">output.json</h2><pre class="json" tabindex="0">${prettyJson(view.output)}</pre></section>` : ''}
<section aria-labelledby="events-h"><h2 id="events-h">Events</h2>${events}</section>`;
}

const percent = (confidence: number) => `${confidence.toFixed(1)} %`;

/**
 * The reviewed document with its key-value pairs outlined (the pairs the activation conditions
 * selected drawn apart), or the image with its moderation labels. Boxes are SVG rectangles over
 * the image in page fractions, so no inline style is needed under the console's CSP.
 */
function builtInSection(view: BuiltInReviewView, documentUrl: string | undefined): string {
  if (view.kind === 'moderation') {
    const labels = table(
      'Moderation labels',
      ['Label', 'Parent', 'Confidence', 'Selected for review'],
      view.labels.map((l) => [escapeHtml(l.name), escapeHtml(l.parentName), percent(l.confidence), l.selected ? '<strong>yes</strong>' : 'no']),
      'The service found no moderation label.',
    );
    const image = documentUrl ? `<figure class="document"><img src="${escapeHtml(documentUrl)}" alt="The reviewed image"></figure>` : '';
    return `<section aria-labelledby="builtin-h"><h2 id="builtin-h">Moderation review</h2>${image}${labels}</section>`;
  }
  const firstPage = view.pairs.filter((p) => p.page === 1 && p.box);
  const boxes = firstPage
    .map(
      (p) =>
        `<rect class="${p.selected ? 'kv kv-selected' : 'kv'}" x="${p.box!.left}" y="${p.box!.top}" width="${p.box!.width}" height="${p.box!.height}"><title>${escapeHtml(`${p.key}: ${p.value}`)}</title></rect>`,
    )
    .join('');
  const figure = documentUrl
    ? `<figure class="document"><div class="document-page"><img src="${escapeHtml(documentUrl)}" alt="Page 1 of the reviewed document">` +
      `<svg viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true">${boxes}</svg></div>` +
      `<figcaption>Key-value pairs outlined; those selected for review drawn thick.</figcaption></figure>`
    : '';
  const pairs = table(
    'Key-value pairs',
    ['Page', 'Key', 'Value', 'Key-value confidence', 'Lowest word confidence', 'Selected for review'],
    view.pairs.map((p) => [
      String(p.page),
      escapeHtml(p.key),
      escapeHtml(p.value),
      percent(p.keyValueConfidence),
      p.wordConfidence === undefined ? '–' : percent(p.wordConfidence),
      p.selected ? '<strong>yes</strong>' : 'no',
    ]),
    'The service found no key-value pair.',
  );
  return `<section aria-labelledby="builtin-h"><h2 id="builtin-h">Document review (${view.pages} page${view.pages === 1 ? '' : 's'})</h2>${figure}${pairs}</section>`;
}

export function startLoopPage(session: ConsoleSession, flows: string[], values: { flow?: string; name?: string; input?: string }, error?: string): string {
  return `<p><a href="/console/loops">← All human loops</a></p>
<h1>Start a human loop</h1>
${notice(error)}
<form method="post" action="/console/loops" class="stack wide">${csrfField(session.csrfToken)}
<label for="flow">Flow definition</label>
<select id="flow" name="flow" required>${flows.map((f) => `<option${f === values.flow ? ' selected' : ''}>${escapeHtml(f)}</option>`).join('')}</select>
<label for="name">Loop name</label>
<input id="name" name="name" type="text" required maxlength="63" pattern="[a-z0-9](-*[a-z0-9])*" aria-describedby="name-hint" value="${escapeHtml(values.name ?? '')}">
<p id="name-hint" class="hint">Lower-case letters, digits and hyphens, as in StartHumanLoop.</p>
<label for="input">Input (JSON object)</label>
<textarea id="input" name="input" rows="12" required spellcheck="false">${escapeHtml(values.input ?? '{\n  \n}')}</textarea>
<button type="submit">Start loop</button>
</form>`;
}

export function bulkConfirmPage(session: ConsoleSession, action: 'stop' | 'delete', query: LoopQuery, names: string[], limit: number): string {
  const verb = action === 'stop' ? 'Stop' : 'Delete';
  const hidden = Object.entries(filterFields(query))
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`)
    .join('');
  const more = names.length >= limit ? ` (the first ${limit}; run it again for the rest)` : '';
  return `<p><a href="/console/loops">← All human loops</a></p>
<h1>${verb} ${names.length} human loop${names.length === 1 ? '' : 's'}?</h1>
<p>These loops match your filters${more}. ${
    action === 'stop' ? 'Loops that are not in progress are left as they are.' : 'Only Completed, Failed and Stopped loops are deleted; others are left.'
  }</p>
<ul class="names">${names.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>
<form method="post" action="/console/loops/bulk" class="inline">${csrfField(session.csrfToken)}${hidden}
<input type="hidden" name="action" value="${action}"><input type="hidden" name="confirm" value="yes">
<button type="submit" class="danger">${verb} ${names.length} loop${names.length === 1 ? '' : 's'}</button></form>
<a href="/console/loops?${escapeHtml(new URLSearchParams(filterFields(query)).toString())}">Cancel</a>`;
}
