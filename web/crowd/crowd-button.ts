/**
 * `<crowd-button form-action="submit" variant="primary">Submit</crowd-button>` — a real
 * `<button>` (or, with `href`, a link styled as one). `form-action="submit"` submits the
 * enclosing crowd-form, `"reset"` resets it; the action runs after the click has been dispatched,
 * so a template's own click handler can cancel it with `preventDefault()` (as for native
 * buttons). `disabled` and `loading` block clicks. Contributes nothing to the answer.
 *
 * `icon` (iron-icons names) is not drawn, as Tandem ships no icon set; `icon-url` is.
 */
import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { baseStyles, buttonStyles } from './styles.js';

export type ButtonVariant = 'primary' | 'normal' | 'link' | 'icon';

export class CrowdButton extends LitElement {
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  static override styles = [
    baseStyles,
    buttonStyles,
    css`
      :host {
        display: inline-block;
      }
      :host([disabled]),
      :host([loading]) {
        pointer-events: none;
      }
      .button.icon {
        padding: 0.45rem;
      }
      .icon-image {
        width: 1.1em;
        height: 1.1em;
      }
      .spinner {
        width: 1em;
        height: 1em;
        border: 2px solid currentColor;
        border-right-color: transparent;
        border-radius: 50%;
        animation: spin 0.8s linear infinite;
      }
      @keyframes spin {
        to {
          transform: rotate(360deg);
        }
      }
    `,
  ];

  @property({ type: Boolean, reflect: true }) disabled = false;
  /** Shows a spinner and blocks clicks; wins over `disabled`. */
  @property({ type: Boolean, reflect: true }) loading = false;
  @property({ attribute: 'form-action' }) formAction: 'submit' | 'reset' | '' = '';
  @property() variant: ButtonVariant = 'normal';
  @property() href = '';
  @property() target = '';
  @property() icon = '';
  @property({ attribute: 'icon-url' }) iconUrl = '';
  @property({ attribute: 'icon-align' }) iconAlign: 'left' | 'right' = 'left';
  @property({ attribute: 'aria-label' }) accessibleLabel: string | null = null;

  constructor() {
    super();
    // Registered first, so it runs before any template listener on the host.
    this.addEventListener('click', (event) => this.onClick(event), { capture: true });
  }

  private get blocked(): boolean {
    return this.disabled || this.loading;
  }

  private onClick(event: MouseEvent): void {
    if (this.blocked) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (!this.formAction) return;
    // The form action is the click's default action: it happens once every listener has run,
    // unless one of them cancelled the click.
    setTimeout(() => {
      if (event.defaultPrevented) return;
      const form = this.closest('crowd-form');
      if (this.formAction === 'submit') form?.requestSubmit(this);
      else if (this.formAction === 'reset') form?.reset();
    });
  }

  protected override render() {
    const variant = this.variant === 'normal' ? '' : this.variant;
    const label = this.accessibleLabel ?? (this.variant === 'icon' ? this.icon || undefined : undefined);
    const icon = this.loading
      ? html`<span class="spinner" aria-hidden="true"></span>`
      : this.iconUrl
        ? html`<img class="icon-image" src=${this.iconUrl} alt="" />`
        : nothing;
    const content =
      this.iconAlign === 'right' ? html`<slot></slot>${icon}` : html`${icon}<slot></slot>`;
    if (this.href) {
      return html`<a
        class="button ${variant}"
        part="button"
        href=${this.blocked ? nothing : this.href}
        target=${ifDefined(this.target || undefined)}
        aria-disabled=${this.blocked ? 'true' : nothing}
        aria-label=${ifDefined(label)}
        >${content}</a
      >`;
    }
    return html`<button
      type="button"
      class="button ${variant}"
      part="button"
      ?disabled=${this.blocked}
      aria-busy=${this.loading ? 'true' : nothing}
      aria-label=${ifDefined(label)}
    >
      ${content}
    </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-button': CrowdButton;
  }
}
