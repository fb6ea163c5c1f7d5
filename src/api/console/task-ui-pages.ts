/** HTML of the task UI list and the template editor. */
import type { ConsoleSession } from '../../operations/admins.js';
import type { ExampleTemplate } from '../../templates/example-templates.js';
import { actionButton, csrfField, escapeHtml, notice, table, time } from './layout.js';

export function taskUiListPage(session: ConsoleSession, uis: Array<{ name: string; createdAt: number; usedBy: string[] }>): string {
  return `<div class="title-row"><h1>Task UIs</h1><a class="button" href="/console/task-uis/new">New task UI</a></div>
${table(
  'Worker task templates',
  ['Name', 'Created', 'Used by flow definitions'],
  uis.map((u) => [
    `<a href="/console/task-uis/${escapeHtml(encodeURIComponent(u.name))}">${escapeHtml(u.name)}</a>`,
    time(u.createdAt),
    escapeHtml(u.usedBy.join(', ') || '–'),
  ]),
  'No task UI yet. Create one from an example.',
)}`;
}

export interface EditorValues {
  name: string;
  /** Editing a stored UI: saving makes a new one (A2I has no update). */
  existing?: boolean;
  template: string;
  sampleInput: string;
  examples: readonly ExampleTemplate[];
  current?: string;
  error?: string;
}

export function editorPage(session: ConsoleSession, v: EditorValues): string {
  const isAdmin = session.admin.role === 'admin';
  const examples = v.existing
    ? ''
    : `<nav aria-label="Example templates" class="examples"><p>Start from an example: ${v.examples
        .map((e) => `<a href="/console/task-uis/new?example=${e.id}"${e.id === v.current ? ' aria-current="page"' : ''}>${escapeHtml(e.title)}</a>`)
        .join(' · ')}</p></nav>`;
  const heading = v.existing ? `Task UI ${escapeHtml(v.name)}` : 'New task UI';
  const save = isAdmin
    ? `<label for="ui-name">${v.existing ? 'Save a copy as (A2I task UIs cannot be changed in place)' : 'Name'}</label>
<input id="ui-name" name="name" type="text" required maxlength="63" pattern="[a-z0-9](-*[a-z0-9])*" value="${escapeHtml(v.existing ? `${v.name}-2` : v.name)}" form="save-form">
<button type="submit" form="save-form">${v.existing ? 'Save as new task UI' : 'Create task UI'}</button>`
    : '';
  return `<p><a href="/console/task-uis">← All task UIs</a></p>
<div class="title-row"><h1>${heading}</h1>${v.existing ? actionButton(session, `/console/task-uis/${encodeURIComponent(v.name)}/delete`, 'Delete', {}, 'danger') : ''}</div>
${examples}
${notice(v.error)}
<form id="save-form" method="post" action="/console/task-uis">${csrfField(session.csrfToken)}</form>
<div class="editor-grid">
<section aria-labelledby="template-h">
<h2 id="template-h">Template</h2>
<p class="hint" id="template-hint">Liquid with A2I's filters; <code>task.input</code> is the loop's input. The preview updates as you type.</p>
<div class="code-editor">
<pre class="highlight" id="template-highlight" aria-hidden="true"></pre>
<textarea id="template" name="template" form="save-form" rows="24" spellcheck="false" aria-labelledby="template-h" aria-describedby="template-hint">${escapeHtml(v.template)}</textarea>
</div>
<label for="sample-input">Sample input (<code>task.input</code>, JSON)</label>
<textarea id="sample-input" name="input" form="save-form" rows="6" spellcheck="false">${escapeHtml(v.sampleInput)}</textarea>
<div class="stack">${save}</div>
</section>
<section aria-labelledby="preview-h">
<h2 id="preview-h">Preview</h2>
<p class="hint">Exactly as a worker sees it: sandboxed, with Tandem's crowd elements. Errors and unknown elements are listed with their line numbers.</p>
<form id="preview-form" method="post" action="/console/task-uis/preview" target="preview-frame">${csrfField(session.csrfToken)}
<input type="hidden" name="template" value=""><input type="hidden" name="input" value=""></form>
<iframe id="preview-frame" name="preview-frame" class="preview-frame" title="Preview of the task" sandbox="allow-scripts allow-forms"></iframe>
<div class="title-row"><h3 id="answer-h">Answer JSON</h3><button type="button" id="show-answer" class="secondary">Show answer</button></div>
<pre id="answer-json" class="json" aria-labelledby="answer-h" aria-live="polite" tabindex="0">(fill in the preview: its answer shows here as you type; "Show answer" submits it)</pre>
</section>
</div>`;
}
