/**
 * `<crowd-toggle-button name="theToggler" value="on" checked required invalid disabled>`: an
 * ON/OFF switch. Answer: `{ "<name>": { "<value>": true|false } }` (value defaults to `"on"`),
 * merged per name like crowd-checkbox. `required` means it must be ON to submit (*choice*, as for
 * crowd-checkbox); `invalid` shows it in the alert colour while OFF. Text inside the element (or
 * `aria-label`) names the switch.
 */
import { css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { DEFAULT_FLAG_KEY, type AnswerEntry } from './answer.js';
import { CrowdField } from './field.js';
import { baseStyles } from './styles.js';

export class CrowdToggleButton extends CrowdField {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: inline-block;
        vertical-align: middle;
      }
      button {
        font: inherit;
        color: inherit;
        display: inline-flex;
        align-items: center;
        gap: 0.5rem;
        background: none;
        border: 0;
        padding: 0.2rem 0;
        cursor: pointer;
      }
      .track {
        position: relative;
        width: 2.4rem;
        height: 1.3rem;
        border-radius: 999px;
        background: var(--tandem-border, #b6bcc4);
        transition: background 0.15s;
        flex: none;
      }
      .knob {
        position: absolute;
        top: 0.15rem;
        left: 0.15rem;
        width: 1rem;
        height: 1rem;
        border-radius: 50%;
        background: #fff;
        box-shadow: 0 1px 2px rgb(0 0 0 / 30%);
        transition: transform 0.15s;
      }
      button[aria-checked='true'] .track {
        background: var(--tandem-accent, #0b5cc4);
      }
      button[aria-checked='true'] .knob {
        transform: translateX(1.1rem);
      }
      :host([invalid]) button[aria-checked='false'] .track {
        background: var(--tandem-danger, #b42318);
      }
      button:disabled {
        cursor: not-allowed;
        opacity: 0.55;
      }
    `,
  ];

  @property({ type: Boolean, reflect: true }) checked = false;
  @property() value = DEFAULT_FLAG_KEY;
  @property({ type: Boolean }) required = false;
  @property({ type: Boolean, reflect: true }) invalid = false;

  answerEntries(): AnswerEntry[] {
    return [{ kind: 'flag', name: this.name, key: this.value || DEFAULT_FLAG_KEY, checked: this.checked }];
  }

  get validationMessage(): string {
    return this.disabled || !this.required || this.checked ? '' : 'Turn this on if you want to proceed.';
  }

  resetValue(): void {
    this.checked = this.hasAttribute('checked');
    this.clearValidationMessage();
  }

  override focusControl(): void {
    this.renderRoot.querySelector('button')?.focus();
  }

  private toggle(): void {
    this.checked = !this.checked;
    this.revalidate();
    this.emitChange();
    this.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }

  protected override render() {
    const invalid = this.errorText !== '';
    return html`
      <button
        type="button"
        role="switch"
        part="button"
        aria-checked=${this.checked ? 'true' : 'false'}
        aria-label=${ifDefined(this.accessibleLabel ?? undefined)}
        aria-invalid=${invalid || (this.invalid && !this.checked) ? 'true' : 'false'}
        aria-describedby=${ifDefined(invalid ? 'error' : undefined)}
        ?disabled=${this.disabled}
        @click=${this.toggle}
      >
        <span class="track" aria-hidden="true"><span class="knob"></span></span>
        <span><slot></slot></span>
      </button>
      <div class="error" id="error" part="error" role="alert">${this.errorText}</div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-toggle-button': CrowdToggleButton;
  }
}
