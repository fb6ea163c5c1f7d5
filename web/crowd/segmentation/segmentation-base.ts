/**
 * What crowd-semantic-segmentation and crowd-instance-segmentation share: the image with a mask
 * canvas over it whose pixel grid is the image's own (so the answer's PNG has the source image's
 * size whatever the display scale), a brush, a polygon fill and an eraser, undo/redo, zoom (the
 * viewport scrolls to pan), keyboard keys (segmentation-keys.ts) and the label picker and
 * instructions of the other annotators.
 *
 * The mask holds class numbers (label-mask.ts); class `n` is `classes[n - 1]` ({label, color}).
 * Subclasses say which class a new stroke paints and which part of the answer lists the classes
 * (`labelMappings` or `instances`). The answer's PNG is the mask in the classes' colours,
 * unlabelled pixels transparent (*choice*: the reference does not say).
 */
import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { JsonValue } from '../answer.js';
import { annotatorStyles } from '../annotation/annotator-styles.js';
import { imageProperties, type ImageSize, type Point } from '../annotation/geometry.js';
import { swatch } from '../annotation/annotator-frame.js';
import { IMAGE_NOT_LOADED, ImageAnnotatorElement } from '../annotation/image-annotator.js';
import { parseLooseLiteral, type LooseValue } from '../literal.js';
import { baseStyles, buttonStyles, dialogStyles } from '../styles.js';
import { LabelMask, maskFromPixels, maskPixels, parseHexColor, unionRect, type Patch, type Rect } from './label-mask.js';
import { handleSegmentationKey, SEGMENTATION_KEY_HELP, type PaintTool, type SegmentationKeyTarget } from './segmentation-keys.js';
import { segmentationStyles } from './segmentation-styles.js';

export interface SegmentClass {
  label: string;
  color: string;
}

/** A mask to load: a PNG (URL or data:) and the classes its colours stand for. */
export interface MaskSource {
  src: string;
  classes: SegmentClass[];
}

const TOOL_NAMES: Record<PaintTool, string> = { brush: 'Brush', polygon: 'Polygon fill', eraser: 'Eraser' };

export abstract class SegmentationBase extends ImageAnnotatorElement implements SegmentationKeyTarget {
  static override styles = [baseStyles, buttonStyles, dialogStyles, annotatorStyles, segmentationStyles];

  @state() protected paintTool: PaintTool = 'brush';
  /** Brush radius in image pixels. */
  @state() protected brushRadius = 0;
  @state() protected draft: Point[] | null = null;
  @state() private pointer: Point | null = null;
  /** Class numbers covering at least one pixel, refreshed after each edit. */
  @state() protected used: ReadonlySet<number> = new Set();

  @query('canvas.mask') private canvas!: HTMLCanvasElement | null;
  @query('.stage') private stage!: HTMLElement | null;

  /** Class `n` of the mask is `classes[n - 1]`. */
  protected classes: SegmentClass[] = [];
  protected mask: LabelMask | null = null;
  private undoStack: Patch[] = [];
  private redoStack: Patch[] = [];
  private stroke: { before: LabelMask; rect: Rect | null; last: Point; value: number } | null = null;
  private initialMask: LabelMask | null = null;
  private hasInitialValue = false;
  private draftToRestore: MaskSource | null = null;
  private generation = 0;
  @state() private loading = false;
  private png: string | null = null;

  readonly abstract instances: boolean;
  /** The classes a fresh (or relabelled) element starts from. */
  protected abstract startingClasses(): SegmentClass[];
  /** The class a new stroke or fill paints with `currentLabel` (may add one). */
  protected abstract paintValue(): number;
  /** The classes' part of the answer, given the class numbers in use. */
  protected abstract classesAnswer(used: ReadonlySet<number>): { [key: string]: JsonValue };
  /** The mask `initial-value` (or a draft's answer) describes, or null. */
  protected abstract readMaskSource(parsed: LooseValue): MaskSource | null;

  // ---- the answer ----

