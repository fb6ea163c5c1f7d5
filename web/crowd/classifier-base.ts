/**
 * What the four classifiers share: a header, the item to classify, a side panel with
 * `short-instructions` and a "View full instructions" dialog for `full-instructions`, and the
 * category choice. One-of-N (crowd-classifier, crowd-image-classifier) is rendered as native
 * radios in a radiogroup and answers `{ "<name>": { "label": "<category>" } }`; the multi-select
 * variants render native checkboxes in a group and answer `{ "<name>": { "labels": [...] } }`,
 * labels in the order of `categories` (UNCONFIRMED; Tandem's choice). Their exclusion category
 * ("none of these") clears and disables the other choices and is answered as the only label
 * (UNCONFIRMED; the Rekognition element documents `[]` instead, which would be indistinguishable
 * from an unanswered task). Submitting without a choice is blocked (believed AWS behaviour for
 * the single choice, documented for the multi-select image classifier: "A worker must choose at
 * least one category").
 *
 * Shadow-DOM hooks some public templates reach for (spec "Runtime API surface"): the open shadow
 * root has `.annotation-area`, `.category-picker-wrapper`, `.awsui-app-layout__navigation` and
 * `.awsui-modal-dialog`; AWS's pixel layout is not reproduced.
 */
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import type { AnswerEntry, JsonValue } from './answer.js';
import { CrowdField } from './field.js';
import { displayText, parseLooseLiteral, parseStringList, type LooseValue } from './literal.js';
import { regionElement, slotRegionChildren } from './regions.js';
import { baseStyles, buttonStyles, dialogStyles } from './styles.js';

const categoryListConverter = { fromAttribute: (value: string | null): string[] => parseStringList(value) };
const exclusionConverter = {
  fromAttribute(value: string | null): string | null {
    if (value == null || value.trim() === '') return null;
    try {
      return displayText(parseLooseLiteral(value)) ?? null;
    } catch {
      return value.trim();
    }
  },
};

export const CLASSIFIER_REGIONS: ReadonlySet<string> = new Set([
  'classification-target',
  'short-instructions',
  'full-instructions',
]);

