/**
 * `<crowd-radio-group>` — holds crowd-radio-buttons of which exactly one can be checked.
 * It adds no key of its own: its buttons contribute (`{"btn1":{"yes":true},"btn2":{"no":false}}`,
 * crowd-radio-group doc). It is the ARIA radiogroup; give it an `aria-label` to name the question.
 * `.value` is the checked button's value (or `null`), a convenience for template scripts.
 */
import { css, html, LitElement } from 'lit';
import { baseStyles } from './styles.js';

export class CrowdRadioGroup extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        margin: 0.5rem 0;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.hasAttribute('role')) this.setAttribute('role', 'radiogroup');
  }

  get value(): string | null {
    const checked = [...this.querySelectorAll('crowd-radio-button')].find((b) => b.checked);
    return checked ? checked.value : null;
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-radio-group': CrowdRadioGroup;
  }
}
