/**
 * What every image annotator element is before it draws anything: the image it loads (`src`),
 * the labels and `initial-value` it is given, the width it is laid out at and the zoom it is
 * shown at, the header, instructions, status line and shortcuts around the drawing surface
 * (annotator-frame.ts). The shape tools (annotator-base.ts) and the segmentation tools
 * (segmentation/segmentation-base.ts) extend it with what they draw and how.
 */
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { AnswerEntry, JsonValue } from '../answer.js';
import { CrowdField } from '../field.js';
import { parseStringList } from '../literal.js';
import { renderAnnotatorFrame } from './annotator-frame.js';
import type { ImageSize } from './geometry.js';

export const labelsConverter = { fromAttribute: (value: string | null): string[] => parseStringList(value) };
/** The tallest the image is shown at zoom 1 (CSS px), so the tools stay on a laptop screen. */
const MAX_FIT_HEIGHT = 440;
const ZOOM_STEPS = [1, 1.5, 2, 3, 4, 6, 8];
export const IMAGE_NOT_LOADED =
  'The image could not be loaded, so no annotation can be recorded. Skip the task and tell your administrator.';

export abstract class ImageAnnotatorElement extends CrowdField {
  @property() src = '';
  @property() header = '';
  /** The label choices; settable from script as an array (re-renders the picker). */
  @property({ converter: labelsConverter }) labels: string[] = [];
  @property({ attribute: 'initial-value' }) initialValue: string | null = null;

  @state() protected image: ImageSize | null = null;
  @state() protected loadError = false;
  @state() protected currentLabel = '';
  @state() protected zoom = 1;
  @state() protected announcement = '';
  @state() private availableWidth = 0;
  @state() private fullInstructions: Element | undefined;
  @state() private shortInstructions: Element | undefined;

  @query('.viewport') protected viewport!: HTMLElement | null;

  private loadedSrc = '';
  private resizeObserver: ResizeObserver | undefined;

  /** The answer object as it would be submitted now (AWS templates read `.value.…`). */
  abstract get value(): { [key: string]: JsonValue } | null;
  /** `image` has just been set from a newly loaded `src`. */
  protected abstract imageLoaded(): void;
  protected abstract renderToolbar(): TemplateResult;
  protected abstract renderStage(): TemplateResult;
  /** What was drawn, listed under the image. */
  protected abstract renderList(): TemplateResult | typeof nothing;
  protected abstract keyHelp(): Array<[string, string]>;

  /** A new `src` is loading: what was drawn on the previous image is gone. */
  protected imageCleared(): void {}

  /** The name AWS's own elements use for the same thing; some templates read it. */
  get _submittableValue(): { [key: string]: JsonValue } | null {
    return this.value;
  }

  answerEntries(): AnswerEntry[] {
    const value = this.value;
    return value ? [{ kind: 'value', name: this.name, value }] : [];
  }

  override focusControl(): void {
    this.viewport?.focus();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver = new ResizeObserver((entries) => {
      const width = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (width !== this.availableWidth) this.availableWidth = width;
    });
    this.resizeObserver.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('src') && this.src !== this.loadedSrc) this.loadImage();
  }

  private loadImage(): void {
    this.loadedSrc = this.src;
    this.image = null;
    this.loadError = false;
    this.imageCleared();
    if (!this.src) return;
    const img = new Image();
    img.onload = () => {
      if (this.loadedSrc !== this.src) return;
      this.image = { width: img.naturalWidth, height: img.naturalHeight };
      this.imageLoaded();
    };
    img.onerror = () => {
      if (this.loadedSrc === this.src) this.loadError = true;
    };
    img.src = this.src;
  }

  /** Zooms to `zoom` (clamped to the steps' range) around the centre of what is in view. */
  setZoom(zoom: number): void {
    const view = this.viewport;
    const old = this.zoom;
    const next = Math.min(ZOOM_STEPS[ZOOM_STEPS.length - 1]!, Math.max(1, zoom));
    if (next === old) return;
    const cx = view ? (view.scrollLeft + view.clientWidth / 2) / old : 0;
    const cy = view ? (view.scrollTop + view.clientHeight / 2) / old : 0;
    this.zoom = next;
    void this.updateComplete.then(() => {
      if (!view) return;
      view.scrollLeft = cx * next - view.clientWidth / 2;
      view.scrollTop = cy * next - view.clientHeight / 2;
    });
  }

  zoomStep(direction: 1 | -1): void {
    const index = ZOOM_STEPS.findIndex((z) => z >= this.zoom - 1e-9);
    this.setZoom(ZOOM_STEPS[Math.max(0, Math.min(ZOOM_STEPS.length - 1, index + direction))]!);
  }

  protected say(message: string): void {
    this.announcement = message;
  }

  /** The image's width on screen at zoom 1 (CSS px): the width laid out, capped by MAX_FIT_HEIGHT. */
  protected get fitWidth(): number {
    if (!this.image) return 0;
    const available = Math.max(0, this.availableWidth - 2);
    return Math.max(1, Math.min(available, (MAX_FIT_HEIGHT * this.image.width) / this.image.height));
  }

  /** CSS pixels per image pixel. */
  protected get scale(): number {
    return this.image ? (this.fitWidth * this.zoom) / this.image.width : 1;
  }

  protected renderZoomButtons(disabled: boolean): TemplateResult {
    return html`<button type="button" class="button" ?disabled=${disabled} aria-label="Zoom in" title="+" @click=${() => this.zoomStep(1)}>+</button>
      <button type="button" class="button" ?disabled=${disabled || this.zoom === 1} aria-label="Zoom out" title="-" @click=${() => this.zoomStep(-1)}>−</button>
      <button type="button" class="button" ?disabled=${disabled || this.zoom === 1} title="0" @click=${() => this.setZoom(1)}>Fit</button>`;
  }

  /** In place of the drawing surface until the image is there. */
  protected renderImageStatus(): TemplateResult {
    return html`<div class="status" role=${this.loadError ? 'alert' : 'status'}>
      ${this.loadError ? 'The image could not be loaded.' : 'Loading the image…'}
    </div>`;
  }

  protected override render() {
    return renderAnnotatorFrame({
      header: this.header,
      shortInstructions: this.shortInstructions,
      fullInstructions: this.fullInstructions,
      announcement: this.announcement,
      errorText: this.errorText,
      dialog: () => this.renderRoot.querySelector('dialog'),
      setShortInstructions: (element) => (this.shortInstructions = element),
      setFullInstructions: (element) => (this.fullInstructions = element),
      toolbar: this.renderToolbar(),
      stage: this.renderStage(),
      list: this.renderList(),
      keyHelp: this.keyHelp(),
    });
  }
}
