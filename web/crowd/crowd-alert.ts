/**
 * `<crowd-alert type="info|success|warning|error" dismissible>message</crowd-alert>`.
 * Errors and warnings are announced (`role="alert"`), info and success are polite
 * (`role="status"`). A dismissible alert has a real "Dismiss" button that hides it.
 * Contributes nothing to the answer.
 */
import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { baseStyles } from './styles.js';

export type AlertType = 'info' | 'success' | 'warning' | 'error';

const ICONS: Record<AlertType, string> = { info: 'i', success: '✓', warning: '!', error: '!' };

export class CrowdAlert extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        margin: 0.5rem 0;
        --alert-color: #0b5cc4;
        --alert-bg: #eef4fc;
      }
      :host([type='success']) {
        --alert-color: #1a7f37;
        --alert-bg: #edf7f0;
      }
      :host([type='warning']) {
        --alert-color: #9a6700;
        --alert-bg: #fff8e6;
      }
      :host([type='error']) {
        --alert-color: var(--tandem-danger, #b42318);
        --alert-bg: #fdeeee;
      }
      .alert {
        display: flex;
        align-items: flex-start;
        gap: 0.6rem;
        padding: 0.6rem 0.75rem;
        border: 1px solid var(--alert-color);
        border-left-width: 4px;
        border-radius: var(--tandem-radius, 6px);
        background: var(--alert-bg);
      }
      .icon {
        flex: none;
        width: 1.25rem;
        height: 1.25rem;
        border-radius: 50%;
        background: var(--alert-color);
        color: #fff;
        font-weight: 700;
        font-size: 0.8rem;
        display: grid;
        place-items: center;
      }
      .content {
        flex: 1;
      }
      .dismiss {
        font: inherit;
        background: none;
        border: none;
        cursor: pointer;
        font-size: 1.2rem;
        line-height: 1;
        padding: 0 0.25rem;
        color: inherit;
      }
    `,
  ];

  @property({ reflect: true }) type: AlertType = 'info';
  @property({ type: Boolean }) dismissible = false;

  /** Hides the alert, as its Dismiss button does. */
  dismiss(): void {
    this.hidden = true;
  }

  protected override render() {
    const type: AlertType = this.type in ICONS ? this.type : 'info';
    return html`<div class="alert" part="alert" role=${type === 'error' || type === 'warning' ? 'alert' : 'status'}>
      <span class="icon" aria-hidden="true">${ICONS[type]}</span>
      <div class="content"><slot></slot></div>
      ${this.dismissible
        ? html`<button type="button" class="dismiss" aria-label="Dismiss" @click=${this.dismiss}>×</button>`
        : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-alert': CrowdAlert;
  }
}