  override get value(): { [key: string]: JsonValue } | null {
    if (!this.image || !this.mask) return null;
    const answer: { [key: string]: JsonValue } = {
      ...this.classesAnswer(this.used),
      inputImageProperties: imageProperties(this.image),
      labeledImage: { pngImageData: this.pngData() },
    };
    if (this.hasInitialValue) answer.initialValueModified = !(this.initialMask && this.initialMask.equals(this.mask));
    return answer;
  }

  get validationMessage(): string {
    if (this.disabled) return '';
    if (this.loadError) return IMAGE_NOT_LOADED;
    if (!this.image || !this.mask || this.loading) return 'The image is still loading.';
    if (this.draft) return 'Finish the polygon you are drawing (Enter) or cancel it (Escape).';
    return '';
  }

  resetValue(): void {
    void this.startMask();
    this.clearValidationMessage();
  }

  /** Puts a saved draft (this element's answer object) back, once the image has loaded. */
  override restoreValue(value: JsonValue): boolean {
    const source = this.readMaskSource(value as LooseValue);
    if (!source) return true;
    this.draftToRestore = source;
    if (this.image) void this.startMask();
    return true;
  }

  private pngData(): string {
    if (this.png === null) {
      const url = this.canvas?.toDataURL('image/png') ?? '';
      this.png = url.slice(url.indexOf(',') + 1);
    }
    return this.png;
  }

