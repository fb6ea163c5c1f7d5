/**
 * `<crowd-textract-analyze-document src="…" initial-value="{{ task.input.selectedAiServiceResponse.blocks }}"
 * keys="{{ task.input.humanLoopContext.importantFormKeys }}" block-types="['KEY_VALUE_SET']"
 * no-key-edit no-geometry-edit header="…">`, the A2I element for reviewing Textract
 * AnalyzeDocument FORMS results: the page image with each key-value pair's boxes drawn, and the
 * pairs of the page, where the reviewer corrects values (and keys, unless `no-key-edit`), marks
 * pairs not relevant, adds missing pairs (important keys that were not found are offered first),
 * and moves between the pages of a multi-page document.
 *
 * Answer, under the fixed key (the element has no `name`):
 * `{ "AWS/Textract/AnalyzeDocument/Forms/V1": { "blocks": [...] } }`, see textract-pairs.ts.
 * Geometry is never edited here, so `no-geometry-edit` is always in effect.
 */
import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { AnswerEntry, JsonValue } from './answer.js';
import { CrowdField } from './field.js';
import { parseLooseLiteral, type LooseValue } from './literal.js';
import { regionElement, slotRegionChildren } from './regions.js';
import { baseStyles, buttonStyles, textControlStyles } from './styles.js';
import {
  answerBlocks,
  importantKeysOf,
  missingImportantKeys,
  newBlockId,
  pairsFromBlocks,
  type Box,
  type ImportantKey,
  type KeyValuePair,
} from './textract-pairs.js';

export const TEXTRACT_ANSWER_KEY = 'AWS/Textract/AnalyzeDocument/Forms/V1';
const REGIONS: ReadonlySet<string> = new Set(['short-instructions', 'full-instructions']);

const literalConverter = {
  fromAttribute(value: string | null): LooseValue {
    if (value == null || value.trim() === '') return undefined;
    try {
      return parseLooseLiteral(value);
    } catch {
      return undefined;
    }
  },
};

export class CrowdTextractAnalyzeDocument extends CrowdField {
  static override styles = [
    baseStyles,
    buttonStyles,
    textControlStyles,
    css`
      :host {
        display: block;
        margin: 0.5rem 0;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(18rem, 26rem);
        gap: 1rem;
        align-items: start;
      }
      @media (max-width: 56rem) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .page {
        position: relative;
        display: inline-block;
        max-width: 100%;
      }
      .page {
        width: 100%;
      }
      .page img {
        display: block;
        width: 100%;
        height: auto;
      }
      .box {
        position: absolute;
        box-sizing: border-box;
        border: 2px solid #0b5cc4;
        pointer-events: none;
      }
      .box.value {
        border-color: #1d8102;
      }
      .box.active {
        background: color-mix(in srgb, #f2c94c 35%, transparent);
      }
      .pager {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        margin-bottom: 0.5rem;
      }
      .pair {
        border: 1px solid var(--tandem-border, #b6bcc4);
        border-radius: var(--tandem-radius, 6px);
        padding: 0.5rem;
        margin-bottom: 0.5rem;
      }
      .pair.irrelevant {
        opacity: 0.6;
      }
      .pair label {
        display: block;
        font-size: 0.85em;
        margin-top: 0.25rem;
      }
      .pair .row {
        display: flex;
        gap: 0.75rem;
        align-items: center;
        margin-top: 0.35rem;
      }
      .missing {
        margin: 0.5rem 0;
      }
      .error {
        color: var(--tandem-danger, #b42318);
      }
    `,
  ];

  @property() header = '';
  /** URL of the page image. */
  @property() src = '';
  /** The blocks under review (camelCase, as `selectedAiServiceResponse.blocks`). */
  @property({ attribute: 'initial-value', converter: literalConverter }) initialValue: LooseValue = undefined;
  /** The doc's camelCase spelling, which HTML lower-cases. */
  @property({ attribute: 'initialvalue', converter: literalConverter }) private initialValueAttribute: LooseValue = undefined;
  /** Important form keys: `[{importantFormKey, importantFormKeyAliases}]`. */
  @property({ converter: literalConverter }) keys: LooseValue = undefined;
  /** Only KEY_VALUE_SET exists; accepted for templates that name it. */
  @property({ attribute: 'block-types' }) blockTypes = '';
  /** Keys of the machine's pairs stay as read; only added pairs get an editable key. */
  @property({ attribute: 'no-key-edit', type: Boolean }) noKeyEdit = false;
  @property({ attribute: 'no-geometry-edit', type: Boolean }) noGeometryEdit = false;

  @state() private pairs: KeyValuePair[] = [];
  @state() private page = 1;
  @state() private active: string | undefined;
  @state() private fullInstructions: Element | undefined;

