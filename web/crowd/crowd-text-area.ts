/**
 * `<crowd-text-area name="textInput1" label="…" rows="3" max-rows="8" char-counter>` — multi-line
 * text. Answer: `{ "<name>": "<text>" }` with `\n` line ends (the control's `.value`, never the
 * CRLF of form encoding); omitted when empty (Tandem's choice, mirroring crowd-input). Enter
 * inserts a newline; it never submits.
 */
import { css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { baseStyles, textControlStyles } from './styles.js';
import { TextField } from './text-field.js';

export class CrowdTextArea extends TextField {
  static override styles = [
    baseStyles,
    textControlStyles,
    css`
      :host {
        display: block;
        margin: 0.5rem 0;
      }
      .counter {
        color: var(--tandem-muted, #57606a);
        font-size: 0.8rem;
        text-align: end;
      }
    `,
  ];

  /** Height in lines; the box grows with its text up to `max-rows`. */
  @property({ type: Number }) rows = 3;
  @property({ attribute: 'max-rows', type: Number }) maxRows: number | null = null;
  /** Show the character count (and the limit, when `max-length` is set). */
  @property({ attribute: 'char-counter', type: Boolean }) charCounter = false;

  private get visibleRows(): number {
    const lines = this.value.split('\n').length;
    const wanted = Math.max(this.rows || 1, lines);
    return this.maxRows ? Math.min(wanted, Math.max(this.maxRows, this.rows || 1)) : wanted;
  }

  protected override render() {
    const invalid = this.errorText !== '';
    const max = this.maxChars;
    const counter = this.charCounter
      ? html`<div class="counter" part="counter" aria-hidden="true">${this.value.length}${max !== null ? ` / ${max}` : ''}</div>`
      : nothing;
    return this.renderField(
      html`<textarea
        id="control"
        part="textarea"
          rows=${this.visibleRows}
        .value=${live(this.value)}
        placeholder=${ifDefined(this.placeholder || undefined)}
        aria-label=${ifDefined(this.label ? undefined : this.fallbackName || undefined)}
        aria-invalid=${invalid ? 'true' : 'false'}
        aria-describedby=${ifDefined(invalid ? 'error' : undefined)}
        ?required=${this.required}
        ?disabled=${this.disabled}
        maxlength=${ifDefined(max ?? undefined)}
        @input=${this.onControlInput}
        @change=${this.onControlChange}
      ></textarea>`,
      counter,
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-text-area': CrowdTextArea;
  }
}
