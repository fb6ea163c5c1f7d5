/**
 * The reviewer's-workspace half of the frame ↔ portal contract (issue 14), beside
 * portal-bridge.ts. Same rules: the frame posts to `window.parent` with `'*'` (its origin is
 * opaque; nothing secret is sent) and accepts messages only from `window.parent`.
 *
 * Template → portal:
 * - `{ type: 'tandem:draft', answer }` right after each edit: the answer as it would be
 *   submitted now (no validation), which the portal keeps as the reviewer's draft.
 * Portal → template:
 * - `{ type: 'tandem:restore', answer }`: put a draft back into the form's fields.
 * - `{ type: 'tandem:choose', index }`: a number key pressed outside the frame; choose (or, in a
 *   multi-select, toggle) option `index` (0-based) of the first classifier.
 */
import type { AnswerObject, JsonValue } from './answer.js';
import { ClassifierBase } from './classifier-base.js';
import type { CrowdForm } from './crowd-form.js';
import { CrowdField } from './field.js';
import { collectAnswer, formFields, isNativeControl } from './form-fields.js';

/**
 * At most one draft per this many milliseconds. Each keystroke gets its own draft (the console's
 * template editor shows the answer as it is typed), while a drag that fires an input event per
 * frame sends ~20 a second; the last edit of a burst is always sent.
 */
const MIN_DRAFT_INTERVAL_MS = 50;

export function installWorkspaceBridge(form: () => CrowdForm | null): void {
  if (window.parent === window) return;
  let pending: ReturnType<typeof setTimeout> | undefined;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  const sendDraft = () => {
    // One scheduled draft reads the fields when it runs, so it carries every edit made before.
    if (pending !== undefined) return;
    // A timer even when due: the element's own input handler (after this capturing one) updates its value first.
    pending = setTimeout(() => {
      pending = undefined;
      lastSentAt = performance.now();
      const current = form();
      if (current) window.parent.postMessage({ type: 'tandem:draft', answer: collectAnswer(current) }, '*');
    }, Math.max(0, lastSentAt + MIN_DRAFT_INTERVAL_MS - performance.now()));
  };
  document.addEventListener('input', sendDraft, true);
  document.addEventListener('change', sendDraft, true);
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent) return;
    const data = event.data as { type?: unknown; answer?: unknown; index?: unknown } | null;
    const current = form();
    if (!current || typeof data !== 'object' || data === null) return;
    if (data.type === 'tandem:restore' && isAnswerObject(data.answer)) restoreAnswer(current, data.answer);
    if (data.type === 'tandem:choose' && typeof data.index === 'number') chooseOption(current, data.index);
  });
  document.addEventListener('keydown', (event) => {
    // The template's own handlers run first and win: a handled key is never taken over.
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
    const digit = /^[1-9]$/.test(event.key) ? Number(event.key) : undefined;
    const current = form();
    if (digit === undefined || !current || typesText(event.composedPath()[0])) return;
    if (chooseOption(current, digit - 1)) event.preventDefault();
  });
}

/** Puts a draft's values back into the fields that produced them (unknown names are ignored). */
export function restoreAnswer(form: CrowdForm, answer: AnswerObject): void {
  for (const field of formFields(form)) {
    const value = field.name === '' ? undefined : answer[field.name];
    if (value === undefined) continue;
    if (field instanceof ClassifierBase) {
      const label = isAnswerObject(value) ? value.label : undefined;
      const labels = isAnswerObject(value) ? value.labels : undefined;
      if (typeof label === 'string') field.value = label;
      else if (Array.isArray(labels)) field.value = labels.filter((l): l is string => typeof l === 'string');
    } else if (field instanceof CrowdField) {
      if (!field.restoreValue(value)) restoreCrowdField(field, value);
    } else if (isNativeControl(field)) {
      restoreNativeControl(field, value);
    }
  }
}

function restoreCrowdField(field: CrowdField, value: JsonValue): void {
  const entry = field.answerEntries()[0];
  const target = field as unknown as { value?: unknown; checked?: unknown };
  if (entry?.kind === 'flag' && isAnswerObject(value) && typeof value[entry.key] === 'boolean') target.checked = value[entry.key];
  else if (entry?.kind === 'text' && typeof value === 'string') target.value = value;
}

function restoreNativeControl(control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, value: JsonValue): void {
  if (control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio')) {
    const flag = isAnswerObject(value) ? value[control.value || 'on'] : undefined;
    if (typeof flag === 'boolean') control.checked = flag;
  } else if (control instanceof HTMLSelectElement && control.multiple && Array.isArray(value)) {
    for (const option of control.options) option.selected = value.includes(option.value);
  } else if (typeof value === 'string' && !(control instanceof HTMLInputElement && control.type === 'file')) {
    control.value = value;
  }
}

/** Chooses option `index` of the form's first classifier; false when there is no such option. */
export function chooseOption(form: CrowdForm, index: number): boolean {
  const classifier = form.querySelector<ClassifierBase>(
    'crowd-classifier, crowd-image-classifier, crowd-classifier-multi-select, crowd-image-classifier-multi-select',
  );
  if (!classifier || classifier.disabled) return false;
  return classifier.chooseIndex(index);
}

/** Keys typed into a text control are text, never shortcuts. */
function typesText(origin: EventTarget | undefined): boolean {
  if (!(origin instanceof Element)) return false;
  if (origin instanceof HTMLTextAreaElement || origin instanceof HTMLSelectElement) return true;
  if (origin instanceof HTMLInputElement) return !['radio', 'checkbox', 'button', 'submit', 'reset'].includes(origin.type);
  return origin.closest('[contenteditable]:not([contenteditable="false"])') !== null;
}

function isAnswerObject(value: unknown): value is AnswerObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