  constructor() {
    super();
    this.name = TEXTRACT_ANSWER_KEY;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('initialValue') || changed.has('initialValueAttribute')) {
      this.pairs = pairsFromBlocks(this.initialValue ?? this.initialValueAttribute);
      this.page = 1;
    }
  }

  /** What the answer carries: `{ blocks: [...] }`. */
  get value(): { blocks: JsonValue[] } {
    return { blocks: answerBlocks(this.pairs) };
  }

  answerEntries(): AnswerEntry[] {
    return [{ kind: 'value', name: TEXTRACT_ANSWER_KEY, value: this.value }];
  }

  get validationMessage(): string {
    return this.pairs.some((p) => p.added && !p.irrelevant && p.keyText.trim() === '')
      ? 'Enter the key of every pair you added, or remove the pair.'
      : '';
  }

  resetValue(): void {
    this.pairs = pairsFromBlocks(this.initialValue ?? this.initialValueAttribute);
    this.page = 1;
  }

  private get pageCount(): number {
    return Math.max(1, ...this.pairs.map((p) => p.page));
  }

  private importantKeys(): ImportantKey[] {
    return importantKeysOf(this.keys);
  }

  private edit(index: number, change: Partial<KeyValuePair>): void {
    this.pairs = this.pairs.map((pair, i) => (i === index ? { ...pair, ...change } : pair));
    this.revalidate();
    this.emitChange();
  }

  private addPair(keyText = ''): void {
    const pair: KeyValuePair = {
      keyId: newBlockId(),
      valueId: newBlockId(),
      keyText,
      valueText: '',
      keyWordIds: [],
      valueWordIds: [],
      page: this.page,
      keyBox: undefined,
      valueBox: undefined,
      added: true,
      irrelevant: false,
    };
    this.pairs = [...this.pairs, pair];
    this.emitChange();
    void this.updateComplete.then(() => {
      const inputs = this.renderRoot.querySelectorAll<HTMLInputElement>('.pair.added input[type=text]');
      const last = [...inputs].filter((input) => input.dataset.role === (keyText ? 'value' : 'key')).pop();
      last?.focus();
    });
  }

  private removePair(index: number): void {
    this.pairs = this.pairs.filter((_, i) => i !== index);
    this.revalidate();
    this.emitChange();
  }

  private renderBoxes() {
    const boxes = this.pairs
      .filter((pair) => pair.page === this.page && !pair.irrelevant)
      .flatMap((pair) => [
        pair.keyBox && { box: pair.keyBox, kind: 'key', id: pair.keyId },
        pair.valueBox && { box: pair.valueBox, kind: 'value', id: pair.keyId },
      ])
      .filter((entry): entry is { box: Box; kind: string; id: string } => Boolean(entry));
    return boxes.map(
      ({ box, kind, id }) =>
        html`<div
          class="box ${kind} ${this.active === id ? 'active' : ''}"
          part="box"
          style=${styleMap({ left: `${box.left * 100}%`, top: `${box.top * 100}%`, width: `${box.width * 100}%`, height: `${box.height * 100}%` })}
        ></div>`,
    );
  }

  private renderPair(pair: KeyValuePair, index: number) {
    const keyEditable = pair.added || !this.noKeyEdit;
    const keyLabel = pair.keyText.trim() || 'new key';
    return html`<div
      class="pair ${pair.irrelevant ? 'irrelevant' : ''} ${pair.added ? 'added' : ''}"
      part="pair"
      role="group"
      aria-label=${`Pair: ${keyLabel}`}
      @focusin=${() => (this.active = pair.keyId)}
    >
      <label>Key
        <input
          type="text"
          data-role="key"
          .value=${live(pair.keyText)}
          ?readonly=${!keyEditable}
          aria-label=${`Key ${keyLabel}`}
          @input=${(e: Event) => this.edit(index, { keyText: (e.target as HTMLInputElement).value })}
        />
      </label>
      <label>Value
        <input
          type="text"
          data-role="value"
          .value=${live(pair.valueText)}
          ?disabled=${pair.irrelevant}
          aria-label=${`Value of ${keyLabel}`}
          @input=${(e: Event) => this.edit(index, { valueText: (e.target as HTMLInputElement).value })}
        />
      </label>
      <div class="row">
        ${pair.added
          ? html`<button type="button" class="button link" @click=${() => this.removePair(index)}>Remove pair</button>`
          : html`<label><input
                type="checkbox"
                .checked=${live(pair.irrelevant)}
                @change=${(e: Event) => this.edit(index, { irrelevant: (e.target as HTMLInputElement).checked })}
              />
              Not relevant</label>`}
      </div>
    </div>`;
  }

  protected override render() {
    const missing = missingImportantKeys(this.importantKeys(), this.pairs);
    const pageCount = this.pageCount;
    return html`
      ${this.header ? html`<h2 class="header" part="header">${this.header}</h2>` : nothing}
      <slot name="short-instructions"></slot>
      <details part="full-instructions" ?hidden=${!this.fullInstructions}>
        <summary>${this.fullInstructions?.getAttribute('header') || 'Full instructions'}</summary>
        <slot name="full-instructions" @slotchange=${(e: Event) => (this.fullInstructions = regionElement(e))}></slot>
      </details>
      <slot @slotchange=${(e: Event) => slotRegionChildren(e, REGIONS)}></slot>
      <div class="layout">
        <div class="page" part="document">
          ${this.src ? html`<img src=${this.src} alt=${`Document page ${this.page}`} />` : nothing}
          ${this.renderBoxes()}
        </div>
        <div part="pairs">
          ${pageCount > 1
            ? html`<nav class="pager" aria-label="Pages">
                <button type="button" class="button" ?disabled=${this.page <= 1} @click=${() => (this.page -= 1)}>Previous page</button>
                <span aria-live="polite">Page ${this.page} of ${pageCount}</span>
                <button type="button" class="button" ?disabled=${this.page >= pageCount} @click=${() => (this.page += 1)}>Next page</button>
              </nav>`
            : nothing}
          ${this.pairs.map((pair, index) => (pair.page === this.page ? this.renderPair(pair, index) : nothing))}
          ${missing.map(
            (key) => html`<div class="missing" part="missing-key">
              Key not found: <strong>${key.key}</strong>
              <button type="button" class="button" @click=${() => this.addPair(key.key)}>Add "${key.key}"</button>
            </div>`,
          )}
          <button type="button" class="button" @click=${() => this.addPair()}>Add a key-value pair</button>
          <div class="error" role="alert" part="error">${this.errorText}</div>
        </div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-textract-analyze-document': CrowdTextractAnalyzeDocument;
  }
}
