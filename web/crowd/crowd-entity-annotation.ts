/**
 * `<crowd-entity-annotation name="entities" header="…" text="…" labels="[{ label: 'person',
 * shortDisplayName: 'per', fullDisplayName: 'Person' }]" initial-value="[{ label, startOffset,
 * endOffset }]">` with regions `short-instructions` and `full-instructions`.
 *
 * The worker drags across words (or moves a caret with the arrow keys, Shift extends, Enter
 * labels) to label a span with the current label; a span over labelled text replaces it.
 * Answer: `{ "<name>": { "entities": [{ "endOffset", "label", "startOffset" }] } }` in document
 * order, offsets as entity/spans.ts describes.
 *
 * Used on its own (as the reference says), it brings its own crowd-form and Submit button in its
 * shadow root (`.shadowRoot.querySelector('crowd-form').form` works as templates expect); inside a
 * crowd-form it is an ordinary field of that form.
 */
import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { AnswerEntry, JsonValue } from './answer.js';
import { History } from './annotation/history.js';
import { labelColor } from './annotation/geometry.js';
import { piecesOf, sortEntities, validEntities, withEntity, type Entity, type Piece } from './entity/spans.js';
import { CrowdField } from './field.js';
import { parseLooseLiteral, type LooseValue } from './literal.js';
import { slotRegionChildren } from './regions.js';
import { baseStyles, buttonStyles } from './styles.js';

const REGIONS: ReadonlySet<string> = new Set(['short-instructions', 'full-instructions']);

interface EntityLabel {
  label: string;
  short: string;
  full: string;
}

function readLabels(value: string | null): EntityLabel[] {
  if (!value) return [];
  let parsed: LooseValue;
  try {
    parsed = parseLooseLiteral(value);
  } catch {
    return [];
  }
  return (Array.isArray(parsed) ? parsed : []).flatMap((item): EntityLabel[] => {
    if (typeof item === 'string') return [{ label: item, short: item, full: item }];
    if (!item || typeof item !== 'object' || Array.isArray(item) || typeof item.label !== 'string') return [];
    const full = item.fullDisplayName ?? item.longDisplayName;
    return [{ label: item.label, short: typeof item.shortDisplayName === 'string' ? item.shortDisplayName : item.label, full: typeof full === 'string' ? full : item.label }];
  });
}

function readEntities(value: string | null): Entity[] {
  if (!value) return [];
  try {
    const parsed = parseLooseLiteral(value);
    return (Array.isArray(parsed) ? parsed : []).flatMap((e): Entity[] =>
      e && typeof e === 'object' && !Array.isArray(e) && typeof e.label === 'string'
        ? [{ label: e.label, startOffset: Number(e.startOffset), endOffset: Number(e.endOffset) }]
        : [],
    );
  } catch {
    return [];
  }
}

export class CrowdEntityAnnotation extends CrowdField {
  static override styles = [
    baseStyles,
    buttonStyles,
    css`
      :host { display: block; margin: 0.5rem 0; }
      .header { font-size: 1.15rem; margin: 0 0 0.5rem; }
      .labels { display: flex; flex-wrap: wrap; gap: 0.25rem; border: 0; padding: 0; margin: 0 0 0.5rem; }
      .labels legend { float: left; font-weight: 600; margin-right: 0.4rem; }
      .label { display: inline-flex; gap: 0.35rem; align-items: center; padding: 0.2rem 0.5rem; border: 1px solid var(--tandem-border, #b6bcc4); border-radius: 999px; cursor: pointer; }
      .label:has(input:checked) { border-color: var(--tandem-accent, #0b5cc4); font-weight: 600; }
      .text { line-height: 2.2; padding: 0.75rem; border: 1px solid var(--tandem-border, #b6bcc4); border-radius: var(--tandem-radius, 6px); white-space: pre-wrap; overflow-wrap: anywhere; user-select: none; cursor: text; }
      .text:focus-visible { outline: 3px solid var(--tandem-focus, #0b5cc4); outline-offset: 2px; }
      .piece.selecting { background: #ffe58a; }
      .piece.caret { box-shadow: inset 0 -3px 0 var(--tandem-focus, #0b5cc4); }
      mark { background: transparent; border-bottom: 3px solid currentColor; padding: 0 1px; }
      mark .tag { font-size: 0.7rem; font-weight: 700; margin-left: 0.2rem; vertical-align: super; }
      mark.selected { outline: 2px dashed currentColor; }
      .entities { list-style: none; padding: 0; margin: 0.5rem 0 0; display: grid; gap: 0.25rem; }
      .entities li { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; }
      .entities select { font: inherit; }
      .status { font-size: 0.875rem; color: var(--tandem-muted, #57606a); margin: 0.35rem 0; }
    `,
  ];

