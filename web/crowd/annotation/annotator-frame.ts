/**
 * What every image annotator shows around its drawing surface, the same for the shape tools
 * (annotator-base.ts) and the segmentation tools: header, short instructions with the full ones in
 * a dialog, the tools, the surface, status and error lines, the list of what was drawn and the
 * keyboard shortcuts.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { regionElement, slotRegionChildren } from '../regions.js';

const REGIONS: ReadonlySet<string> = new Set(['short-instructions', 'full-instructions']);

export interface AnnotatorFrame {
  header: string;
  shortInstructions: Element | undefined;
  fullInstructions: Element | undefined;
  announcement: string;
  errorText: string;
  /** The full-instructions dialog in the annotator's shadow root. */
  dialog: () => HTMLDialogElement | null;
  setShortInstructions: (element: Element | undefined) => void;
  setFullInstructions: (element: Element | undefined) => void;
  toolbar: TemplateResult;
  stage: TemplateResult;
  /** What was drawn: shapes, or classes and instances. */
  list: TemplateResult | typeof nothing;
  keyHelp: ReadonlyArray<readonly [string, string]>;
}

export function renderAnnotatorFrame(f: AnnotatorFrame): TemplateResult {
  const fullTitle = f.fullInstructions?.getAttribute('header') || 'Instructions';
  return html`
    ${f.header ? html`<h2 class="header" part="header">${f.header}</h2>` : nothing}
    <div class="instructions" part="instructions" ?hidden=${!f.shortInstructions && !f.fullInstructions}>
      <slot name="short-instructions" @slotchange=${(e: Event) => f.setShortInstructions(regionElement(e))}></slot>
      ${f.fullInstructions
        ? html`<button type="button" class="button link" @click=${() => f.dialog()?.showModal()}>View full instructions</button>`
        : nothing}
    </div>
    <slot hidden @slotchange=${(e: Event) => slotRegionChildren(e, REGIONS)}></slot>
    ${f.toolbar} ${f.stage}
    <div class="status" id="status" role="status" part="status">${f.announcement}</div>
    <div class="error" id="error" part="error" role="alert">${f.errorText}</div>
    ${f.list}
    <details class="keys" part="keys">
      <summary>Keyboard shortcuts</summary>
      <dl id="keys-help">${f.keyHelp.map(([keys, what]) => html`<dt>${keys}</dt><dd>${what}</dd>`)}</dl>
    </details>
    <dialog aria-labelledby="full-title" part="full-instructions">
      <div class="dialog-head">
        <h2 id="full-title">${fullTitle}</h2>
        <button type="button" class="button" @click=${() => f.dialog()?.close()}>Close</button>
      </div>
      <div class="dialog-body"><slot name="full-instructions" @slotchange=${(e: Event) => f.setFullInstructions(regionElement(e))}></slot></div>
    </dialog>
  `;
}

/** A label's colour sample, drawn in SVG so no inline style is needed. */
export function swatch(color: string): TemplateResult {
  return html`<svg class="swatch" viewBox="0 0 1 1" aria-hidden="true"><rect width="1" height="1" fill=${color}></rect></svg>`;
}
