/**
 * `<crowd-modal link-text="Click to open modal" link-type="link|button">content</crowd-modal>`:
 * a link (or button) that opens the element's content in a modal dialog, closed by its Close
 * button or Escape. `open` (attribute or property) and `show()` / `close()` open it from script
 * (*choice*: the reference documents only the link). Contributes nothing to the answer.
 */
import { css, html, LitElement } from 'lit';
import { property, query } from 'lit/decorators.js';
import { baseStyles, buttonStyles, dialogStyles } from './styles.js';

export class CrowdModal extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    dialogStyles,
    css`
      :host {
        display: inline-block;
      }
      .dialog-head {
        justify-content: flex-end;
      }
    `,
  ];

  @property({ attribute: 'link-text' }) linkText = 'Click to open modal';
  @property({ attribute: 'link-type' }) linkType: 'link' | 'button' = 'link';
  @property({ type: Boolean, reflect: true }) open = false;

  @query('dialog') private dialog!: HTMLDialogElement | null;

  show(): void {
    this.open = true;
  }

  close(): void {
    this.open = false;
  }

  protected override updated(): void {
    const dialog = this.dialog;
    if (!dialog) return;
    if (this.open && !dialog.open) dialog.showModal();
    else if (!this.open && dialog.open) dialog.close();
  }

  protected override render() {
    return html`
      <button type="button" class="button ${this.linkType === 'button' ? '' : 'link'}" part="link" @click=${() => this.show()}>${this.linkText}</button>
      <dialog part="dialog" aria-label=${this.linkText} @close=${() => (this.open = false)}>
        <div class="dialog-head"><button type="button" class="button" @click=${() => this.close()}>Close</button></div>
        <div class="dialog-body"><slot></slot></div>
      </dialog>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-modal': CrowdModal;
  }
}
