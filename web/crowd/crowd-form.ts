/**
 * `<crowd-form>` — wraps a task's controls, validates them and hands the answer to the portal.
 *
 * Its children are moved into an inner native `<form class="tandem-form" novalidate>` (exposed as
 * `.form`, laid out with `display: contents`), so native controls keep native behaviour
 * (`input.form`, radio groups, `required`) and controls a script appends to `.form` are
 * collected too. No native submission ever happens: the form never navigates the sandboxed frame.
 *
 * Submitting (spec D.3), from a `crowd-button[form-action=submit]`, a native submit button,
 * Enter, `.submit()`/`.requestSubmit()` or the portal's `tandem:request-submit`:
 * 1. a cancelable `submit` event is dispatched on the crowd-form (`onsubmit` handlers run and
 *    may fill hidden inputs or call `preventDefault()`, which stops everything);
 * 2. every field is validated; invalid ones show a message next to them, the first is focused,
 *    and the portal gets `tandem:invalid`;
 * 3. otherwise the answer object is posted to the portal as `tandem:submit`.
 * Validating after the event lets template handlers fix up fields first (spec recommendation).
 */
import type { CrowdButton } from './crowd-button.js';
import { CrowdField } from './field.js';
import { clearFieldErrors, collectAnswer, isNativeControl, revalidateNativeControl, validateFields } from './form-fields.js';
import { postToPortal } from './portal-bridge.js';

/** Sent from the first invalid field before it is focused, so a container hiding it shows it. */
export const REVEAL_EVENT = 'tandem-reveal';

/** Input types on which Enter keeps its own meaning instead of submitting. */
const ENTER_KEEPS_MEANING = new Set(['button', 'submit', 'reset', 'image', 'file', 'color']);

export class CrowdForm extends HTMLElement {
  /** The native form holding the template's content. */
  readonly form: HTMLFormElement;
  private readonly observer = new MutationObserver(() => this.adoptChildren());
  private dispatchingSubmit = false;

  constructor() {
    super();
    this.form = document.createElement('form');
    this.form.className = 'tandem-form';
    this.form.noValidate = true;
    // A native submission of this form must not navigate; scripts calling it get ours instead.
    this.form.submit = () => this.submit();
    this.addEventListener('submit', (event) => this.onNativeSubmit(event), { capture: true });
    this.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.addEventListener('input', (event) => this.onEdit(event));
    this.addEventListener('change', (event) => this.onEdit(event));
  }

  connectedCallback(): void {
    this.adoptChildren();
    this.observer.observe(this, { childList: true });
    whenParsed(() => this.ensureSubmitButton());
  }

  disconnectedCallback(): void {
    this.observer.disconnect();
  }

  /** The button that submits this form: the template's own, or the one added automatically. */
  get submitButton(): CrowdButton | null {
    return this.querySelector<CrowdButton>('crowd-button[form-action="submit"]');
  }

  /** Submits as crowd-form does on AWS: the `submit` event fires first (spec D.2 #3). */
  submit(): void {
    this.requestSubmit();
  }

  /** Runs the submission steps above; `submitter` becomes the event's `submitter`. */
  requestSubmit(submitter: HTMLElement | null = null): void {
    // A handler calling submit() from inside onsubmit would recurse forever.
    if (this.dispatchingSubmit) return;
    this.dispatchingSubmit = true;
    let proceed: boolean;
    try {
      proceed = this.dispatchEvent(new SubmitEvent('submit', { bubbles: true, cancelable: true, submitter }));
    } finally {
      this.dispatchingSubmit = false;
    }
    if (!proceed) return;
    const invalid = validateFields(this);
    const first = invalid[0];
    if (first) {
      // A container that hides content (crowd-tabs) shows the field before it is focused.
      first.field.dispatchEvent(new Event(REVEAL_EVENT, { bubbles: true }));
      if (first.field instanceof CrowdField) first.field.focusControl();
      else first.field.focus();
      const fields = [...new Set(invalid.map((f) => f.name).filter((name) => name !== ''))];
      postToPortal({ type: 'tandem:invalid', fields });
      return;
    }
    postToPortal({ type: 'tandem:submit', answer: collectAnswer(this) });
  }

