/**
 * The task page's workspace parts (issue 14): the skip Undo bar and the keyboard shortcuts
 * dialog (`?`), filled in by web/portal/skip-undo.ts and task-page.ts. The only values drawn in
 * are the catalogue's (trusted) texts.
 */
import type { MessageKey } from '../../i18n/portal-messages.js';
import { escapeHtml, type PageContext } from './page-layout.js';

/** Every shortcut of the task page, as the `?` dialog lists them: its keys (markup, given the word for "or") and the meaning's message. */
export const SHORTCUTS: ReadonlyArray<{ keys: (or: string) => string; meaning: MessageKey }> = [
  { keys: () => '<kbd>1</kbd> … <kbd>9</kbd>', meaning: 'shortcuts.numbers' },
  { keys: () => '<kbd>Enter</kbd>', meaning: 'shortcuts.enter' },
  { keys: (or) => `<kbd>S</kbd> ${or} <kbd>Esc</kbd>`, meaning: 'shortcuts.skip' },
  { keys: () => '<kbd>?</kbd>', meaning: 'shortcuts.help' },
];

export function workPageExtras({ t }: PageContext): string {
  const or = escapeHtml(t('shortcuts.or'));
  return `<div id="undo-bar" class="notice undo" role="status" hidden>
  <span>${escapeHtml(t('work.skipped'))}</span> <button type="button" id="undo-skip" class="secondary">${escapeHtml(t('work.undo'))}</button>
</div>
<p class="keys">${t('work.keysHintHtml')}</p>
<dialog id="shortcuts" aria-labelledby="shortcuts-title">
  <h2 id="shortcuts-title">${escapeHtml(t('shortcuts.title'))}</h2>
  <p>${escapeHtml(t('shortcuts.intro'))}</p>
  <dl class="shortcut-list">
${SHORTCUTS.map(({ keys, meaning }) => `    <dt>${keys(or)}</dt><dd>${escapeHtml(t(meaning))}</dd>`).join('\n')}
  </dl>
  <button type="button" id="close-shortcuts">${escapeHtml(t('shortcuts.close'))}</button>
</dialog>`;
}
