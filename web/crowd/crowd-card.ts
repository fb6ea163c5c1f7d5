/**
 * `<crowd-card heading="…" image="…">content</crowd-card>` — an elevated box. Its content may
 * hold form controls; they stay in the light DOM and crowd-form collects them.
 * Contributes nothing to the answer.
 */
import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { baseStyles } from './styles.js';

export class CrowdCard extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        margin: 0.75rem 0;
      }
      .card {
        background: var(--tandem-surface, #fff);
        border: 1px solid #dde1e6;
        border-radius: 8px;
        box-shadow: 0 1px 3px rgb(0 0 0 / 12%), 0 2px 8px rgb(0 0 0 / 6%);
        overflow: hidden;
      }
      .image {
        display: block;
        width: 100%;
        max-height: 16rem;
        object-fit: cover;
      }
      .heading {
        font-size: 1.1rem;
        margin: 0;
        padding: 0.9rem 1rem 0;
      }
      .content {
        padding: 0.75rem 1rem 1rem;
      }
    `,
  ];

  @property() heading = '';
  @property() image = '';

  protected override render() {
    return html`<section class="card" part="card" aria-labelledby=${this.heading ? 'heading' : nothing}>
      ${this.image ? html`<img class="image" part="image" src=${this.image} alt="" />` : nothing}
      ${this.heading ? html`<h2 class="heading" id="heading" part="heading">${this.heading}</h2>` : nothing}
      <div class="content" part="content"><slot></slot></div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-card': CrowdCard;
  }
}
