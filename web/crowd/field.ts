/**
 * The base of every crowd element that contributes to the answer. crowd-form finds fields by
 * `instanceof CrowdField`, asks them for answer entries and validity, and lets each one show its
 * own message in its own shadow root.
 */
import { LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AnswerEntry, JsonValue } from './answer.js';

export abstract class CrowdField extends LitElement {
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  /** Key of this element's contribution in the answer object; unnamed fields contribute nothing. */
  @property() name = '';

  /** A disabled field neither validates nor contributes (as native form controls). */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** The `aria-label` given to the host, forwarded to the inner control. */
  @property({ attribute: 'aria-label' }) accessibleLabel: string | null = null;

  /** The message shown under the field after a failed submission; '' when none is showing. */
  @state() protected errorText = '';

  /** What the field adds to the answer (the form has already checked `name` and `disabled`). */
  abstract answerEntries(): AnswerEntry[];

  /** Why the current value cannot be submitted, or '' when it can. Mirrors the native property. */
  abstract get validationMessage(): string;

  /** Restores the value the markup declared (`form-action="reset"`). */
  abstract resetValue(): void;

  /**
   * Puts back a value this field answered before (a draft the portal kept across a reload);
   * returns false when the field has no such restore and the generic one (flags, text) applies.
   */
  restoreValue(_value: JsonValue): boolean {
    return false;
  }

  checkValidity(): boolean {
    return this.disabled || this.validationMessage === '';
  }

  /** Shows the current validation message next to the field (or clears it); returns validity. */
  reportValidity(): boolean {
    this.errorText = this.disabled ? '' : this.validationMessage;
    return this.errorText === '';
  }

  clearValidationMessage(): void {
    this.errorText = '';
  }

  /** Moves focus to the control a worker should fix first. */
  focusControl(): void {
    this.focus();
  }

  /** After an edit: once a message is showing, re-check so it goes away as soon as it is fixed. */
  protected revalidate(): void {
    if (this.errorText) this.reportValidity();
  }

  /** Native `change` does not cross shadow boundaries, so fields re-dispatch it from the host. */
  protected emitChange(): void {
    this.dispatchEvent(new Event('change', { bubbles: true }));
  }
}
