/**
 * `<crowd-badge for="element-id" label="3">` or `icon="star"`: a small round badge over the top
 * right corner of the element whose id is `for` (the icon wins over the label). It follows that
 * element as the page lays out again. Without a (found) target it shows where it stands. A badge
 * written self-closing (`<crowd-badge …/>`) swallows the markup after it; that content is shown
 * after the badge, not inside it. Contributes nothing to the answer.
 */
import { css, html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { renderIcon } from './icons.js';
import { baseStyles } from './styles.js';

export class CrowdBadge extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: contents;
      }
      .badge {
        display: inline-grid;
        place-items: center;
        min-width: 1.4rem;
        height: 1.4rem;
        padding: 0 0.35rem;
        border-radius: 999px;
        background: var(--tandem-danger, #b42318);
        color: #fff;
        font-size: 0.75rem;
        font-weight: 700;
        line-height: 1;
        z-index: 10;
      }
      .badge.attached {
        position: absolute;
        transform: translate(-50%, -50%);
      }
      .icon {
        width: 0.95rem;
        height: 0.95rem;
      }
    `,
  ];

  @property() for = '';
  @property() icon = '';
  @property() label = '';

  private observer: ResizeObserver | undefined;
  private readonly place = () => this.position();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('resize', this.place);
    this.observer = new ResizeObserver(this.place);
    this.observer.observe(document.body);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('resize', this.place);
    this.observer?.disconnect();
  }

  /** The element the badge is attached to, if `for` names one. */
  get target(): HTMLElement | null {
    return this.for ? document.getElementById(this.for) : null;
  }

  protected override updated(): void {
    this.position();
  }

  /** Puts the badge's centre on the target's top-right corner (document coordinates). */
  private position(): void {
    const badge = this.renderRoot.querySelector<HTMLElement>('.badge');
    const target = this.target;
    if (!badge) return;
    badge.classList.toggle('attached', target !== null);
    if (!target) return;
    // With no positioned ancestor, offsetParent is <body> but the badge is placed from the document's origin.
    const container = badge.offsetParent;
    const positioned = container && !(container === document.body && getComputedStyle(container).position === 'static');
    const parent = positioned ? container.getBoundingClientRect() : { left: -window.scrollX, top: -window.scrollY };
    const box = target.getBoundingClientRect();
    badge.style.left = `${box.right - parent.left}px`;
    badge.style.top = `${box.top - parent.top}px`;
  }

  protected override render() {
    const name = this.label || this.icon;
    return html`<span class="badge" part="badge" role="status" aria-label=${name}>${this.icon ? renderIcon(this.icon) : this.label}</span><slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-badge': CrowdBadge;
  }
}
