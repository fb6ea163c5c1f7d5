/**
 * `<crowd-radio-button name="btn1" value="yes">Yes</crowd-radio-button>` — one choice.
 * Answer: `{ "<name>": { "<value>": true|false } }` per button, merged for shared names
 * (crowd-radio-button doc); `value` defaults to `"on"`. `required` is not supported (doc: use a
 * native `<input type="radio" required>`), so a button never blocks submission.
 *
 * Exclusivity: inside a crowd-radio-group, exactly the buttons of that group; outside one, the
 * buttons of the same name in the same document/shadow root that are not in a group.
 * The host is the ARIA radio (`role="radio"`, `aria-checked`, roving tabindex); arrow keys move
 * and select within the group, Space selects, Enter submits the form.
 */
import { css, html, LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { DEFAULT_FLAG_KEY, type AnswerEntry } from './answer.js';
import { CrowdField } from './field.js';
import { baseStyles } from './styles.js';

export class CrowdRadioButton extends CrowdField {
  // The host itself is the focusable radio, so focus is not delegated to the shadow root.
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions };

  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-flex;
        align-items: center;
        gap: 0.5rem;
        padding: 0.2rem 0.25rem;
        margin-inline-end: 0.75rem;
        cursor: pointer;
        border-radius: 4px;
      }
      :host(:focus-visible) {
        outline: 2px solid var(--tandem-focus, #0b5cc4);
        outline-offset: 2px;
      }
      :host([disabled]) {
        color: var(--tandem-muted, #57606a);
        cursor: not-allowed;
      }
      .circle {
        flex: none;
        width: 1.1rem;
        height: 1.1rem;
        border-radius: 50%;
        border: 2px solid var(--tandem-border, #b6bcc4);
        background: var(--tandem-surface, #fff);
      }
      :host([aria-checked='true']) .circle {
        border-color: var(--tandem-accent, #0b5cc4);
        background: radial-gradient(var(--tandem-accent, #0b5cc4) 0 45%, var(--tandem-surface, #fff) 50%);
      }
    `,
  ];

  @property({ type: Boolean }) checked = false;
  /** The key this button reports its state under. */
  @property() value = DEFAULT_FLAG_KEY;

  constructor() {
    super();
    this.addEventListener('click', () => this.select(false));
    this.addEventListener('keydown', (event) => this.onKeyDown(event));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.hasAttribute('role')) this.setAttribute('role', 'radio');
    // Siblings parsed after this one join the group later; settle tab stops once they have.
    queueMicrotask(() => syncTabStops(radioGroupMembers(this)));
  }

  answerEntries(): AnswerEntry[] {
    return [{ kind: 'flag', name: this.name, key: this.value || DEFAULT_FLAG_KEY, checked: this.checked }];
  }

  get validationMessage(): string {
    return '';
  }

  resetValue(): void {
    this.checked = this.hasAttribute('checked');
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.setAttribute('aria-checked', String(this.checked));
    if (this.disabled) this.setAttribute('aria-disabled', 'true');
    else this.removeAttribute('aria-disabled');
    if (changed.has('checked') || changed.has('disabled')) syncTabStops(radioGroupMembers(this));
  }

  /** Checks this button and unchecks the rest of its group, as a click does. */
  select(moveFocus: boolean): void {
    if (this.disabled) return;
    const members = radioGroupMembers(this);
    for (const other of members) if (other !== this) other.checked = false;
    const changed = !this.checked;
    this.checked = true;
    syncTabStops(members);
    if (moveFocus) this.focus();
    if (changed) this.emitChange();
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key === ' ') {
      event.preventDefault();
      this.select(false);
      return;
    }
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const enabled = radioGroupMembers(this).filter((b) => !b.disabled);
    const index = enabled.indexOf(this);
    const next = enabled[(index + step + enabled.length) % enabled.length];
    next?.select(true);
  }

  protected override render() {
    return html`<span class="circle" part="circle" aria-hidden="true"></span><span part="label"><slot></slot></span>`;
  }
}

/** The buttons that are mutually exclusive with `button`, itself included, in document order. */
export function radioGroupMembers(button: CrowdRadioButton): CrowdRadioButton[] {
  const group = button.closest('crowd-radio-group');
  if (group) {
    return [...group.querySelectorAll('crowd-radio-button')].filter((b) => b.closest('crowd-radio-group') === group);
  }
  if (!button.name || !button.isConnected) return [button];
  const root = button.getRootNode() as Document | ShadowRoot;
  return [...root.querySelectorAll('crowd-radio-button')].filter(
    (b) => b.name === button.name && !b.closest('crowd-radio-group'),
  );
}

/** Roving tabindex: only the checked button (or the first enabled one) is a Tab stop. */
function syncTabStops(members: CrowdRadioButton[]): void {
  const enabled = members.filter((b) => !b.disabled);
  const stop = enabled.find((b) => b.checked) ?? enabled[0];
  for (const b of members) b.setAttribute('tabindex', b === stop ? '0' : '-1');
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-radio-button': CrowdRadioButton;
  }
}
