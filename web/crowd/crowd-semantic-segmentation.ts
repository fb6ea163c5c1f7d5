/**
 * `<crowd-semantic-segmentation name="annotatedResult" src="…" labels="['Sky','Road']" header="…"
 * initial-value="{ labelMappings: { Sky: { color: '#1f77b4' } }, src: '<PNG URL>' }">`: every
 * pixel gets at most one label, painted with a brush, filled inside a polygon or erased.
 *
 * Answer: `{ "<name>": { "inputImageProperties": { "height", "width" }, "labelMappings":
 * { "<label>": { "color": "#rrggbb" } }, "labeledImage": { "pngImageData": "<base64 PNG>" } } }`;
 * the PNG has the source image's size, each labelled pixel in its label's colour (label `i` of
 * `labels` gets the i-th category10 colour unless `initial-value` says otherwise), unlabelled
 * pixels transparent. `labelMappings` lists the labels that cover at least one pixel (*choice*).
 * With `initial-value`, `"initialValueModified": bool` is added.
 */
import { nothing, html, type TemplateResult } from 'lit';
import type { JsonValue } from './answer.js';
import { labelColor } from './annotation/geometry.js';
import type { LooseValue } from './literal.js';
import { maskPngUrl, readLabelMappings } from './segmentation/mask-source.js';
import { swatch } from './annotation/annotator-frame.js';
import { SegmentationBase, type MaskSource, type SegmentClass } from './segmentation/segmentation-base.js';

export class CrowdSemanticSegmentation extends SegmentationBase {
  readonly instances = false;

  protected startingClasses(): SegmentClass[] {
    return this.labels.map((label, i) => ({ label, color: labelColor(i) }));
  }

  protected paintValue(): number {
    return this.classes.findIndex((c) => c.label === this.currentLabel) + 1;
  }

  protected classesAnswer(used: ReadonlySet<number>): { [key: string]: JsonValue } {
    const labelMappings: { [label: string]: JsonValue } = {};
    this.classes.forEach((c, i) => {
      if (used.has(i + 1)) labelMappings[c.label] = { color: c.color };
    });
    return { labelMappings };
  }

  /** The labels' classes with the given colours; labels only the mask knows are kept after them. */
  protected readMaskSource(parsed: LooseValue): MaskSource | null {
    const src = maskPngUrl(parsed);
    if (!src) return null;
    const colors = readLabelMappings(parsed);
    const classes = this.startingClasses().map((c) => ({ label: c.label, color: colors.get(c.label) ?? c.color }));
    for (const [label, color] of colors) if (!this.labels.includes(label)) classes.push({ label, color });
    return { src, classes };
  }

  protected renderList(): TemplateResult | typeof nothing {
    const painted = this.classes.filter((_, i) => this.used.has(i + 1));
    if (painted.length === 0) return html`<p class="status" part="shapes">Nothing is labelled yet.</p>`;
    return html`<ul class="shapes" part="shapes" aria-label="Labels painted">
      ${painted.map((c) => html`<li>${swatch(c.color)} ${c.label}</li>`)}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-semantic-segmentation': CrowdSemanticSegmentation;
  }
}
