/**
 * `<crowd-toast text="Saved" duration="3000">`: a short notice at the bottom of the screen that
 * goes away after `duration` milliseconds (default 3000; 0 keeps it until dismissed). It shows
 * when the page has loaded, and again on `show()` (*choice*: the reference does not say when it
 * appears). Only one crowd-toast is visible at a time: showing one hides the others. Announced to
 * screen readers as a status. Contributes nothing to the answer.
 */
import { css, html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { baseStyles } from './styles.js';

const visible = new Set<CrowdToast>();

export class CrowdToast extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        position: fixed;
        left: 50%;
        bottom: 1.25rem;
        transform: translateX(-50%);
        z-index: 1000;
        max-width: min(32rem, calc(100vw - 2rem));
      }
      .toast {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        padding: 0.65rem 1rem;
        border-radius: var(--tandem-radius, 6px);
        background: #2b3038;
        color: #fff;
        box-shadow: 0 6px 20px rgb(0 0 0 / 25%);
      }
      .toast[hidden] {
        display: none;
      }
      button {
        font: inherit;
        color: #cfe3ff;
        background: none;
        border: 0;
        cursor: pointer;
        padding: 0.1rem 0.3rem;
      }
    `,
  ];

  @property() text = '';
  @property({ type: Number }) duration = 3000;
  @property({ type: Boolean, reflect: true }) opened = false;

  private timer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.hasAttribute('opened')) queueMicrotask(() => this.show());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.hide();
  }

  /** Shows the toast (hiding any other) for `duration` ms. */
  show(): void {
    for (const other of visible) if (other !== this) other.hide();
    visible.add(this);
    this.opened = true;
    clearTimeout(this.timer);
    if (this.duration > 0) this.timer = setTimeout(() => this.hide(), this.duration);
  }

  /** The name paper-toast gives `show()`; templates written for it call either. */
  open(): void {
    this.show();
  }

  hide(): void {
    clearTimeout(this.timer);
    visible.delete(this);
    this.opened = false;
  }

  protected override render() {
    return html`<div class="toast" part="toast" role="status" ?hidden=${!this.opened}>
      <span>${this.text}<slot></slot></span>
      <button type="button" aria-label="Dismiss" @click=${() => this.hide()}>×</button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-toast': CrowdToast;
  }
}
