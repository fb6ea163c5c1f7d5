/**
 * The task page's workspace parts (issue 14): the skip Undo bar and the keyboard shortcuts
 * dialog (`?`), filled in by web/portal/skip-undo.ts and task-page.ts. Static markup, no
 * interpolated values.
 */

/** Every shortcut of the task page, as the `?` dialog lists them. */
export const SHORTCUTS: ReadonlyArray<readonly [keys: string, meaning: string]> = [
  ['<kbd>1</kbd> … <kbd>9</kbd>', 'choose that option of the task’s classifier (the number is shown next to it)'],
  ['<kbd>Enter</kbd>', 'submit the answer (inside the task too, from a one-line field or an option)'],
  ['<kbd>S</kbd> or <kbd>Esc</kbd>', 'skip the task; Undo stays offered for a few seconds'],
  ['<kbd>?</kbd>', 'show this list'],
];

export const WORK_PAGE_EXTRAS = `<div id="undo-bar" class="notice undo" role="status" hidden>
  <span>Task skipped.</span> <button type="button" id="undo-skip" class="secondary">Undo</button>
</div>
<p class="keys">Keys outside the task: <kbd>Enter</kbd> submits, <kbd>S</kbd> or <kbd>Esc</kbd> skips,
<kbd>1</kbd>–<kbd>9</kbd> choose an option, <kbd>?</kbd> lists every shortcut. Inside the task, its own keys come first.</p>
<dialog id="shortcuts" aria-labelledby="shortcuts-title">
  <h2 id="shortcuts-title">Keyboard shortcuts</h2>
  <p>Outside the task frame; inside it, the task’s own keys come first.</p>
  <dl class="shortcut-list">
${SHORTCUTS.map(([keys, meaning]) => `    <dt>${keys}</dt><dd>${meaning}</dd>`).join('\n')}
  </dl>
  <button type="button" id="close-shortcuts">Close</button>
</dialog>`;
