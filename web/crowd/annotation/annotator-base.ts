/**
 * What the shape annotators share (crowd-bounding-box, crowd-keypoint, crowd-line,
 * crowd-polyline, crowd-polygon), on top of what every image annotator has (image-annotator.ts:
 * the image, zoom, instructions and status): the image shown in an SVG whose viewBox is the image's own
 * pixel grid (so every coordinate is in source-image pixels whatever the display scale), a label
 * picker, undo/redo, zoom (the viewport scrolls to pan), a list of the shapes with a label choice
 * and a Delete button each, and keyboard operation of all of it (see `annotator-keys.ts`).
 *
 * Subclasses say how a shape is drawn ({@link ToolKind}), read `initial-value`, and build their
 * part of the answer; the base adds `inputImageProperties` and, when the template gave an
 * `initial-value`, `initialValueModified` (placement inside the element's object is UNCONFIRMED).
 * Shapes whose label is not in `labels` are dropped from `initial-value` (keypoint doc).
 * An annotator whose image has not loaded cannot answer and blocks submission with a message,
 * as does a polygon or polyline still being drawn.
 */
import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { JsonValue } from '../answer.js';
import { parseLooseLiteral, type LooseValue } from '../literal.js';
import { swatch } from './annotator-frame.js';
import { baseStyles, buttonStyles, dialogStyles } from '../styles.js';
import { handleAnnotatorKey, KEY_HELP, type KeyTarget } from './annotator-keys.js';
import { annotatorStyles } from './annotator-styles.js';
import { boxHandles, clampPoint, imageProperties, isDegenerate, labelColor, translateShape, type Point, type Shape } from './geometry.js';
import { History } from './history.js';
import { IMAGE_NOT_LOADED, ImageAnnotatorElement, labelsConverter } from './image-annotator.js';

/** How a kind of shape is drawn. */
export interface ToolKind {
  /** Used in names shown to people: "Box 2", "Delete polygon 1". */
  noun: string;
  /** `drag`: press, drag, release (box, line). `click`: one click (keypoint). `vertices`: a click per vertex. */
  drawing: 'drag' | 'click' | 'vertices';
  /** Fewest points of a finished shape. */
  minPoints: number;
  /** A closed outline (polygon) or an open one. */
  closed: boolean;
  /** Two opposite corners of a rectangle. */
  box: boolean;
}

/** Parsed `initial-value` entries: a label and its points. */
export type InitialShape = { label: string; points: Point[] };


export abstract class AnnotatorBase extends ImageAnnotatorElement implements KeyTarget {
  static override styles = [baseStyles, buttonStyles, dialogStyles, annotatorStyles];

  @property({ attribute: 'label-colors', converter: labelsConverter }) labelColors: string[] = [];

  @state() protected shapes: Shape[] = [];
  @state() protected selectedId: number | null = null;
  /** The vertex keys move with Alt+arrows (points' index); null for the whole shape. */
  @state() protected selectedVertex: number | null = null;
  @state() protected draft: Point[] | null = null;
  @state() private pointer: Point | null = null;

  @query('svg.upper-canvas') private svgElement!: SVGSVGElement | null;

  protected readonly history = new History<Shape[]>();
  private initialAnswer: string | null = null;
  private nextId = 1;
  private drag: { mode: 'move' | 'vertex' | 'draw'; id: number; start: Point; before: Shape[]; original: Point[]; xFrom?: number; yFrom?: number; vertex?: number } | null = null;

  /** How shapes of this element are drawn. */
  abstract get tool(): ToolKind;
  /** The entries of a parsed `initial-value` (unlabelled or malformed ones are skipped). */
  protected abstract readInitialValue(parsed: LooseValue): InitialShape[];
  /** This element's part of the answer (e.g. `{ boundingBoxes: [...] }`). */
  protected abstract shapesAnswer(shapes: readonly Shape[]): { [key: string]: JsonValue };
  /** A new shape for the keyboard (`N`): around `center`, about `size` image pixels across. */
  protected abstract defaultPoints(center: Point, size: number): Point[];

