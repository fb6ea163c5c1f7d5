/**
 * `<crowd-instructions link-text="…" link-type="link|button">` with regions `<short-summary>`,
 * `<detailed-instructions>`, `<positive-example>` and `<negative-example>` (both may repeat).
 * A link-styled (or plain) button opens a modal dialog with three tabs — Summary, Detailed
 * Instructions, Examples — following the WAI-ARIA tabs pattern (arrow keys, Home, End).
 * Contributes nothing to the answer.
 */
import { css, html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { slotRegionChildren } from './regions.js';
import { baseStyles, buttonStyles, dialogStyles } from './styles.js';
import { tabKeyTarget, tabListStyles } from './tab-list.js';

const REGIONS: ReadonlySet<string> = new Set(['short-summary', 'detailed-instructions', 'positive-example', 'negative-example']);
const TABS = ['Summary', 'Detailed Instructions', 'Examples'] as const;

export class CrowdInstructions extends LitElement {
  static override styles = [
    baseStyles,
    buttonStyles,
    dialogStyles,
    tabListStyles,
    css`
      :host {
        display: block;
        margin: 0.5rem 0;
      }
      [role='tablist'] {
        padding: 0 1rem;
      }
      [role='tab'] {
        padding: 0.6rem 0.75rem;
      }
      .examples h3 {
        font-size: 1rem;
        margin: 0.5rem 0;
      }
      .examples section + section {
        margin-top: 1rem;
      }
    `,
  ];

  @property({ attribute: 'link-text' }) linkText = 'Click for instructions';
  @property({ attribute: 'link-type' }) linkType: 'link' | 'button' = 'link';

  @state() private selectedTab = 0;
  @state() private hasPositive = false;
  @state() private hasNegative = false;

  /** Opens the instructions dialog (on the Summary tab the first time). */
  open(): void {
    this.renderRoot.querySelector('dialog')?.showModal();
  }

  close(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  private selectTab(index: number, moveFocus: boolean): void {
    this.selectedTab = (index + TABS.length) % TABS.length;
    if (moveFocus) {
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>(`#tab-${this.selectedTab}`)?.focus(),
      );
    }
  }

  private onTabKeyDown(event: KeyboardEvent): void {
    const target = tabKeyTarget(event.key, this.selectedTab, TABS.length);
    if (target === undefined) return;
    event.preventDefault();
    this.selectTab(target, true);
  }

  private panel(index: number, content: unknown) {
    return html`<div
      role="tabpanel"
      id="panel-${index}"
      aria-labelledby="tab-${index}"
      tabindex="0"
      ?hidden=${this.selectedTab !== index}
    >
      ${content}
    </div>`;
  }

  protected override render() {
    const hasSlotted = (e: Event) => (e.target as HTMLSlotElement).assignedNodes().length > 0;
    return html`
      <button
        type="button"
        class="button ${this.linkType === 'button' ? '' : 'link'}"
        part="opener"
        aria-haspopup="dialog"
        @click=${this.open}
      >
        ${this.linkText}
      </button>
      <slot hidden @slotchange=${(e: Event) => slotRegionChildren(e, REGIONS)}></slot>
      <dialog aria-labelledby="title" part="dialog">
        <div class="dialog-head">
          <h2 id="title">Instructions</h2>
          <button type="button" class="button" @click=${this.close}>Close</button>
        </div>
        <div role="tablist" aria-label="Instructions" @keydown=${this.onTabKeyDown}>
          ${TABS.map(
            (label, i) => html`<button
              type="button"
              role="tab"
              id="tab-${i}"
              aria-selected=${this.selectedTab === i ? 'true' : 'false'}
              aria-controls="panel-${i}"
              tabindex=${this.selectedTab === i ? '0' : '-1'}
              @click=${() => this.selectTab(i, false)}
            >
              ${label}
            </button>`,
          )}
        </div>
        <div class="dialog-body">
          ${this.panel(0, html`<slot name="short-summary"></slot>`)}
          ${this.panel(1, html`<slot name="detailed-instructions"></slot>`)}
          ${this.panel(
            2,
            html`<div class="examples">
              <section ?hidden=${!this.hasPositive}>
                <h3>Good examples</h3>
                <slot name="positive-example" @slotchange=${(e: Event) => (this.hasPositive = hasSlotted(e))}></slot>
              </section>
              <section ?hidden=${!this.hasNegative}>
                <h3>Bad examples</h3>
                <slot name="negative-example" @slotchange=${(e: Event) => (this.hasNegative = hasSlotted(e))}></slot>
              </section>
              ${this.hasPositive || this.hasNegative ? nothing : html`<p>No examples.</p>`}
            </div>`,
          )}
        </div>
      </dialog>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-instructions': CrowdInstructions;
  }
}
