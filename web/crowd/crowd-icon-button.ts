/**
 * `<crowd-icon-button icon="delete" title="Remove">` and `<crowd-fab icon="add" label="+" title="Add">`:
 * buttons showing an icon (an iron-icons name Tandem draws, or an image URL; see icons.ts).
 * crowd-fab floats at the bottom right of the screen and shows `label` (one character) when it
 * has no icon. `title` is both the tooltip and the accessible name. `disabled` turns them off.
 * They contribute nothing to the answer and never submit the form; templates attach `onclick`.
 */
import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { renderIcon } from './icons.js';
import { baseStyles } from './styles.js';

const iconButtonStyles = css`
  :host {
    display: inline-block;
    vertical-align: middle;
  }
  :host([disabled]) {
    pointer-events: none;
  }
  button {
    font: inherit;
    display: inline-grid;
    place-items: center;
    width: 2.5rem;
    height: 2.5rem;
    padding: 0;
    border-radius: 50%;
    border: 0;
    background: transparent;
    color: var(--tandem-text, #1f2328);
    cursor: pointer;
  }
  button:hover {
    background: var(--tandem-subtle, #f4f5f7);
  }
  button:active {
    background: color-mix(in srgb, var(--tandem-accent, #0b5cc4) 20%, transparent);
  }
  button:disabled {
    opacity: 0.45;
    cursor: not-allowed;
  }
  .icon {
    width: 1.5rem;
    height: 1.5rem;
    object-fit: contain;
  }
  .letter {
    display: grid;
    place-items: center;
    font-weight: 700;
  }
`;

/** What crowd-icon-button and crowd-fab share: an icon in a round button. */
class IconButtonBase extends LitElement {
  @property() icon = '';
  @property({ type: Boolean, reflect: true }) disabled = false;
  @property() override title = '';

  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector('button')?.focus(options);
  }

  protected content(): unknown {
    return this.icon ? renderIcon(this.icon) : nothing;
  }

  protected override render() {
    return html`<button type="button" part="button" ?disabled=${this.disabled} aria-label=${ifDefined(this.title || this.getAttribute('aria-label') || this.icon || undefined)}>
      ${this.content()}
    </button>`;
  }
}

export class CrowdIconButton extends IconButtonBase {
  static override styles = [baseStyles, iconButtonStyles];
}

export class CrowdFab extends IconButtonBase {
  static override styles = [
    baseStyles,
    iconButtonStyles,
    css`
      :host {
        position: fixed;
        right: 1.5rem;
        bottom: 1.5rem;
        z-index: 900;
      }
      button,
      button:hover {
        width: 3.5rem;
        height: 3.5rem;
        background: var(--tandem-accent, #0b5cc4);
        color: var(--tandem-on-accent, #fff);
        box-shadow: 0 4px 12px rgb(0 0 0 / 30%);
        font-size: 1.4rem;
      }
    `,
  ];

  @property() label = '';

  protected override content(): unknown {
    if (this.icon) return renderIcon(this.icon);
    return html`<span aria-hidden="true">${this.label.slice(0, 1)}</span>`;
  }

  protected override render() {
    const name = this.title || this.getAttribute('aria-label') || this.label || this.icon;
    return html`<button type="button" part="button" ?disabled=${this.disabled} aria-label=${ifDefined(name || undefined)}>${this.content()}</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-icon-button': CrowdIconButton;
    'crowd-fab': CrowdFab;
  }
}
