/**
 * What crowd-input and crowd-text-area share: a labelled native control in the shadow root, its
 * string value, the documented attributes (`label`, `placeholder`, `value`, `required`,
 * `min-length`, `max-length`, `allowed-pattern`, `auto-validate`, `auto-focus`, `error-message`)
 * and their plain-HTML spellings (`minlength`, `maxlength`).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { AnswerEntry } from './answer.js';
import { CrowdField } from './field.js';

type TextControl = HTMLInputElement | HTMLTextAreaElement;

export abstract class TextField extends CrowdField {
  /** Visible label above the control; also its accessible name. */
  @property() label = '';
  @property() placeholder = '';
  @property({ type: Boolean }) required = false;
  @property({ attribute: 'min-length', type: Number }) minLength: number | null = null;
  @property({ attribute: 'minlength', type: Number }) minlength: number | null = null;
  @property({ attribute: 'max-length', type: Number }) maxLength: number | null = null;
  @property({ attribute: 'maxlength', type: Number }) maxlength: number | null = null;
  /** Characters that may be typed, checked one character at a time; others are dropped. */
  @property({ attribute: 'allowed-pattern' }) allowedPattern = '';
  /** Validate while typing instead of only on submit. */
  @property({ attribute: 'auto-validate', type: Boolean }) autoValidate = false;
  @property({ attribute: 'auto-focus', type: Boolean }) autoFocus = false;
  /** Replaces the browser's validation message when the value is invalid. */
  @property({ attribute: 'error-message' }) errorMessage = '';

  private currentValue = '';

  /** The text; `null`/`undefined` clear it. The `value` attribute is the preset default. */
  @property({ noAccessor: true })
  get value(): string {
    return this.currentValue;
  }
  set value(next: string | null | undefined) {
    const old = this.currentValue;
    this.currentValue = next == null ? '' : String(next);
    // Keep the rendered control in step synchronously: a template may set `.value` and submit
    // in the same task, before Lit's next render.
    const control = this.control;
    if (control && control.value !== this.currentValue) control.value = this.currentValue;
    this.requestUpdate('value', old);
  }

  protected get control(): TextControl | null {
    return this.renderRoot?.querySelector<TextControl>('#control') ?? null;
  }

  protected get minChars(): number | null {
    return this.minLength ?? this.minlength;
  }

  protected get maxChars(): number | null {
    return this.maxLength ?? this.maxlength;
  }

  answerEntries(): AnswerEntry[] {
    return [{ kind: 'text', name: this.name, value: this.value }];
  }

  get validationMessage(): string {
    if (this.disabled) return '';
    const message = this.constraintMessage();
    return message && this.errorMessage ? this.errorMessage : message;
  }

  resetValue(): void {
    this.value = this.getAttribute('value');
    this.clearValidationMessage();
  }

  override focusControl(): void {
    this.control?.focus();
  }

  protected override firstUpdated(): void {
    if (this.autoFocus) this.control?.focus();
  }

  private constraintMessage(): string {
    const control = this.control;
    if (control) {
      if (!control.validity.valid) return control.validationMessage;
    } else if (this.required && this.value === '') {
      return 'Please fill out this field.';
    }
    // Native minlength/maxlength only judge text the user typed; check script-set values too.
    const length = this.value.length;
    const min = this.minChars;
    const max = this.maxChars;
    if (min !== null && length > 0 && length < min) {
      return `Please lengthen this text to ${min} characters or more (you are currently using ${length} characters).`;
    }
    if (max !== null && length > max) {
      return `Please shorten this text to ${max} characters or less (you are currently using ${length} characters).`;
    }
    return '';
  }

  protected onControlInput(event: Event): void {
    const control = event.target as TextControl;
    this.dropDisallowedCharacters(control);
    this.value = control.value;
    if (this.autoValidate) this.reportValidity();
    else this.revalidate();
  }

  protected onControlChange(): void {
    this.emitChange();
  }

  private dropDisallowedCharacters(control: TextControl): void {
    if (!this.allowedPattern) return;
    let allowed: RegExp;
    try {
      allowed = new RegExp(this.allowedPattern, 'u');
    } catch {
      return;
    }
    const kept = [...control.value].filter((ch) => allowed.test(ch)).join('');
    if (kept === control.value) return;
    const caret = (control.selectionStart ?? kept.length) - (control.value.length - kept.length);
    control.value = kept;
    control.setSelectionRange(Math.max(0, caret), Math.max(0, caret));
  }

  /** The accessible name when there is no visible label. */
  protected get fallbackName(): string {
    return this.accessibleLabel || this.placeholder || this.name;
  }

  /** Label, the control (from the subclass), optional extras, and the error line. */
  protected renderField(control: TemplateResult, extra: TemplateResult | typeof nothing = nothing): TemplateResult {
    return html`
      ${this.label ? html`<label class="field-label" for="control" part="label">${this.label}</label>` : nothing}
      ${control} ${extra}
      <div class="error" id="error" part="error" role="alert">${this.errorText}</div>
    `;
  }
}
