/**
 * `<crowd-instance-segmentation name="annotatedResult" src="…" labels="['Car','Person']" header="…"
 * initial-value="{ instances: [{ color: '#1f77b4', label: 'Car' }], src: '<PNG URL>' }">`: each
 * object gets its own colour. A stroke or fill paints the current instance; choosing another
 * label, or New instance (N), makes the next stroke start a new one.
 *
 * Answer: `{ "<name>": { "inputImageProperties": { "height", "width" }, "instances":
 * [{ "color": "#rrggbb", "label" }], "labeledImage": { "pngImageData": "<base64 PNG>" } } }`;
 * the PNG has the source image's size, each instance's pixels in its colour (category10 colours in
 * the order instances are made, then more), unlabelled pixels transparent. `instances` lists, in
 * the order made, the instances that cover at least one pixel. With `initial-value`,
 * `"initialValueModified": bool` is added (*choice*, as for semantic segmentation).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { JsonValue } from './answer.js';
import type { LooseValue } from './literal.js';
import { LabelMask } from './segmentation/label-mask.js';
import { maskPngUrl, nextInstanceColor, readInstances } from './segmentation/mask-source.js';
import { swatch } from './annotation/annotator-frame.js';
import { SegmentationBase, type MaskSource, type SegmentClass } from './segmentation/segmentation-base.js';

export class CrowdInstanceSegmentation extends SegmentationBase {
  readonly instances = true;
  /** The class new strokes paint; null: the next stroke starts a new instance. */
  @state() private currentInstance: number | null = null;

  protected startingClasses(): SegmentClass[] {
    this.currentInstance = null;
    return [];
  }

  protected paintValue(): number {
    const current = this.currentInstance === null ? undefined : this.classes[this.currentInstance - 1];
    if (current && current.label === this.currentLabel) return this.currentInstance!;
    const taken = new Set(this.classes.map((c) => c.color.toLowerCase()));
    this.classes = [...this.classes, { label: this.currentLabel, color: nextInstanceColor(taken) }];
    this.currentInstance = this.classes.length;
    return this.currentInstance;
  }

  override newInstance(): void {
    this.currentInstance = null;
    this.say(`The next stroke starts a new ${this.currentLabel}.`);
  }

  protected classesAnswer(used: ReadonlySet<number>): { [key: string]: JsonValue } {
    return { instances: this.classes.filter((_, i) => used.has(i + 1)).map((c) => ({ color: c.color, label: c.label })) };
  }

  protected readMaskSource(parsed: LooseValue): MaskSource | null {
    const src = maskPngUrl(parsed);
    return src ? { src, classes: readInstances(parsed) } : null;
  }

  private selectInstance(value: number): void {
    const instance = this.classes[value - 1];
    if (!instance) return;
    this.currentInstance = value;
    if (this.labels.includes(instance.label)) this.currentLabel = instance.label;
    this.say(`${this.instanceName(value)} selected; strokes add to it.`);
  }

  private deleteInstance(value: number): void {
    const mask = this.mask;
    if (!mask) return;
    const before = new LabelMask(mask.width, mask.height, mask.data.slice());
    if (!mask.replaceValue(value, 0)) return;
    if (this.currentInstance === value) this.currentInstance = null;
    this.redraw();
    this.commitEdit(before, { x: 0, y: 0, width: mask.width, height: mask.height });
    this.say(`${this.instanceName(value)} deleted.`);
  }

  private instanceName(value: number): string {
    const instance = this.classes[value - 1]!;
    const sameLabel = this.classes.slice(0, value).filter((c) => c.label === instance.label).length;
    return `${instance.label} ${sameLabel}`;
  }

  protected renderList(): TemplateResult | typeof nothing {
    const shown = this.classes.map((c, i) => ({ ...c, value: i + 1 })).filter((c) => this.used.has(c.value));
    if (shown.length === 0) return html`<p class="status" part="shapes">No instance is painted yet.</p>`;
    return html`<ol class="shapes" part="shapes" aria-label="Instances">
      ${shown.map((c) => {
        const name = this.instanceName(c.value);
        const selected = c.value === this.currentInstance;
        return html`<li class=${selected ? 'selected' : ''}>
          <button type="button" class="button shape-name" aria-pressed=${selected ? 'true' : 'false'} @click=${() => this.selectInstance(c.value)}>
            ${swatch(c.color)}${name}
          </button>
          <button type="button" class="button" aria-label="Delete ${name}" ?disabled=${this.disabled} @click=${() => this.deleteInstance(c.value)}>Delete</button>
        </li>`;
      })}
    </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-instance-segmentation': CrowdInstanceSegmentation;
  }
}