export abstract class ClassifierBase extends CrowdField {
  // Clicking the item or the instructions must not jump focus to the first button.
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions };

  static override styles = [
    baseStyles,
    buttonStyles,
    dialogStyles,
    css`
      :host {
        display: block;
        margin: 0.5rem 0;
      }
      .header {
        font-size: 1.15rem;
        margin: 0 0 0.75rem;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(10rem, 16rem) minmax(0, 1fr) minmax(10rem, 16rem);
        gap: 1rem;
        align-items: start;
      }
      .layout.no-instructions {
        grid-template-columns: minmax(0, 1fr) minmax(10rem, 16rem);
      }
      @media (max-width: 48rem) {
        .layout,
        .layout.no-instructions {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .instructions {
        background: var(--tandem-subtle, #f4f5f7);
        border-radius: var(--tandem-radius, 6px);
        padding: 0.75rem;
      }
      .instructions h3 {
        font-size: 0.95rem;
        margin: 0 0 0.5rem;
      }
      .target {
        min-width: 0;
      }
      .category-picker-wrapper {
        border: 1px solid var(--tandem-border, #b6bcc4);
        border-radius: var(--tandem-radius, 6px);
        padding: 0.5rem;
      }
      .categories-title {
        font-weight: 600;
        margin: 0.25rem 0.25rem 0.5rem;
      }
      .category {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        padding: 0.4rem 0.5rem;
        border-radius: 4px;
        cursor: pointer;
      }
      /* The number key that chooses this option (workspace-bridge.ts). */
      .shortcut {
        margin-left: auto;
        min-width: 1.4em;
        text-align: center;
        border: 1px solid #aab7c4;
        border-bottom-width: 2px;
        border-radius: 4px;
        font: 0.8em/1.4 ui-monospace, monospace;
        color: #414d5c;
      }
      .category:hover {
        background: var(--tandem-subtle, #f4f5f7);
      }
      .category input {
        margin: 0;
        width: 1.05rem;
        height: 1.05rem;
        accent-color: var(--tandem-accent, #0b5cc4);
      }
      .category:has(input:checked) {
        background: color-mix(in srgb, var(--tandem-accent, #0b5cc4) 12%, transparent);
        font-weight: 600;
      }
      .category:has(input:disabled) {
        cursor: default;
        opacity: 0.55;
      }
      [aria-invalid='true'] {
        outline: 2px solid var(--tandem-danger, #b42318);
        outline-offset: 2px;
        border-radius: 4px;
      }
    `,
  ];

  /** The choices, from a JSON or JS-literal array attribute, or set as an array from script. */
  @property({ converter: categoryListConverter }) categories: string[] = [];
  @property() header = '';
  /** An extra "none of these" choice, e.g. `{ text: 'None of the above' }`; answered like any other. */
  @property({ attribute: 'exclusion-category', converter: exclusionConverter }) exclusionCategory: string | null = null;

  @state() private fullInstructions: Element | undefined;
  @state() private shortInstructions: Element | undefined;
  /** The chosen categories (at most one unless {@link multiSelect}), in the order chosen. */
  private selected: string[] = [];

  /** Multi-select variants choose any number of categories. */
  protected get multiSelect(): boolean {
    return false;
  }

  /**
   * Single choice: the chosen category, or `null`. Multi-select: the chosen categories in the
   * order of `categories`. Setting it chooses programmatically (no `change` event).
   */
  @property({ noAccessor: true })
  get value(): string | null | string[] {
    return this.multiSelect ? this.orderedSelection() : (this.selected[0] ?? null);
  }
  set value(next: string | null | undefined | readonly string[]) {
    const old = this.value;
    const list = Array.isArray(next) ? next.map(String) : next == null || next === '' ? [] : [String(next)];
    this.selected = this.multiSelect ? [...new Set(list)] : list.slice(0, 1);
    this.requestUpdate('value', old);
  }

  private orderedSelection(): string[] {
    const choices = this.choices;
    const known = choices.filter((c) => this.selected.includes(c));
    return [...known, ...this.selected.filter((c) => !choices.includes(c))];
  }

  /** The choices as rendered: `categories` (array or literal text) plus the exclusion category. */
  protected get choices(): string[] {
    const raw: unknown = this.categories;
    const list =
      typeof raw === 'string'
        ? parseStringList(raw)
        : Array.isArray(raw)
          ? raw.flatMap((item: LooseValue) => displayText(item) ?? [])
          : [];
    if (this.exclusionCategory !== null && !list.includes(this.exclusionCategory)) list.push(this.exclusionCategory);
    return list;
  }

  answerEntries(): AnswerEntry[] {
    if (this.selected.length === 0) return [];
    const choice: { [key: string]: JsonValue } = this.multiSelect ? { labels: this.orderedSelection() } : { label: this.selected[0]! };
    return [{ kind: 'value', name: this.name, value: { ...choice, ...this.extraAnswer() } }];
  }

  /** Further members of the answer object besides `label` (image classifier: `workerComment`). */
  protected extraAnswer(): { [key: string]: JsonValue } {
    return {};
  }

  get validationMessage(): string {
    if (this.disabled || this.selected.length > 0) return '';
    return this.multiSelect ? 'Please choose at least one category.' : 'Please choose a category.';
  }

  resetValue(): void {
    this.value = null;
    this.clearValidationMessage();
  }

  override focusControl(): void {
    const inputs = [...this.renderRoot.querySelectorAll<HTMLInputElement>('.category input')];
    (inputs.find((r) => r.checked) ?? inputs[0])?.focus();
  }

  /** Opens the `full-instructions` dialog. */
  showFullInstructions(): void {
    this.renderRoot.querySelector<HTMLDialogElement>('dialog')?.showModal();
  }

  /** The item being classified. */
  protected abstract renderTarget(): TemplateResult;

  /** Anything shown under the category list. */
  protected renderAfterCategories(): TemplateResult | typeof nothing {
    return nothing;
  }

  /** Region tag names this element slots, beyond the instructions. */
  protected get regionNames(): ReadonlySet<string> {
    return CLASSIFIER_REGIONS;
  }

  private choose(category: string, checked: boolean): void {
    if (!this.multiSelect) {
      if (this.selected[0] === category) return;
      this.value = category;
    } else if (category === this.exclusionCategory) {
      this.value = checked ? [category] : [];
    } else {
      this.value = checked ? [...this.selected, category] : this.selected.filter((c) => c !== category);
    }
    this.revalidate();
    this.emitChange();
  }

  /** Toggles (multi-select) or chooses (single) the category at `index`; false when there is none. */
  chooseIndex(index: number): boolean {
    const input = this.renderRoot.querySelectorAll<HTMLInputElement>('.category input')[index];
    if (!input || input.disabled) return false;
    input.click();
    input.focus();
    return true;
  }

  private closeFullInstructions(): void {
    this.renderRoot.querySelector<HTMLDialogElement>('dialog')?.close();
  }

  protected override render() {
    const invalid = this.errorText !== '';
    const hasInstructions = this.shortInstructions !== undefined || this.fullInstructions !== undefined;
    const fullTitle = this.fullInstructions?.getAttribute('header') || 'Instructions';
    const excluded = this.multiSelect && this.exclusionCategory !== null && this.selected.includes(this.exclusionCategory);
    return html`
      <div class="annotation-area" part="annotation-area">
        ${this.header ? html`<h2 class="header" id="header" part="header">${this.header}</h2>` : nothing}
        <div class="layout ${hasInstructions ? '' : 'no-instructions'}">
          <aside
            class="instructions awsui-app-layout__navigation"
            part="instructions"
            aria-label="Instructions"
            ?hidden=${!hasInstructions}
          >
            ${this.shortInstructions?.getAttribute('header')
              ? html`<h3>${this.shortInstructions.getAttribute('header')}</h3>`
              : nothing}
            <slot name="short-instructions" @slotchange=${(e: Event) => (this.shortInstructions = regionElement(e))}></slot>
            ${this.fullInstructions
              ? html`<button type="button" class="button link" @click=${this.showFullInstructions}>
                  View full instructions
                </button>`
              : nothing}
          </aside>
          <div class="target" part="target">
            ${this.renderTarget()}
            <slot name="classification-target"></slot>
            <slot @slotchange=${(e: Event) => slotRegionChildren(e, this.regionNames)}></slot>
          </div>
          <div class="category-picker-wrapper" part="categories">
            <div class="categories-title" id="categories-title">${this.multiSelect ? 'Select all that apply' : 'Select an option'}</div>
            <div
              role=${this.multiSelect ? 'group' : 'radiogroup'}
              aria-labelledby=${this.header ? 'header' : 'categories-title'}
              aria-invalid=${invalid ? 'true' : 'false'}
              aria-describedby=${ifDefined(invalid ? 'error' : undefined)}
            >
              ${this.choices.map(
                (category, index) => html`<label class="category" part="category">
                  <input
                    type=${this.multiSelect ? 'checkbox' : 'radio'}
                    name="category"
                    .value=${category}
                    .checked=${live(this.selected.includes(category))}
                    ?disabled=${this.disabled || (excluded && category !== this.exclusionCategory)}
                    @change=${(e: Event) => this.choose(category, (e.target as HTMLInputElement).checked)}
                  />
                  <span>${category}</span>
                  ${index < 9 ? html`<kbd class="shortcut" part="shortcut" aria-hidden="true" title="Key ${index + 1}">${index + 1}</kbd>` : nothing}
                </label>`,
              )}
            </div>
            <div class="error" id="error" part="error" role="alert">${this.errorText}</div>
            ${this.renderAfterCategories()}
          </div>
        </div>
        <dialog class="awsui-modal-dialog" aria-labelledby="full-title" part="full-instructions">
          <div class="dialog-head">
            <h2 id="full-title">${fullTitle}</h2>
            <button type="button" class="button" @click=${this.closeFullInstructions}>Close</button>
          </div>
          <div class="dialog-body">
            <slot name="full-instructions" @slotchange=${(e: Event) => (this.fullInstructions = regionElement(e))}></slot>
          </div>
        </dialog>
      </div>
    `;
  }
}
