/**
 * `<crowd-input name="tag1" label="Word/phrase 1">` — a single-line text box.
 * Answer: `{ "<name>": "<text>" }`, omitted when empty (crowd-input doc). `type="number"` and
 * every other type still answer a string, as native inputs do; `type="file"` answers nothing
 * (files cannot leave the sandbox). Enter submits the form (handled by crowd-form).
 */
import { css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { AnswerEntry } from './answer.js';
import { baseStyles, textControlStyles } from './styles.js';
import { TextField } from './text-field.js';

export class CrowdInput extends TextField {
  static override styles = [
    baseStyles,
    textControlStyles,
    css`
      :host {
        display: block;
        margin: 0.5rem 0;
      }
    `,
  ];

  /** Any HTML input type; default `text`. */
  @property() type = 'text';
  @property() pattern = '';
  @property() min = '';
  @property() max = '';
  @property() step = '';

  override answerEntries(): AnswerEntry[] {
    return this.type === 'file' ? [] : super.answerEntries();
  }

  protected override render() {
    const invalid = this.errorText !== '';
    return this.renderField(html`<input
      id="control"
      part="input"
      type=${this.type || 'text'}
      .value=${live(this.value)}
      placeholder=${ifDefined(this.placeholder || undefined)}
      aria-label=${ifDefined(this.label ? undefined : this.fallbackName || undefined)}
      aria-invalid=${invalid ? 'true' : 'false'}
      aria-describedby=${ifDefined(invalid ? 'error' : undefined)}
      ?required=${this.required}
      ?disabled=${this.disabled}
      maxlength=${ifDefined(this.maxChars ?? undefined)}
      pattern=${ifDefined(this.pattern || undefined)}
      min=${ifDefined(this.min || undefined)}
      max=${ifDefined(this.max || undefined)}
      step=${ifDefined(this.step || undefined)}
      @input=${this.onControlInput}
      @change=${this.onControlChange}
    />`);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-input': CrowdInput;
  }
}