  /** The answer object as it would be submitted now (AWS templates read `.value.boundingBoxes`…). */
  override get value(): { [key: string]: JsonValue } | null {
    if (!this.image) return null;
    const answer: { [key: string]: JsonValue } = { ...this.shapesAnswer(this.shapes), inputImageProperties: imageProperties(this.image) };
    if (this.initialAnswer !== null) answer.initialValueModified = JSON.stringify(this.shapesAnswer(this.shapes)) !== this.initialAnswer;
    return answer;
  }

  get validationMessage(): string {
    if (this.disabled) return '';
    if (this.loadError) return IMAGE_NOT_LOADED;
    if (!this.image) return 'The image is still loading.';
    if (this.draft) return `Finish the ${this.tool.noun} you are drawing (Enter) or cancel it (Escape).`;
    return '';
  }

  resetValue(): void {
    this.applyInitialValue();
    this.clearValidationMessage();
  }

  /** Puts a draft's shapes back (the answer object this element gave); initial-value is kept as the reference. */
  override restoreValue(value: JsonValue): boolean {
    let restored: InitialShape[];
    try {
      restored = this.readInitialValue(value as LooseValue);
    } catch {
      return true;
    }
    const labels = this.labels;
    this.shapes = restored
      .filter((s) => labels.length === 0 || labels.includes(s.label))
      .map((s) => ({ id: this.nextId++, label: s.label, points: s.points.map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) })) }));
    this.history.clear();
    this.selectedId = null;
    this.draft = null;
    this.revalidate();
    return true;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('initialValue') || changed.has('labels')) {
      if (changed.has('initialValue')) this.applyInitialValue();
      if (!this.labels.includes(this.currentLabel)) this.currentLabel = this.labels[0] ?? '';
    }
  }

  protected imageLoaded(): void {
    this.revalidate();
  }

  private applyInitialValue(): void {
    let initial: InitialShape[] = [];
    const source = this.initialValue?.trim() ?? '';
    if (source !== '') {
      try {
        initial = this.readInitialValue(parseLooseLiteral(source));
      } catch {
        initial = [];
      }
    }
    const labels = this.labels;
    this.shapes = initial
      .filter((s) => labels.length === 0 || labels.includes(s.label))
      .map((s) => ({ id: this.nextId++, label: s.label, points: s.points.map((p) => ({ x: Math.round(p.x), y: Math.round(p.y) })) }));
    this.initialAnswer = source === '' ? null : JSON.stringify(this.shapesAnswer(this.shapes));
    this.history.clear();
    this.selectedId = null;
    this.draft = null;
  }

  // ---- editing (every change goes through commit, which records undo) ----

  /** Replaces the shapes, remembering the old list for undo. */
  protected commit(next: Shape[], before: Shape[] = this.shapes): void {
    if (next === before) return;
    this.history.record(before);
    this.shapes = next;
    this.changed();
  }

  private changed(): void {
    this.revalidate();
    this.emitChange();
    // A draft save in the portal listens for `input`; shapes have no native control to send one.
    this.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }

  protected get selected(): Shape | undefined {
    return this.shapes.find((s) => s.id === this.selectedId);
  }

  protected updateShape(id: number, change: (shape: Shape) => Shape, record = true): void {
    const next = this.shapes.map((s) => (s.id === id ? change(s) : s));
    if (record) this.commit(next);
    else this.shapes = next;
  }

  protected addShape(points: Point[], record = true): Shape {
    const shape: Shape = { id: this.nextId++, label: this.currentLabel, points };
    if (record) this.commit([...this.shapes, shape]);
    else this.shapes = [...this.shapes, shape];
    this.select(shape.id);
    return shape;
  }

  deleteSelected(): void {
    const shape = this.selected;
    if (!shape) return;
    const index = this.shapes.indexOf(shape);
    this.commit(this.shapes.filter((s) => s !== shape));
    this.selectedId = this.shapes[Math.min(index, this.shapes.length - 1)]?.id ?? null;
    this.say(`${this.nameOf(shape, index)} deleted.`);
  }

  undo(): void {
    const previous = this.history.undo(this.shapes);
    if (previous) this.restore(previous, 'Undone.');
  }

  redo(): void {
    const next = this.history.redo(this.shapes);
    if (next) this.restore(next, 'Redone.');
  }

  private restore(shapes: Shape[], message: string): void {
    this.shapes = shapes;
    if (!shapes.some((s) => s.id === this.selectedId)) this.selectedId = null;
    this.changed();
    this.say(message);
  }

  get isDrawing(): boolean {
    return this.draft !== null;
  }

  get keyStep(): number {
    return Math.max(1, Math.round(1 / this.scale));
  }

  deselect(): void {
    this.select(null);
  }

  protected select(id: number | null): void {
    this.selectedId = id;
    this.selectedVertex = null;
  }

  /** Chooses the label for the shapes drawn from now on. */
  chooseLabel(label: string): void {
    if (this.labels.includes(label)) this.currentLabel = label;
  }

  /** Gives the selected shape `label` (keyboard: Shift+digit; mouse: the shape list's choice). */
  relabelSelected(label: string): void {
    const shape = this.selected;
    if (!shape || !this.labels.includes(label) || shape.label === label) return;
    this.relabel(shape.id, label);
    this.say(`${this.nameOf(shape)} is now ${label}.`);
  }

  protected relabel(id: number, label: string): void {
    this.updateShape(id, (s) => ({ ...s, label }));
  }

  /** Moves the selected shape (or its selected vertex) by (dx, dy) image pixels. */
  nudge(dx: number, dy: number, vertexOnly: boolean): void {
    const shape = this.selected;
    if (!shape || !this.image) return;
    const image = this.image;
    this.updateShape(shape.id, (s) => {
      if (!vertexOnly) return { ...s, points: translateShape(s.points, dx, dy, image) };
      // A box's second corner is its bottom-right one after normalising; vertex shapes use the selected vertex.
      const index = this.tool.box ? 1 : (this.selectedVertex ?? s.points.length - 1);
      const points = this.tool.box ? normaliseBox(s.points) : [...s.points];
      const p = points[index]!;
      points[index] = clampPoint({ x: p.x + dx, y: p.y + dy }, image);
      return { ...s, points };
    });
  }

  /** A new shape of the default size in the middle of what is visible (keyboard `N`). */
  addDefaultShape(): void {
    if (!this.image || this.disabled) return;
    const view = this.viewport;
    const scale = this.scale;
    const center = view
      ? { x: (view.scrollLeft + view.clientWidth / 2) / scale, y: (view.scrollTop + view.clientHeight / 2) / scale }
      : { x: this.image.width / 2, y: this.image.height / 2 };
    const size = Math.max(4, Math.round(Math.min(this.image.width, this.image.height) / 4));
    const image = this.image;
    const shape = this.addShape(this.defaultPoints(center, size).map((p) => clampPoint(p, image)));
    this.say(`${this.nameOf(shape, this.shapes.length - 1)} added with label ${shape.label}. Arrow keys move it.`);
  }

  selectNext(step: 1 | -1): void {
    if (this.shapes.length === 0) return;
    const index = this.shapes.findIndex((s) => s.id === this.selectedId);
    const next = (index + step + this.shapes.length + (index === -1 && step === -1 ? 1 : 0)) % this.shapes.length;
    const shape = this.shapes[next]!;
    this.select(shape.id);
    this.say(`${this.nameOf(shape, next)}, ${shape.label}, selected.`);
  }

  selectNextVertex(step: 1 | -1): void {
    const shape = this.selected;
    if (!shape || this.tool.box || shape.points.length < 2) return;
    const n = shape.points.length;
    this.selectedVertex = ((this.selectedVertex ?? (step === 1 ? -1 : 0)) + step + n) % n;
    this.say(`Point ${this.selectedVertex + 1} of ${n} selected.`);
  }

  /** Finishes the polygon or polyline being drawn (Enter, double-click, the Finish button). */
  finishDraft(): void {
    const draft = this.draft?.filter((p, i, all) => i === 0 || p.x !== all[i - 1]!.x || p.y !== all[i - 1]!.y);
    if (!draft) return;
    if (draft.length < this.tool.minPoints) {
      this.say(`A ${this.tool.noun} needs at least ${this.tool.minPoints} points.`);
      return;
    }
    this.draft = null;
    this.pointer = null;
    const shape = this.addShape(draft);
    this.say(`${this.nameOf(shape, this.shapes.length - 1)} finished.`);
  }

  cancelDraft(): boolean {
    if (!this.draft) return false;
    this.draft = null;
    this.pointer = null;
    this.revalidate();
    this.say('Drawing cancelled.');
    return true;
  }

  /** Removes the last point of the shape being drawn (Backspace while drawing). */
  dropDraftPoint(): void {
    if (!this.draft) return;
    this.draft = this.draft.length > 1 ? this.draft.slice(0, -1) : null;
  }

  protected nameOf(shape: Shape, index = this.shapes.indexOf(shape)): string {
    const noun = this.tool.noun;
    return `${noun[0]!.toUpperCase()}${noun.slice(1)} ${index + 1}`;
  }

  // ---- pointer ----

  private toImage(event: PointerEvent): Point {
    const matrix = this.svgElement?.getScreenCTM();
    if (!matrix || !this.image) return { x: 0, y: 0 };
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    return clampPoint(p, this.image);
  }

  private onPointerDown(event: PointerEvent): void {
    if (this.disabled || !this.image || event.button !== 0) return;
    const target = event.target as Element;
    const at = this.toImage(event);
    const shapeId = Number(target.getAttribute('data-shape') ?? NaN);
    event.preventDefault();
    (event.currentTarget as Element).setPointerCapture(event.pointerId);
    if (!this.draft && Number.isFinite(shapeId)) {
      const shape = this.shapes.find((s) => s.id === shapeId);
      if (!shape) return;
      this.selectedId = shape.id;
      const handle = target.getAttribute('data-handle');
      if (handle !== null) {
        const [a, b] = handle.split(',').map(Number) as [number, number?];
        if (this.tool.box) this.drag = { mode: 'vertex', id: shape.id, start: at, before: this.shapes, original: shape.points, xFrom: a, yFrom: b };
        else {
          this.selectedVertex = a;
          this.drag = { mode: 'vertex', id: shape.id, start: at, before: this.shapes, original: shape.points, vertex: a };
        }
      } else {
        this.selectedVertex = null;
        this.drag = { mode: 'move', id: shape.id, start: at, before: this.shapes, original: shape.points };
      }
      return;
    }
    switch (this.tool.drawing) {
      case 'drag': {
        const before = this.shapes;
        const shape = this.addShape([at, { ...at }], false);
        this.drag = { mode: 'draw', id: shape.id, start: at, before, original: shape.points };
        break;
      }
      case 'click': {
        const before = this.shapes;
        const shape = this.addShape([at], false);
        this.drag = { mode: 'vertex', id: shape.id, start: at, before, original: shape.points, vertex: 0 };
        break;
      }
      case 'vertices': {
        const first = this.draft?.[0];
        const closeEnough = first && Math.hypot(first.x - at.x, first.y - at.y) * this.scale <= 8;
        if (this.tool.closed && first && closeEnough && this.draft!.length >= this.tool.minPoints) this.finishDraft();
        else this.draft = [...(this.draft ?? []), at];
        break;
      }
    }
  }

  private onPointerMove(event: PointerEvent): void {
    if (!this.image) return;
    const at = this.toImage(event);
    if (this.draft) this.pointer = at;
    const drag = this.drag;
    if (!drag) return;
    const image = this.image;
    this.updateShape(
      drag.id,
      (s) => {
        if (drag.mode === 'move') return { ...s, points: translateShape(drag.original, at.x - drag.start.x, at.y - drag.start.y, image) };
        if (drag.mode === 'draw') return { ...s, points: [drag.original[0]!, at] };
        const points = drag.original.map((p) => ({ ...p }));
        if (drag.vertex !== undefined) points[drag.vertex] = at;
        else {
          points[drag.xFrom!]!.x = at.x;
          points[drag.yFrom!]!.y = at.y;
        }
        return { ...s, points };
      },
      false,
    );
  }

  private onPointerUp(): void {
    const drag = this.drag;
    if (!drag) return;
    this.drag = null;
    const shape = this.shapes.find((s) => s.id === drag.id);
    if (drag.mode === 'draw' && shape && isDegenerate(shape.points, this.tool.box ? 'box' : 'path')) {
      this.shapes = drag.before;
      this.selectedId = null;
      return;
    }
    if (this.shapes !== drag.before && JSON.stringify(this.shapes) !== JSON.stringify(drag.before)) this.commit(this.shapes, drag.before);
    else this.shapes = drag.before;
  }

  // ---- rendering ----

  protected colorOf(label: string): string {
    return labelColor(this.labels.indexOf(label), this.labelColors);
  }

  private renderShape(shape: Shape, index: number): TemplateResult {
    const color = this.colorOf(shape.label);
    const selected = shape.id === this.selectedId;
    const r = 5 / this.scale;
    const cls = `shape ${selected ? 'selected' : ''}`;
    const title = svg`<title>${this.nameOf(shape, index)}: ${shape.label}</title>`;
    const p = shape.points;
    let body: TemplateResult;
    if (this.tool.box) {
      const b = normaliseBox(p);
      body = svg`<rect class=${cls} data-shape=${shape.id} x=${b[0]!.x} y=${b[0]!.y} width=${b[1]!.x - b[0]!.x} height=${b[1]!.y - b[0]!.y}
        fill=${color} fill-opacity="0.18" stroke=${color} stroke-width="2" vector-effect="non-scaling-stroke">${title}</rect>`;
    } else if (p.length === 1) {
      body = svg`<circle class=${cls} data-shape=${shape.id} cx=${p[0]!.x} cy=${p[0]!.y} r=${r * 1.4} fill=${color} stroke="#fff" stroke-width="2" vector-effect="non-scaling-stroke">${title}</circle>`;
    } else {
      const d = p.map((q) => `${q.x},${q.y}`).join(' ');
      body = this.tool.closed
        ? svg`<polygon class=${cls} data-shape=${shape.id} points=${d} fill=${color} fill-opacity="0.18" stroke=${color} stroke-width="2" vector-effect="non-scaling-stroke">${title}</polygon>`
        : svg`<polyline class=${cls} data-shape=${shape.id} points=${d} fill="none" stroke=${color} stroke-width="3" vector-effect="non-scaling-stroke">${title}</polyline>`;
    }
    const handles = !selected || p.length === 1
      ? nothing
      : this.tool.box
        ? boxHandles(p).map((h) => svg`<circle class="handle" data-shape=${shape.id} data-handle=${`${h.xFrom},${h.yFrom}`} cx=${h.at.x} cy=${h.at.y} r=${r} stroke-width="1" vector-effect="non-scaling-stroke"></circle>`)
        : p.map((q, i) => svg`<circle class="handle ${i === this.selectedVertex ? 'active' : ''}" data-shape=${shape.id} data-handle=${String(i)} cx=${q.x} cy=${q.y} r=${r} stroke-width="1" vector-effect="non-scaling-stroke"></circle>`);
    const anchor = this.tool.box ? normaliseBox(p)[0]! : p[0]!;
    const tag = svg`<text class="tag" x=${anchor.x + 3 / this.scale} y=${anchor.y - 4 / this.scale} font-size=${12 / this.scale}>${shape.label}</text>`;
    return svg`<g>${body}${handles}${tag}</g>`;
  }

  private renderDraft(): TemplateResult | typeof nothing {
    const draft = this.draft;
    if (!draft) return nothing;
    const color = this.colorOf(this.currentLabel);
    const points = this.pointer ? [...draft, this.pointer] : draft;
    const r = 4 / this.scale;
    return svg`<g class="draft" pointer-events="none">
      <polyline points=${points.map((q) => `${q.x},${q.y}`).join(' ')} fill="none" stroke=${color} stroke-width="2" stroke-dasharray="5 4" vector-effect="non-scaling-stroke"></polyline>
      ${draft.map((q) => svg`<circle cx=${q.x} cy=${q.y} r=${r} fill=${color}></circle>`)}
    </g>`;
  }

  protected renderStage(): TemplateResult {
    const image = this.image;
    if (!image) return this.renderImageStatus();
    const width = this.fitWidth * this.zoom;
    const height = (width * image.height) / image.width;
    const noun = this.tool.noun;
    return html`<div
      class="viewport ${this.zoom === 1 ? 'fit' : ''}"
      part="viewport"
      tabindex="0"
      role="application"
      aria-roledescription="image annotator"
      aria-label=${this.header || `Image: draw ${noun}s`}
      aria-describedby="keys-help status"
      @keydown=${(e: KeyboardEvent) => handleAnnotatorKey(this, e)}
    >
      <svg
        class="upper-canvas"
        width=${width}
        height=${height}
        viewBox="0 0 ${image.width} ${image.height}"
        preserveAspectRatio="none"
        @pointerdown=${this.onPointerDown}
        @pointermove=${this.onPointerMove}
        @pointerup=${this.onPointerUp}
        @pointercancel=${this.onPointerUp}
        @dblclick=${() => this.finishDraft()}
      >
        <image href=${this.src} x="0" y="0" width=${image.width} height=${image.height} preserveAspectRatio="none"></image>
        ${this.shapes.map((s, i) => this.renderShape(s, i))} ${this.renderDraft()}
      </svg>
    </div>`;
  }

  protected renderToolbar(): TemplateResult {
    const disabled = this.disabled || !this.image;
    return html`<div class="toolbar" part="toolbar">
      <fieldset class="labels" part="labels" ?disabled=${this.disabled}>
        <legend>Label</legend>
        ${this.labels.map(
          (label, i) => html`<label class="label">
            <input type="radio" name="label" .checked=${live(label === this.currentLabel)} @change=${() => this.chooseLabel(label)} />
            ${swatch(this.colorOf(label))}${label}
            ${i < 9 ? html`<kbd aria-hidden="true">${i + 1}</kbd>` : nothing}
          </label>`,
        )}
      </fieldset>
      <div class="actions" part="actions">
        ${this.tool.drawing === 'vertices' && this.draft
          ? html`<button type="button" class="button primary" @click=${() => this.finishDraft()}>Finish ${this.tool.noun}</button>`
          : nothing}
        <button type="button" class="button" ?disabled=${disabled} @click=${() => this.addDefaultShape()} title="N">Add ${this.tool.noun}</button>
        <button type="button" class="button" ?disabled=${disabled || !this.history.canUndo} @click=${() => this.undo()} title="Ctrl+Z">Undo</button>
        <button type="button" class="button" ?disabled=${disabled || !this.history.canRedo} @click=${() => this.redo()} title="Ctrl+Y">Redo</button>
        ${this.renderZoomButtons(disabled)}
      </div>
    </div>`;
  }

  protected renderList(): TemplateResult {
    return html`<ol class="shapes" part="shapes" aria-label="${this.tool.noun}s">
      ${this.shapes.map((shape, index) => {
        const name = this.nameOf(shape, index);
        return html`<li class=${shape.id === this.selectedId ? 'selected' : ''}>
          <button type="button" class="button shape-name" aria-pressed=${shape.id === this.selectedId ? 'true' : 'false'} @click=${() => this.select(shape.id)}>
            ${swatch(this.colorOf(shape.label))}${name}
          </button>
          <select aria-label="Label of ${name.toLowerCase()}" ?disabled=${this.disabled} @change=${(e: Event) => this.relabel(shape.id, (e.target as HTMLSelectElement).value)}>
            ${this.labels.map((label) => html`<option .value=${label} ?selected=${label === shape.label}>${label}</option>`)}
          </select>
          <button type="button" class="button" aria-label="Delete ${name.toLowerCase()}" ?disabled=${this.disabled} @click=${() => { this.select(shape.id); this.deleteSelected(); }}>Delete</button>
        </li>`;
      })}
    </ol>`;
  }

  protected override updated(): void {
    // Sized through CSSOM, which a strict style-src allows (a style attribute would be refused).
    const view = this.viewport;
    if (view && this.image) {
      view.style.width = `${Math.ceil(this.fitWidth) + 2}px`;
      view.style.height = `${Math.ceil((this.fitWidth * this.image.height) / this.image.width) + 2}px`;
    }
  }

  protected keyHelp(): Array<[string, string]> {
    return KEY_HELP(this.tool);
  }
}

/** A box's corners as [top-left, bottom-right]. */
export function normaliseBox(points: readonly Point[]): Point[] {
  const [a, b = a] = points as [Point, Point?];
  return [
    { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y) },
    { x: Math.max(a.x, b.x), y: Math.max(a.y, b.y) },
  ];
}
