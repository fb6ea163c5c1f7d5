/** HTML of the flow definition pages. */
import type { ConsoleSession } from '../../operations/admins.js';
import type { FlowDefinitionRow, HumanLoopStatus } from '../../store/schema.js';
import { LOOP_STATUSES } from './loop-pages.js';
import { actionButton, csrfField, escapeHtml, notice, prettyJson, table, time } from './layout.js';

type Counts = Partial<Record<HumanLoopStatus, number>>;

export function flowListPage(session: ConsoleSession, flows: Array<{ row: FlowDefinitionRow; counts: Counts; warnings: string[] }>): string {
  return `<div class="title-row"><h1>Flow definitions</h1>${session.admin.role === 'admin' ? '<a class="button" href="/console/flows/new">New flow definition</a>' : ''}</div>
${table(
  'Flow definitions with their loops by status',
  ['Name', 'Status', 'Team', 'Task UI', ...LOOP_STATUSES, 'Warnings'],
  flows.map(({ row, counts, warnings }) => [
    `<a href="/console/flows/${escapeHtml(encodeURIComponent(row.name))}">${escapeHtml(row.name)}</a>`,
    escapeHtml(row.status),
    escapeHtml(row.workteam_name),
    escapeHtml(row.human_task_ui_name),
    ...LOOP_STATUSES.map((s) =>
      counts[s] ? `<a href="/console/loops?flow=${escapeHtml(encodeURIComponent(row.name))}&amp;status=${s}">${counts[s]}</a>` : '0',
    ),
    warnings.length > 0 ? `<ul class="warnings">${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : '–',
  ]),
  'No flow definition yet.',
)}`;
}

export function flowDetailPage(session: ConsoleSession, row: FlowDefinitionRow, counts: Counts, warnings: string[]): string {
  const config = JSON.parse(row.human_loop_config) as Record<string, unknown>;
  return `<p><a href="/console/flows">← All flow definitions</a></p>
<div class="title-row"><h1>Flow definition ${escapeHtml(row.name)}</h1><div>
${session.admin.role === 'admin' ? `<a class="button" href="/console/loops/new?flow=${escapeHtml(encodeURIComponent(row.name))}">Start a loop</a>` : ''}
${actionButton(session, `/console/flows/${encodeURIComponent(row.name)}/delete`, 'Delete', {}, 'danger')}</div></div>
${warnings.length > 0 ? `<section class="panel warning" aria-labelledby="warn-h"><h2 id="warn-h">Warnings</h2><ul>${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></section>` : ''}
<dl class="facts">
<dt>Status</dt><dd>${escapeHtml(row.status)}</dd>
<dt>ARN</dt><dd><code>${escapeHtml(row.arn)}</code></dd>
<dt>Work team</dt><dd><a href="/console/teams/${escapeHtml(encodeURIComponent(row.workteam_name))}">${escapeHtml(row.workteam_name)}</a></dd>
<dt>Task UI</dt><dd><a href="/console/task-uis/${escapeHtml(encodeURIComponent(row.human_task_ui_name))}">${escapeHtml(row.human_task_ui_name)}</a></dd>
<dt>Task count</dt><dd>${row.task_count}</dd>
<dt>Time limit</dt><dd>${row.task_time_limit_seconds} s</dd>
<dt>Availability lifetime</dt><dd>${row.task_availability_lifetime_seconds} s</dd>
<dt>Title</dt><dd>${escapeHtml(String(config.TaskTitle ?? ''))}</dd>
<dt>Created</dt><dd>${time(row.created_at)}</dd>
<dt>Loops</dt><dd>${LOOP_STATUSES.map((s) => `${s} ${counts[s] ?? 0}`).join(' · ')} (<a href="/console/loops?flow=${escapeHtml(encodeURIComponent(row.name))}">list</a>)</dd>
</dl>
<h2>Human loop configuration</h2><pre class="json" tabindex="0">${prettyJson(row.human_loop_config)}</pre>
<h2>Output</h2><pre class="json" tabindex="0">${prettyJson(row.output_config)}</pre>
${row.activation_conditions ? `<h2>Activation conditions</h2><pre class="json" tabindex="0">${prettyJson(row.activation_conditions)}</pre>` : ''}`;
}

export interface FlowFormValues {
  name?: string;
  team?: string;
  ui?: string;
  title?: string;
  description?: string;
  keywords?: string;
  taskCount?: string;
  timeLimit?: string;
  lifetime?: string;
  outputPath?: string;
  activationConditions?: string;
  json?: string;
}

export function flowFormPage(session: ConsoleSession, options: { teams: string[]; uis: string[]; values: FlowFormValues; error?: string }): string {
  const v = options.values;
  const field = (id: string, label: string, input: string, hint?: string) =>
    `<label for="${id}">${label}</label>${input}${hint ? `<p class="hint" id="${id}-hint">${hint}</p>` : ''}`;
  const text = (id: keyof FlowFormValues, type = 'text', extra = '') =>
    `<input id="${id}" name="${id}" type="${type}" value="${escapeHtml(v[id] ?? '')}" ${extra}>`;
  const select = (id: keyof FlowFormValues, values: string[]) =>
    `<select id="${id}" name="${id}" required>${values.map((x) => `<option${x === v[id] ? ' selected' : ''}>${escapeHtml(x)}</option>`).join('')}</select>`;
  return `<p><a href="/console/flows">← All flow definitions</a></p>
<h1>New flow definition</h1>
${notice(options.error)}
<form method="post" action="/console/flows" class="stack wide">${csrfField(session.csrfToken)}
${field('name', 'Name', text('name', 'text', 'required maxlength="63" pattern="[a-z0-9](-*[a-z0-9])*"'))}
${field('team', 'Work team', select('team', options.teams))}
${field('ui', 'Task UI', select('ui', options.uis))}
${field('title', 'Task title', text('title', 'text', 'required maxlength="128"'))}
${field('description', 'Task description', text('description', 'text', 'required maxlength="255"'))}
${field('keywords', 'Keywords', text('keywords', 'text', 'aria-describedby="keywords-hint"'), 'Comma-separated, optional.')}
${field('taskCount', 'Workers per loop (TaskCount)', text('taskCount', 'number', 'required min="1" max="3"'))}
${field('timeLimit', 'Time limit per task (seconds)', text('timeLimit', 'number', 'required min="30" max="28800"'))}
${field('lifetime', 'Availability lifetime (seconds)', text('lifetime', 'number', 'required min="1" max="864000"'))}
${field('outputPath', 'Output path', text('outputPath', 'text', 'required placeholder="s3://bucket/prefix" aria-describedby="outputPath-hint"'), 's3://bucket/prefix, written under the output directory.')}
${field('activationConditions', 'Activation conditions (JSON, optional)', `<textarea id="activationConditions" name="activationConditions" rows="5" spellcheck="false">${escapeHtml(v.activationConditions ?? '')}</textarea>`)}
<button type="submit">Create flow definition</button>
</form>
<h2 id="paste-h">Or paste CreateFlowDefinition JSON</h2>
<form method="post" action="/console/flows" class="stack wide">${csrfField(session.csrfToken)}
<label for="json">CreateFlowDefinition request</label>
<textarea id="json" name="json" rows="14" spellcheck="false">${escapeHtml(v.json ?? '')}</textarea>
<button type="submit">Create from JSON</button>
</form>`;
}