  @property() header = '';
  @property() text = '';
  @property({ attribute: 'labels' }) labelsSource: string | null = null;
  @property({ attribute: 'initial-value' }) initialValue: string | null = null;

  @state() private entities: Entity[] = [];
  @state() private current = '';
  @state() private anchor: number | null = null;
  @state() private focusPiece: number | null = null;
  @state() private selectedEntity: number | null = null;
  @state() private announcement = '';
  private selecting = false;
  private readonly history = new History<Entity[]>();

  /** `{ entities: [...] }` as it would be submitted now. */
  get value(): { entities: Entity[] } {
    return { entities: sortEntities(this.entities).map((e) => ({ endOffset: e.endOffset, label: e.label, startOffset: e.startOffset })) };
  }

  private get labelList(): EntityLabel[] {
    return readLabels(this.labelsSource);
  }

  answerEntries(): AnswerEntry[] {
    return [{ kind: 'value', name: this.name, value: this.value as unknown as { [key: string]: never } }];
  }

  get validationMessage(): string {
    return '';
  }

  resetValue(): void {
    this.entities = validEntities(readEntities(this.initialValue), this.text);
    this.history.clear();
  }

  override focusControl(): void {
    this.renderRoot.querySelector<HTMLElement>('.text')?.focus();
  }