  // ---- lifecycle ----

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if ((changed.has('labels') || changed.has('initialValue')) && this.image) void this.startMask();
    if (!this.labels.includes(this.currentLabel)) this.currentLabel = this.labels[0] ?? '';
  }

  protected override imageCleared(): void {
    this.mask = null;
  }

  protected imageLoaded(): void {
    const image = this.image!;
    this.brushRadius = Math.max(2, Math.round(Math.min(image.width, image.height) / 40));
    void this.startMask();
  }

  /**
   * An empty mask with the starting classes; then `initial-value`'s mask when there is one (kept
   * to tell `initialValueModified`), then a draft given to {@link restoreValue}.
   */
  private async startMask(): Promise<void> {
    const image = this.image;
    if (!image) return;
    const generation = ++this.generation;
    this.mask = new LabelMask(image.width, image.height);
    this.classes = this.startingClasses();
    this.undoStack = [];
    this.redoStack = [];
    this.draft = null;
    const source = this.initialValue?.trim() ?? '';
    this.hasInitialValue = source !== '';
    this.initialMask = this.hasInitialValue ? new LabelMask(image.width, image.height) : null;
    const initial = source ? this.readInitialValue(source) : null;
    const draft = this.draftToRestore;
    this.draftToRestore = null;
    this.loading = initial !== null || draft !== null;
    await this.updateComplete;
    this.redraw();
    for (const [from, isDraft] of [[initial, false], [draft, true]] as const) {
      if (!from) continue;
      const loaded = await decodeMask(from, image);
      if (generation !== this.generation) return;
      if (!loaded) {
        this.say(isDraft ? 'The saved draft could not be restored.' : 'The starting mask could not be loaded; the image starts unlabelled.');
        if (!isDraft) this.initialMask = null;
        continue;
      }
      this.mask = loaded;
      this.classes = from.classes;
      if (!isDraft) this.initialMask = new LabelMask(image.width, image.height, loaded.data.slice());
    }
    this.loading = false;
    this.redraw();
    this.afterEdit(draft !== null);
  }

  private readInitialValue(source: string): MaskSource | null {
    try {
      return this.readMaskSource(parseLooseLiteral(source));
    } catch {
      return null;
    }
  }

  // ---- editing ----

  chooseLabel(label: string): void {
    if (this.labels.includes(label)) {
      this.currentLabel = label;
      if (this.paintTool === 'eraser') this.paintTool = 'brush';
    }
  }

  chooseTool(tool: PaintTool): void {
    this.paintTool = tool;
    if (tool !== 'polygon') this.draft = null;
    this.say(`${TOOL_NAMES[tool]} chosen.`);
  }

  changeBrush(direction: 1 | -1): void {
    this.brushRadius = Math.max(1, Math.min(200, Math.round(this.brushRadius * (direction > 0 ? 1.5 : 1 / 1.5)) + direction));
    this.say(`Brush ${this.brushRadius * 2} pixels across.`);
  }

  /** Instance segmentation: the next stroke starts a new instance. */
  newInstance(): void {}

  get isDrawing(): boolean {
    return this.draft !== null;
  }

  undo(): void {
    const patch = this.undoStack.pop();
    if (!patch || !this.mask) return;
    this.mask.apply(patch, 'before');
    this.redoStack.push(patch);
    this.redraw(patch.rect);
    this.afterEdit(true);
    this.say('Undone.');
  }

  redo(): void {
    const patch = this.redoStack.pop();
    if (!patch || !this.mask) return;
    this.mask.apply(patch, 'after');
    this.undoStack.push(patch);
    this.redraw(patch.rect);
    this.afterEdit(true);
    this.say('Redone.');
  }

  /** Records an edit of `rect` (made on the mask since `before`) for undo. */
  protected commitEdit(before: LabelMask, rect: Rect | null): void {
    if (!rect || !this.mask) return;
    this.undoStack.push({ rect, before: before.read(rect), after: this.mask.read(rect) });
    if (this.undoStack.length > 100) this.undoStack.shift();
    this.redoStack = [];
    this.afterEdit(true);
  }

  private afterEdit(announce: boolean): void {
    this.png = null;
    this.used = this.mask ? this.mask.usedValues() : new Set();
    this.revalidate();
    if (!announce) return;
    this.emitChange();
    // The portal's draft save listens for `input`; painting has no native control to send one.
    this.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  }

  finishDraft(): void {
    const draft = this.draft;
    if (!draft || !this.mask) return;
    if (draft.length < 3) {
      this.say('A polygon needs at least 3 points.');
      return;
    }
    this.draft = null;
    const before = new LabelMask(this.mask.width, this.mask.height, this.mask.data.slice());
    const rect = this.mask.fillPolygon(draft, this.paintValue());
    this.redraw(rect ?? undefined);
    this.commitEdit(before, rect);
    this.say(`Polygon filled with ${this.currentLabel}.`);
  }

  cancelDraft(): boolean {
    if (!this.draft) return false;
    this.draft = null;
    this.revalidate();
    this.say('Polygon cancelled.');
    return true;
  }

  dropDraftPoint(): void {
    if (this.draft) this.draft = this.draft.length > 1 ? this.draft.slice(0, -1) : null;
  }

  /** Paints the mask (or the part of it in `rect`) onto the canvas in the classes' colours. */
  protected redraw(rect?: Rect): void {
    const canvas = this.canvas;
    const mask = this.mask;
    if (!canvas || !mask) return;
    if (canvas.width !== mask.width || canvas.height !== mask.height) {
      canvas.width = mask.width;
      canvas.height = mask.height;
      rect = undefined;
    }
    const area = rect ?? { x: 0, y: 0, width: mask.width, height: mask.height };
    const colors = this.classes.map((c) => parseHexColor(c.color));
    canvas.getContext('2d')!.putImageData(new ImageData(maskPixels(mask, area, colors), area.width, area.height), area.x, area.y);
  }

  // ---- pointer ----

  private toImage(event: PointerEvent): Point {
    const box = this.stage?.getBoundingClientRect();
    const image = this.image;
    if (!box || !image) return { x: 0, y: 0 };
    return {
      x: Math.min(image.width, Math.max(0, ((event.clientX - box.left) * image.width) / box.width)),
      y: Math.min(image.height, Math.max(0, ((event.clientY - box.top) * image.height) / box.height)),
    };
  }

  private onPointerDown(event: PointerEvent): void {
    if (this.disabled || !this.mask || this.loading || event.button !== 0) return;
    event.preventDefault();
    const at = this.toImage(event);
    if (this.paintTool === 'polygon') {
      const first = this.draft?.[0];
      if (first && this.draft!.length >= 3 && Math.hypot(first.x - at.x, first.y - at.y) * this.scale <= 8) this.finishDraft();
      else this.draft = [...(this.draft ?? []), at];
      return;
    }
    (event.currentTarget as Element).setPointerCapture(event.pointerId);
    const value = this.paintTool === 'eraser' ? 0 : this.paintValue();
    const before = new LabelMask(this.mask.width, this.mask.height, this.mask.data.slice());
    const rect = this.mask.paintStroke(at, at, this.brushRadius, value);
    this.stroke = { before, rect, last: at, value };
    if (rect) this.redraw(rect);
  }

  private onPointerMove(event: PointerEvent): void {
    if (!this.image) return;
    const at = this.toImage(event);
    this.pointer = at;
    const stroke = this.stroke;
    if (!stroke || !this.mask) return;
    const rect = this.mask.paintStroke(stroke.last, at, this.brushRadius, stroke.value);
    stroke.last = at;
    stroke.rect = unionRect(stroke.rect, rect);
    if (rect) this.redraw(rect);
  }

  private onPointerUp(): void {
    const stroke = this.stroke;
    if (!stroke) return;
    this.stroke = null;
    this.commitEdit(stroke.before, stroke.rect);
  }

  // ---- rendering ----

  protected colorOfLabel(label: string): string {
    return this.classes.find((c) => c.label === label)?.color ?? '#888888';
  }

  /** The list under the image (instances, or the labels in use). */
  protected abstract override renderList(): TemplateResult | typeof nothing;

  private renderOverlay(): TemplateResult {
    const image = this.image!;
    const r = 4 / this.scale;
    const draft = this.draft;
    const color = this.colorOfLabel(this.currentLabel);
    const pointer = this.pointer;
    const cursor =
      pointer && this.paintTool !== 'polygon'
        ? svg`<circle class="brush" cx=${pointer.x} cy=${pointer.y} r=${this.brushRadius} fill="none" stroke="#fff" stroke-width="1.5" vector-effect="non-scaling-stroke"></circle>`
        : nothing;
    const outline = draft
      ? svg`<polyline points=${[...draft, ...(pointer ? [pointer] : [])].map((q) => `${q.x},${q.y}`).join(' ')} fill="none" stroke=${color} stroke-width="2" stroke-dasharray="5 4" vector-effect="non-scaling-stroke"></polyline>
        ${draft.map((q) => svg`<circle cx=${q.x} cy=${q.y} r=${r} fill=${color} stroke="#fff" stroke-width="1" vector-effect="non-scaling-stroke"></circle>`)}`
      : nothing;
    return svg`<svg class="overlay" viewBox="0 0 ${image.width} ${image.height}" preserveAspectRatio="none" aria-hidden="true">${outline}${cursor}</svg>`;
  }

  protected renderStage(): TemplateResult {
    if (!this.image) return this.renderImageStatus();
    return html`<div
      class="viewport ${this.zoom === 1 ? 'fit' : ''}"
      part="viewport"
      tabindex="0"
      role="application"
      aria-roledescription="image segmentation"
      aria-label=${this.header || 'Image: paint the regions of each label'}
      aria-describedby="keys-help status"
      @keydown=${(e: KeyboardEvent) => handleSegmentationKey(this, e)}
    >
      <div
        class="stage tool-${this.paintTool}"
        @pointerdown=${this.onPointerDown}
        @pointermove=${this.onPointerMove}
        @pointerup=${this.onPointerUp}
        @pointercancel=${this.onPointerUp}
        @pointerleave=${() => (this.pointer = null)}
        @dblclick=${() => this.finishDraft()}
      >
        <img class="source" src=${this.src} alt="" draggable="false" />
        <canvas class="mask upper-canvas" part="mask"></canvas>
        ${this.renderOverlay()}
      </div>
    </div>`;
  }

  protected renderToolbar(): TemplateResult {
    const disabled = this.disabled || !this.mask;
    const tool = (name: PaintTool, key: string) =>
      html`<button type="button" class="button" aria-pressed=${this.paintTool === name ? 'true' : 'false'} ?disabled=${disabled} title=${key} @click=${() => this.chooseTool(name)}>${TOOL_NAMES[name]}</button>`;
    return html`<div class="toolbar" part="toolbar">
      <fieldset class="labels" part="labels" ?disabled=${this.disabled}>
        <legend>Label</legend>
        ${this.labels.map(
          (label, i) => html`<label class="label">
            <input type="radio" name="label" .checked=${live(label === this.currentLabel)} @change=${() => this.chooseLabel(label)} />
            ${swatch(this.colorOfLabel(label))}${label} ${i < 9 ? html`<kbd aria-hidden="true">${i + 1}</kbd>` : nothing}
          </label>`,
        )}
      </fieldset>
      <div class="actions" part="actions" role="group" aria-label="Tools">
        ${tool('brush', 'B')} ${tool('polygon', 'P')} ${tool('eraser', 'E')}
        ${this.instances ? html`<button type="button" class="button" ?disabled=${disabled} title="N" @click=${() => this.newInstance()}>New instance</button>` : nothing}
        <label class="brush-size">Brush
          <input type="range" min="1" max="100" .value=${live(String(this.brushRadius))} ?disabled=${disabled}
            @input=${(e: Event) => (this.brushRadius = Number((e.target as HTMLInputElement).value))} />
        </label>
        ${this.paintTool === 'polygon'
          ? html`<button type="button" class="button primary" ?disabled=${!this.draft} @click=${() => this.finishDraft()}>Fill polygon</button>`
          : nothing}
        <button type="button" class="button" ?disabled=${disabled || this.undoStack.length === 0} title="Ctrl+Z" @click=${() => this.undo()}>Undo</button>
        <button type="button" class="button" ?disabled=${disabled || this.redoStack.length === 0} title="Ctrl+Y" @click=${() => this.redo()}>Redo</button>
        ${this.renderZoomButtons(disabled)}
      </div>
    </div>`;
  }

  protected override updated(): void {
    // Sized through CSSOM, which a strict style-src allows (a style attribute would be refused).
    const image = this.image;
    if (!image) return;
    const width = this.fitWidth;
    const height = (width * image.height) / image.width;
    if (this.viewport) {
      this.viewport.style.width = `${Math.ceil(width) + 2}px`;
      this.viewport.style.height = `${Math.ceil(height) + 2}px`;
    }
    if (this.stage) {
      this.stage.style.width = `${width * this.zoom}px`;
      this.stage.style.height = `${height * this.zoom}px`;
    }
    if (this.canvas && this.mask && this.canvas.width !== this.mask.width) this.redraw();
  }

  protected keyHelp(): Array<[string, string]> {
    return SEGMENTATION_KEY_HELP(this.instances);
  }
}

/** Reads a mask PNG (URL or data:) in `source.classes`' colours, at the image's size; null if it cannot. */
function decodeMask(source: MaskSource, image: ImageSize): Promise<LabelMask | null> {
  return new Promise((resolve) => {
    const img = new Image();
    // The PNG's pixels are read back, so a URL on another origin must allow it (CORS).
    img.crossOrigin = 'anonymous';
    img.onload = () => {
      try {
        const scratch = document.createElement('canvas');
        scratch.width = image.width;
        scratch.height = image.height;
        const context = scratch.getContext('2d', { willReadFrequently: true })!;
        context.imageSmoothingEnabled = false;
        context.drawImage(img, 0, 0, image.width, image.height);
        const rgb = source.classes.map((c) => parseHexColor(c.color));
        resolve(maskFromPixels(image.width, image.height, context.getImageData(0, 0, image.width, image.height).data, rgb));
      } catch {
        resolve(null); // a tainted canvas: the PNG's server does not allow reading it
      }
    };
    img.onerror = () => resolve(null);
    img.src = source.src;
  });
}