  /**
   * What Enter and the portal's Submit do: press the submit button (its click handlers run, and
   * nothing happens while it is disabled or loading), or submit directly when there is none.
   */
  pressSubmitButton(): void {
    const button = this.submitButton;
    if (button) button.click();
    else this.requestSubmit();
  }

  /** Whether every field is valid, without showing anything. */
  checkValidity(): boolean {
    return validateFields(this, { show: false }).length === 0;
  }

  /** Validates and shows messages next to invalid fields; returns whether all are valid. */
  reportValidity(): boolean {
    return validateFields(this).length === 0;
  }

  /** Restores every field to the value its markup declared (`form-action="reset"`). */
  reset(): void {
    this.form.reset();
    for (const field of this.querySelectorAll('*')) if (field instanceof CrowdField) field.resetValue();
    clearFieldErrors(this);
  }

  /** Appends a primary Submit button unless the template placed its own (crowd-form doc). */
  ensureSubmitButton(): void {
    if (this.submitButton) return;
    const button = document.createElement('crowd-button');
    button.setAttribute('form-action', 'submit');
    button.setAttribute('variant', 'primary');
    button.className = 'tandem-auto-submit';
    button.textContent = 'Submit';
    this.form.append(button);
  }

  /** Keeps every child inside the inner form, in order, also after `innerHTML =` or appends. */
  private adoptChildren(): void {
    if (this.form.parentNode !== this) {
      // First connection, or a script replaced our children (`innerHTML =`): start empty.
      this.form.replaceChildren();
      this.prepend(this.form);
    }
    const before: Node[] = [];
    const after: Node[] = [];
    let seenForm = false;
    for (const node of this.childNodes) {
      if (node === this.form) seenForm = true;
      else (seenForm ? after : before).push(node);
    }
    if (before.length > 0) this.form.prepend(...before);
    if (after.length > 0) this.form.append(...after);
  }

  private onNativeSubmit(event: Event): void {
    if (event.target === this) return; // our own event
    event.preventDefault();
    event.stopImmediatePropagation();
    this.requestSubmit((event as SubmitEvent).submitter);
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (!isPlainEnter(event)) return;
    const origin = event.composedPath()[0];
    if (!(origin instanceof Element) || !enterSubmitsFrom(origin)) return;
    event.preventDefault(); // also stops the browser's own implicit submission
    this.pressSubmitButton();
  }

  private onEdit(event: Event): void {
    if (isNativeControl(event.target)) revalidateNativeControl(event.target, this);
  }
}

/** An Enter press nobody has handled yet: no modifier but Shift, no IME composition, no auto-repeat. */
export function isPlainEnter(event: KeyboardEvent): boolean {
  return (
    event.key === 'Enter' &&
    !event.defaultPrevented &&
    !event.isComposing &&
    !event.repeat &&
    !event.ctrlKey &&
    !event.altKey &&
    !event.metaKey
  );
}

/**
 * Enter submits from single-line inputs, checkboxes and radios (native or ARIA), as implicit
 * submission does in native forms; not from textareas, selects, buttons, links or editors.
 */
function enterSubmitsFrom(origin: Element): boolean {
  if (origin instanceof HTMLInputElement) return !ENTER_KEEPS_MEANING.has(origin.type);
  const role = origin.getAttribute('role');
  return role === 'radio' || role === 'checkbox';
}

/** Runs `callback` once the document has been parsed (now, if it already has). */
export function whenParsed(callback: () => void): void {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', callback, { once: true });
  else queueMicrotask(callback);
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-form': CrowdForm;
  }
}
