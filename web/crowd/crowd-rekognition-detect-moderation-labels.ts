/**
 * `<crowd-rekognition-detect-moderation-labels src="…" categories="[{name: 'Gore', parentName: 'Violence'}]"
 * exclusion-category="{ text: 'None of the above' }" header="…">`, the A2I element for reviewing
 * a Rekognition DetectModerationLabels result: the image, and one checkbox per candidate label
 * that the reviewer ticks when the label applies (the element's doc and spec C).
 *
 * Answer, under the fixed key (the element has no `name`):
 * `{ "AWS/Rekognition/DetectModerationLabels/Image/V3": { "moderationLabels": [...] } }`, only the
 * confirmed labels (A2I output-data doc: only positive responses); objects given as categories
 * come back whole, strings as strings. The exclusion category clears and disables every label and
 * answers an empty list. The output-data page's `moderationLabels` spelling is used (the element
 * page prints `ModerationLabels`; UNCONFIRMED which AWS writes).
 */
import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { AnswerEntry, JsonValue } from './answer.js';
import { CrowdField } from './field.js';
import { displayText, parseLooseLiteral, type LooseValue } from './literal.js';
import { regionElement, slotRegionChildren } from './regions.js';
import { baseStyles, buttonStyles } from './styles.js';

export const MODERATION_ANSWER_KEY = 'AWS/Rekognition/DetectModerationLabels/Image/V3';
const REGIONS: ReadonlySet<string> = new Set(['short-instructions', 'full-instructions']);

/** `categories`: a literal array of strings or of objects with `name`; anything else is no category. */
const categoriesConverter = {
  fromAttribute(value: string | null): LooseValue[] {
    if (value == null || value.trim() === '') return [];
    try {
      const parsed = parseLooseLiteral(value);
      return Array.isArray(parsed) ? parsed.filter((item) => item !== undefined) : [parsed];
    } catch {
      return [value.trim()];
    }
  },
};
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

export class CrowdRekognitionDetectModerationLabels extends CrowdField {
  static override styles = [
    baseStyles,
    buttonStyles,
    css`
      :host {
        display: block;
        margin: 0.5rem 0;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(12rem, 18rem);
        gap: 1rem;
        align-items: start;
      }
      @media (max-width: 48rem) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .image {
        display: block;
        max-width: 100%;
        height: auto;
        border-radius: var(--tandem-radius, 6px);
      }
      fieldset {
        border: 1px solid var(--tandem-border, #b6bcc4);
        border-radius: var(--tandem-radius, 6px);
        margin: 0;
        padding: 0.5rem;
      }
      legend {
        font-weight: 600;
        padding: 0 0.25rem;
      }
      .label {
        display: flex;
        gap: 0.5rem;
        align-items: center;
        padding: 0.35rem 0.25rem;
      }
      .parent {
        color: #5f6b7a;
        font-size: 0.85em;
      }
      .exclusion {
        margin-top: 0.5rem;
      }
    `,
  ];

  @property() header = '';
  /** URL of the image under review. */
  @property() src = '';
  /** The candidate labels: strings, or objects shown by their `name` and answered whole. */
  @property({ converter: categoriesConverter }) categories: LooseValue[] = [];
  @property({ attribute: 'exclusion-category', converter: exclusionConverter }) exclusionCategory: string | null = null;

  @state() private confirmed = new Set<number>();
  @state() private excluded = false;
  @state() private fullInstructions: Element | undefined;

  constructor() {
    super();
    this.name = MODERATION_ANSWER_KEY;
  }

  /** The confirmed labels, as the answer carries them. */
  get value(): { moderationLabels: JsonValue[] } {
    const labels = this.excluded ? [] : this.items().filter((_, index) => this.confirmed.has(index));
    return { moderationLabels: labels.map(toJson) };
  }

  answerEntries(): AnswerEntry[] {
    return [{ kind: 'value', name: MODERATION_ANSWER_KEY, value: this.value }];
  }

  get validationMessage(): string {
    return '';
  }

  resetValue(): void {
    this.confirmed = new Set();
    this.excluded = false;
  }

  private items(): LooseValue[] {
    const raw: unknown = this.categories;
    if (typeof raw === 'string') return categoriesConverter.fromAttribute(raw);
    return Array.isArray(raw) ? (raw as LooseValue[]) : [];
  }

  private toggle(index: number, checked: boolean): void {
    const next = new Set(this.confirmed);
    if (checked) next.add(index);
    else next.delete(index);
    this.confirmed = next;
    this.emitChange();
  }

  private toggleExclusion(): void {
    this.excluded = !this.excluded;
    if (this.excluded) this.confirmed = new Set();
    this.emitChange();
  }

  protected override render() {
    const items = this.items();
    return html`
      ${this.header ? html`<h2 class="header" part="header">${this.header}</h2>` : nothing}
      <slot name="short-instructions"></slot>
      <details part="full-instructions" ?hidden=${!this.fullInstructions}>
        <summary>${this.fullInstructions?.getAttribute('header') || 'Full instructions'}</summary>
        <slot name="full-instructions" @slotchange=${(e: Event) => (this.fullInstructions = regionElement(e))}></slot>
      </details>
      <slot @slotchange=${(e: Event) => slotRegionChildren(e, REGIONS)}></slot>
      <div class="layout">
        <div>${this.src ? html`<img class="image" part="image" src=${this.src} alt=${this.header || 'Image under review'} />` : nothing}</div>
        <fieldset part="labels" ?disabled=${this.disabled}>
          <legend>Select the labels that apply</legend>
          ${items.map((item, index) => {
            const parent = parentNameOf(item);
            return html`<label class="label" part="label">
              <input
                type="checkbox"
                .checked=${live(!this.excluded && this.confirmed.has(index))}
                ?disabled=${this.excluded}
                @change=${(e: Event) => this.toggle(index, (e.target as HTMLInputElement).checked)}
              />
              <span>${displayText(item) ?? ''}</span>
              ${parent ? html`<span class="parent">(${parent})</span>` : nothing}
            </label>`;
          })}
          ${this.exclusionCategory !== null
            ? html`<button type="button" class="button exclusion" aria-pressed=${this.excluded ? 'true' : 'false'} @click=${this.toggleExclusion}>
                ${this.exclusionCategory}
              </button>`
            : nothing}
        </fieldset>
      </div>
    `;
  }
}

function parentNameOf(item: LooseValue): string | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const parent = item.parentName ?? item.ParentName;
  return typeof parent === 'string' && parent !== '' ? parent : undefined;
}

/** The category as JSON: `undefined` members dropped (a literal may hold them; JSON cannot). */
function toJson(value: LooseValue): JsonValue {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(toJson);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = toJson(member);
    return out;
  }
  return value === undefined ? null : value;
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-rekognition-detect-moderation-labels': CrowdRekognitionDetectModerationLabels;
  }
}
