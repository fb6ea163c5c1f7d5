/**
 * `<crowd-tabs><crowd-tab header="First">…</crowd-tab><crowd-tab header="Second">…</crowd-tab></crowd-tabs>`:
 * one tab's content shows at a time, chosen from a tab list (WAI-ARIA tabs: click, ←/→, Home,
 * End). Fields inside hidden tabs stay in the form and are submitted (*choice*); a failed
 * submit shows the tab holding the first invalid field. Neither element
 * contributes to the answer. `selected` on crowd-tabs (index, default 0) picks the tab shown first.
 */
import { css, html, LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import { REVEAL_EVENT } from './crowd-form.js';
import { baseStyles } from './styles.js';
import { tabKeyTarget, tabListStyles } from './tab-list.js';

let nextId = 1;

export class CrowdTab extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        display: block;
        padding: 0.75rem 0.25rem;
      }
    `,
  ];

  @property() header = '';

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.id) this.id = `tandem-tab-${nextId++}`;
    this.setAttribute('role', 'tabpanel');
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
  }

  protected override updated(): void {
    // The tab list lives in crowd-tabs' shadow root; it re-reads the headers.
    this.dispatchEvent(new Event('tandem-tab-change', { bubbles: true }));
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}

export class CrowdTabs extends LitElement {
  static override styles = [
    baseStyles,
    tabListStyles,
    css`
      :host {
        display: block;
        margin: 0.5rem 0;
      }
      [role='tablist'] {
        flex-wrap: wrap;
      }
      [role='tab'] {
        padding: 0.55rem 0.9rem;
      }
    `,
  ];

  @property({ type: Number }) selected = 0;
  @state() private tabs: CrowdTab[] = [];

  constructor() {
    super();
    this.addEventListener('tandem-tab-change', () => this.readTabs());
    // An invalid field in a hidden tab: show that tab at once, so the field can take focus.
    this.addEventListener(REVEAL_EVENT, (event) => {
      const index = this.tabs.findIndex((tab) => tab.contains(event.target as Node));
      if (index < 0 || index === this.selected) return;
      this.select(index);
      this.tabs.forEach((tab, i) => (tab.hidden = i !== index));
    });
  }

  private readTabs(): void {
    this.tabs = [...this.children].filter((c): c is CrowdTab => c instanceof CrowdTab);
    this.requestUpdate();
  }

  /** Shows tab `index` (and moves focus to its tab when `focus`). */
  select(index: number, focus = false): void {
    if (this.tabs.length === 0) return;
    this.selected = (index + this.tabs.length) % this.tabs.length;
    this.dispatchEvent(new Event('change', { bubbles: true }));
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-selected="true"]')?.focus());
  }

  private onKey(event: KeyboardEvent): void {
    const to = tabKeyTarget(event.key, this.selected, this.tabs.length);
    if (to === undefined) return;
    event.preventDefault();
    this.select(to, true);
  }

  protected override updated(): void {
    this.tabs.forEach((tab, i) => {
      tab.hidden = i !== this.selected;
      tab.setAttribute('aria-label', tab.header || `Tab ${i + 1}`);
    });
  }

  protected override render() {
    return html`
      <div role="tablist" part="tabs" @keydown=${this.onKey}>
        ${this.tabs.map(
          (tab, i) => html`<button
            type="button"
            role="tab"
            part="tab"
            aria-selected=${i === this.selected ? 'true' : 'false'}
            tabindex=${i === this.selected ? '0' : '-1'}
            @click=${() => this.select(i)}
          >
            ${tab.header || `Tab ${i + 1}`}
          </button>`,
        )}
      </div>
      <slot @slotchange=${() => this.readTabs()}></slot>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-tab': CrowdTab;
    'crowd-tabs': CrowdTabs;
  }
}
