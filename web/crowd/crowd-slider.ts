/**
 * `<crowd-slider name="confidence" min="0" max="10" step="1" value="5" pin editable required>`:
 * a native range input (arrow keys, Page Up/Down, Home/End work as in any slider), with the value
 * shown beside the knob (`pin`), a number box (`editable`), and optional tick labels written as
 * `<crowd-slider-label position="N">text</crowd-slider-label>` children (undocumented, used by
 * public templates).
 *
 * Answer: `{ "<name>": <number> }`, a JSON number (UNCONFIRMED: the reference has no Output
 * section; Tandem's choice). The slider always answers its current value, which is `value` or,
 * when there is none, `min` (as a paper-slider starts). With `required`, a slider the worker never
 * moved blocks submission (UNCONFIRMED: "requires the worker to provide input").
 */
import { css, html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { AnswerEntry, JsonValue } from './answer.js';
import { CrowdField } from './field.js';
import { baseStyles } from './styles.js';

export class CrowdSlider extends CrowdField {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        margin: 0.5rem 0;
        max-width: 40rem;
      }
      .row {
        display: flex;
        align-items: center;
        gap: 0.75rem;
      }
      input[type='range'] {
        flex: 1;
        min-width: 0;
        margin: 0;
        height: 1.75rem;
        accent-color: var(--tandem-accent, #0b5cc4);
      }
      input[type='number'] {
        width: 5.5rem;
        font: inherit;
        padding: 0.3rem 0.4rem;
        border: 1px solid var(--tandem-border, #b6bcc4);
        border-radius: var(--tandem-radius, 6px);
      }
      output {
        min-width: 2.5rem;
        text-align: center;
        font-weight: 600;
        font-variant-numeric: tabular-nums;
      }
      .ticks {
        position: relative;
        height: 1.4rem;
        margin: 0 0.6rem;
        font-size: 0.85rem;
        color: var(--tandem-muted, #57606a);
      }
      .ticks[hidden] {
        display: none;
      }
      [aria-invalid='true'] {
        outline: 2px solid var(--tandem-danger, #b42318);
        outline-offset: 2px;
      }
    `,
  ];

  @property({ type: Number }) min = 0;
  @property({ type: Number }) max = 100;
  @property({ type: Number }) step = 1;
  @property({ type: Boolean }) pin = false;
  @property({ type: Boolean }) editable = false;
  @property({ type: Boolean }) required = false;
  /** Accepted for compatibility; drawn as nothing (it styles a second progress bar on AWS). */
  @property({ type: Number, attribute: 'secondary-progress' }) secondaryProgress: number | null = null;

  @state() private hasTicks = false;
  private current: number | null = null;
  private moved = false;

  /** The current value (a number). Setting it moves the knob (no `change` event). */
  @property({ noAccessor: true })
  get value(): number {
    return this.clamp(this.current ?? Number(this.getAttribute('value') ?? this.min));
  }
  set value(next: number | string | null | undefined) {
    const old = this.current;
    const number = next === null || next === undefined || next === '' ? null : Number(next);
    this.current = number === null || Number.isNaN(number) ? null : number;
    this.requestUpdate('value', old);
  }

  override restoreValue(value: JsonValue): boolean {
    if (typeof value !== 'number') return false;
    this.value = value;
    this.moved = true;
    return true;
  }

  answerEntries(): AnswerEntry[] {
    return [{ kind: 'value', name: this.name, value: this.value }];
  }

  get validationMessage(): string {
    if (this.disabled || !this.required || this.moved) return '';
    return 'Please move the slider to choose a value.';
  }

  resetValue(): void {
    this.current = null;
    this.moved = false;
    this.clearValidationMessage();
    this.requestUpdate();
  }

  override focusControl(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type=range]')?.focus();
  }

  private clamp(value: number): number {
    const low = Math.min(this.min, this.max);
    const high = Math.max(this.min, this.max);
    const step = this.step > 0 ? this.step : 1;
    const stepped = low + Math.round((Math.min(high, Math.max(low, value)) - low) / step) * step;
    // Round away binary noise such as 0.30000000000000004 from decimal steps.
    return Number(Math.min(high, stepped).toFixed(10));
  }

  private onInput(event: Event, commit: boolean): void {
    const input = event.target as HTMLInputElement;
    if (input.value === '') return;
    this.current = this.clamp(Number(input.value));
    this.moved = true;
    this.requestUpdate();
    this.revalidate();
    if (commit) this.emitChange();
  }

  private placeTicks(event: Event): void {
    const labels = (event.target as HTMLSlotElement)
      .assignedElements()
      .filter((el): el is HTMLElement => el.localName === 'crowd-slider-label');
    this.hasTicks = labels.length > 0;
    const span = this.max - this.min || 1;
    for (const label of labels) {
      const position = Number(label.getAttribute('position') ?? this.min);
      const fraction = Math.min(1, Math.max(0, (position - this.min) / span));
      label.style.position = 'absolute';
      label.style.left = `${fraction * 100}%`;
      // Centred on its tick, shifted inwards towards the ends so the end labels stay inside.
      label.style.transform = `translateX(${-fraction * 100}%)`;
      label.style.whiteSpace = 'nowrap';
    }
  }

  protected override render() {
    const invalid = this.errorText !== '';
    const label = this.accessibleLabel ?? this.getAttribute('label') ?? (this.name || 'Slider');
    return html`
      <div class="row" part="row">
        <input
          type="range"
          part="slider"
          min=${this.min}
          max=${this.max}
          step=${this.step > 0 ? this.step : 1}
          .value=${live(String(this.value))}
          ?disabled=${this.disabled}
          aria-label=${label}
          aria-invalid=${invalid ? 'true' : 'false'}
          aria-describedby=${ifDefined(invalid ? 'error' : undefined)}
          @input=${(e: Event) => this.onInput(e, false)}
          @change=${(e: Event) => this.onInput(e, true)}
        />
        ${this.pin ? html`<output part="pin" aria-hidden="true">${this.value}</output>` : nothing}
        ${this.editable
          ? html`<input
              type="number"
              part="number"
              min=${this.min}
              max=${this.max}
              step=${this.step > 0 ? this.step : 1}
              .value=${live(String(this.value))}
              ?disabled=${this.disabled}
              aria-label=${`${label} (number)`}
              @change=${(e: Event) => this.onInput(e, true)}
            />`
          : nothing}
      </div>
      <div class="ticks" part="ticks" ?hidden=${!this.hasTicks}><slot @slotchange=${this.placeTicks}></slot></div>
      <div class="error" id="error" part="error" role="alert">${this.errorText}</div>
    `;
  }
}

/** `<crowd-slider-label position="N">`: a tick label under a crowd-slider; placed by the slider. */
export class CrowdSliderLabel extends LitElement {
  protected override render() {
    return html`<slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-slider': CrowdSlider;
    'crowd-slider-label': CrowdSliderLabel;
  }
}
