/**
 * `<crowd-checkbox name="image_attributes" value="blurry">Blurry</crowd-checkbox>`.
 * Answer: `{ "<name>": { "<value>": true|false } }`; boxes sharing a name merge into one object
 * and unchecked boxes answer `false` (crowd-checkbox doc). `value` defaults to `"on"`.
 * `required` means "must be checked".
 */
import { css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { DEFAULT_FLAG_KEY, type AnswerEntry } from './answer.js';
import { CrowdField } from './field.js';
import { baseStyles } from './styles.js';

export class CrowdCheckbox extends CrowdField {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-block;
        vertical-align: top;
      }
      label {
        display: inline-flex;
        align-items: center;
        gap: 0.5rem;
        padding: 0.2rem 0;
        cursor: pointer;
      }
      input {
        width: 1.1rem;
        height: 1.1rem;
        margin: 0;
        accent-color: var(--tandem-accent, #0b5cc4);
      }
      :host([disabled]) label {
        color: var(--tandem-muted, #57606a);
        cursor: not-allowed;
      }
    `,
  ];

  @property({ type: Boolean }) checked = false;
  /** The key this box reports its state under. */
  @property() value = DEFAULT_FLAG_KEY;
  @property({ type: Boolean }) required = false;

  private get control(): HTMLInputElement | null {
    return this.renderRoot?.querySelector<HTMLInputElement>('#control') ?? null;
  }

  answerEntries(): AnswerEntry[] {
    return [{ kind: 'flag', name: this.name, key: this.value || DEFAULT_FLAG_KEY, checked: this.checked }];
  }

  get validationMessage(): string {
    if (this.disabled || !this.required || this.checked) return '';
    return this.control?.validationMessage || 'Please check this box if you want to proceed.';
  }

  resetValue(): void {
    this.checked = this.hasAttribute('checked');
    this.clearValidationMessage();
  }

  override focusControl(): void {
    this.control?.focus();
  }

  private onChange(event: Event): void {
    this.checked = (event.target as HTMLInputElement).checked;
    this.revalidate();
    this.emitChange();
  }

  protected override render() {
    const invalid = this.errorText !== '';
    return html`
      <label part="label">
        <input
          id="control"
          part="checkbox"
          type="checkbox"
          .checked=${live(this.checked)}
          ?disabled=${this.disabled}
          ?required=${this.required}
          aria-label=${ifDefined(this.accessibleLabel ?? undefined)}
          aria-invalid=${invalid ? 'true' : 'false'}
          aria-describedby=${ifDefined(invalid ? 'error' : undefined)}
          @change=${this.onChange}
        />
        <span><slot></slot></span>
      </label>
      <div class="error" id="error" part="error" role="alert">${this.errorText}</div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-checkbox': CrowdCheckbox;
  }
}