  /** Puts a draft's spans back (`{ entities: [...] }`). */
  override restoreValue(value: JsonValue): boolean {
    const list = value !== null && typeof value === 'object' && !Array.isArray(value) ? value.entities : undefined;
    if (Array.isArray(list)) {
      this.entities = validEntities(readEntities(JSON.stringify(list)), this.text);
      this.history.clear();
    }
    return true;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('initialValue') || changed.has('text')) this.resetValue();
    const labels = this.labelList;
    if (!labels.some((l) => l.label === this.current)) this.current = labels[0]?.label ?? '';
  }

  protected override firstUpdated(): void {
    // On its own, the element is its own form (reference: "contains its own form submission logic").
    if (this.closest('crowd-form')) return;
    const form = document.createElement('crowd-form');
    const proxy = document.createElement('tandem-entity-answer') as EntityAnswer;
    proxy.owner = this;
    proxy.name = this.name;
    form.append(proxy);
    this.renderRoot.append(form);
  }

  private commit(next: Entity[]): void {
    this.history.record(this.entities);
    this.entities = next;
    this.emitChange();
    this.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }

  private labelRange(pieces: Piece[]): void {
    if (this.anchor === null || this.focusPiece === null || !this.current) return;
    const [a, b] = [Math.min(this.anchor, this.focusPiece), Math.max(this.anchor, this.focusPiece)];
    const entity = { label: this.current, startOffset: pieces[a]!.start, endOffset: pieces[b]!.end };
    this.commit(withEntity(this.entities, entity));
    this.anchor = this.focusPiece;
    this.announcement = `"${this.text.slice(entity.startOffset, entity.endOffset)}" labelled ${entity.label}.`;
  }

  private deleteEntity(index: number): void {
    const sorted = sortEntities(this.entities);
    const gone = sorted[index];
    if (!gone) return;
    this.commit(sorted.filter((e) => e !== gone));
    this.selectedEntity = null;
    this.announcement = `Label ${gone.label} removed.`;
  }

  private onKey(event: KeyboardEvent, pieces: Piece[]): void {
    const key = event.key;
    let handled = true;
    if (event.ctrlKey && (key === 'z' || key === 'Z')) {
      const previous = event.shiftKey ? this.history.redo(this.entities) : this.history.undo(this.entities);
      if (previous) this.entities = previous;
    } else if (event.ctrlKey && (key === 'y' || key === 'Y')) {
      const next = this.history.redo(this.entities);
      if (next) this.entities = next;
    } else if (key === 'ArrowRight' || key === 'ArrowLeft') {
      const step = key === 'ArrowRight' ? 1 : -1;
      const next = Math.min(pieces.length - 1, Math.max(0, (this.focusPiece ?? -1) + (this.focusPiece === null && step < 0 ? 1 : step)));
      this.focusPiece = next;
      if (!event.shiftKey || this.anchor === null) this.anchor = next;
      const a = Math.min(this.anchor, next);
      this.announcement = this.text.slice(pieces[a]!.start, pieces[Math.max(this.anchor, next)]!.end);
    } else if (key === 'Enter') {
      this.labelRange(pieces);
    } else if (/^Digit[1-9]$/.test(event.code)) {
      const label = this.labelList[Number(event.code.slice(5)) - 1];
      if (label) this.current = label.label;
      else handled = false;
    } else if (key === 'Delete' || key === 'Backspace') {
      const at = this.focusPiece === null ? undefined : pieces[this.focusPiece];
      const index = at ? sortEntities(this.entities).findIndex((e) => e.startOffset <= at.start && at.end <= e.endOffset) : -1;
      if (index >= 0) this.deleteEntity(index);
    } else if (key === 'Escape') {
      this.anchor = this.focusPiece;
    } else {
      handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  private pieceIndex(event: Event): number | null {
    const value = (event.target as Element).closest?.('[data-piece]')?.getAttribute('data-piece');
    return value == null ? null : Number(value);
  }

  private renderText(pieces: Piece[]): TemplateResult[] {
    const labels = this.labelList;
    const sorted = sortEntities(this.entities);
    const [lo, hi] = this.anchor !== null && this.focusPiece !== null ? [Math.min(this.anchor, this.focusPiece), Math.max(this.anchor, this.focusPiece)] : [-1, -2];
    const out: TemplateResult[] = [];
    let pos = 0;
    let i = 0;
    const pieceHtml = (index: number) => {
      const p = pieces[index]!;
      const cls = `piece ${index >= lo && index <= hi ? 'selecting' : ''} ${index === this.focusPiece ? 'caret' : ''}`;
      return html`<span class=${cls} data-piece=${index}>${this.text.slice(p.start, p.end)}</span>`;
    };
    for (const [n, entity] of sorted.entries()) {
      while (i < pieces.length && pieces[i]!.start < entity.startOffset) {
        out.push(html`${this.text.slice(pos, pieces[i]!.start)}${pieceHtml(i)}`);
        pos = pieces[i]!.end;
        i++;
      }
      out.push(html`${this.text.slice(pos, entity.startOffset)}`);
      const inner: TemplateResult[] = [];
      let innerPos = entity.startOffset;
      while (i < pieces.length && pieces[i]!.end <= entity.endOffset) {
        inner.push(html`${this.text.slice(innerPos, pieces[i]!.start)}${pieceHtml(i)}`);
        innerPos = pieces[i]!.end;
        i++;
      }
      inner.push(html`${this.text.slice(innerPos, entity.endOffset)}`);
      const index = labels.findIndex((l) => l.label === entity.label);
      const color = labelColor(index);
      out.push(html`<mark class=${n === this.selectedEntity ? 'selected' : ''} data-entity=${n} data-color=${color}
        >${inner}<span class="tag" aria-hidden="true">${labels[index]?.short ?? entity.label}</span></mark
      >`);
      pos = entity.endOffset;
    }
    while (i < pieces.length) {
      out.push(html`${this.text.slice(pos, pieces[i]!.start)}${pieceHtml(i)}`);
      pos = pieces[i]!.end;
      i++;
    }
    out.push(html`${this.text.slice(pos)}`);
    return out;
  }

  protected override updated(): void {
    const proxy = this.renderRoot.querySelector<EntityAnswer>('tandem-entity-answer');
    if (proxy && proxy.name !== this.name) proxy.name = this.name;
    // Colours through CSSOM (a strict style-src refuses style attributes).
    for (const mark of this.renderRoot.querySelectorAll<HTMLElement>('mark[data-color]')) mark.style.color = mark.dataset.color ?? '';
  }

  protected override render() {
    const labels = this.labelList;
    const pieces = piecesOf(this.text, this.entities);
    const sorted = sortEntities(this.entities);
    return html`
      ${this.header ? html`<h2 class="header" id="header">${this.header}</h2>` : nothing}
      <slot name="short-instructions"></slot>
      <fieldset class="labels">
        <legend>Label</legend>
        ${labels.map(
          (l, i) => html`<label class="label"
            ><input type="radio" name="label" .checked=${live(l.label === this.current)} @change=${() => (this.current = l.label)} />${l.full}
            ${i < 9 ? html`<kbd aria-hidden="true">${i + 1}</kbd>` : nothing}</label
          >`,
        )}
      </fieldset>
      <div
        class="text"
        tabindex="0"
        role="application"
        aria-roledescription="text annotator"
        aria-label=${this.header || 'Text to label'}
        aria-describedby="help status"
        @keydown=${(e: KeyboardEvent) => this.onKey(e, pieces)}
        @pointerdown=${(e: PointerEvent) => {
          const index = this.pieceIndex(e);
          if (index === null || this.disabled) return;
          this.selecting = true;
          this.anchor = this.focusPiece = index;
        }}
        @pointermove=${(e: PointerEvent) => {
          const index = this.pieceIndex(e);
          if (this.selecting && index !== null) this.focusPiece = index;
        }}
        @pointerup=${() => {
          if (!this.selecting) return;
          this.selecting = false;
          this.labelRange(pieces);
        }}
      >${this.renderText(pieces)}</div>
      <div class="status" id="help">Drag across words, or use ←/→ (Shift extends) and Enter, to label them. 1–9 choose the label; Delete removes the label under the caret; Ctrl+Z undoes.</div>
      <div class="status" id="status" role="status">${this.announcement}</div>
      <ol class="entities" aria-label="Labelled spans">
        ${sorted.map(
          (e, n) => html`<li>
            <span>“${this.text.slice(e.startOffset, e.endOffset)}”</span>
            <select aria-label=${`Label of span ${n + 1}`} @change=${(ev: Event) => this.commit(sorted.map((x) => (x === e ? { ...x, label: (ev.target as HTMLSelectElement).value } : x)))}>
              ${labels.map((l) => html`<option .value=${l.label} ?selected=${l.label === e.label}>${l.full}</option>`)}
            </select>
            <button type="button" class="button" aria-label=${`Remove span ${n + 1}`} @click=${() => this.deleteEntity(n)}>Remove</button>
          </li>`,
        )}
      </ol>
      <slot name="full-instructions" hidden></slot>
      <slot @slotchange=${(e: Event) => slotRegionChildren(e, REGIONS)}></slot>
    `;
  }
}

/** The stand-in field inside a stand-alone entity annotation's own crowd-form. */
export class EntityAnswer extends CrowdField {
  owner: CrowdEntityAnnotation | null = null;

  answerEntries(): AnswerEntry[] {
    return this.owner?.answerEntries() ?? [];
  }

  get validationMessage(): string {
    return this.owner?.validationMessage ?? '';
  }

  resetValue(): void {
    this.owner?.resetValue();
  }

  override restoreValue(value: JsonValue): boolean {
    return this.owner?.restoreValue(value) ?? false;
  }

  override focusControl(): void {
    this.owner?.focusControl();
  }

  protected override render() {
    return nothing;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-entity-annotation': CrowdEntityAnnotation;
    'tandem-entity-answer': EntityAnswer;
  }
}
