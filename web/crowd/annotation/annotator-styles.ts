/** The look of the image annotators (toolbar, stage, shape list). */
import { css } from 'lit';

export const annotatorStyles = css`
  :host {
    display: block;
    margin: 0.5rem 0;
  }
  .header {
    font-size: 1.15rem;
    margin: 0 0 0.5rem;
  }
  .instructions {
    background: var(--tandem-subtle, #f4f5f7);
    border-radius: var(--tandem-radius, 6px);
    padding: 0.5rem 0.75rem;
    margin-bottom: 0.5rem;
  }
  .instructions[hidden] {
    display: none;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem 0.75rem;
    align-items: center;
    margin-bottom: 0.5rem;
  }
  .labels {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    border: 0;
    margin: 0;
    padding: 0;
  }
  .labels legend {
    float: left;
    font-weight: 600;
    margin-right: 0.4rem;
    padding: 0.25rem 0;
  }
  .label {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    padding: 0.2rem 0.5rem;
    border: 1px solid var(--tandem-border, #b6bcc4);
    border-radius: 999px;
    cursor: pointer;
  }
  .label:has(input:checked) {
    border-color: var(--tandem-accent, #0b5cc4);
    background: color-mix(in srgb, var(--tandem-accent, #0b5cc4) 12%, transparent);
    font-weight: 600;
  }
  .label input {
    margin: 0;
    accent-color: var(--tandem-accent, #0b5cc4);
  }
  .swatch {
    width: 0.8rem;
    height: 0.8rem;
    border-radius: 2px;
    display: inline-block;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
  }
  .actions .button {
    padding: 0.25rem 0.6rem;
  }
  .viewport {
    position: relative;
    overflow: auto;
    max-width: 100%;
    border: 1px solid var(--tandem-border, #b6bcc4);
    border-radius: var(--tandem-radius, 6px);
    background: #20252b;
    touch-action: none;
  }
  .viewport.fit {
    overflow: hidden;
  }
  .viewport:focus-visible {
    outline: 3px solid var(--tandem-focus, #0b5cc4);
    outline-offset: 2px;
  }
  svg {
    display: block;
    cursor: crosshair;
    user-select: none;
  }
  .shape {
    cursor: move;
  }
  .shape.selected {
    stroke-dasharray: 6 3;
  }
  .handle {
    fill: #fff;
    stroke: #111;
    cursor: pointer;
  }
  .handle.active {
    fill: #ffd54a;
  }
  .tag {
    paint-order: stroke;
    stroke: #000;
    stroke-width: 3px;
    fill: #fff;
    font-family: var(--tandem-font, system-ui, sans-serif);
    pointer-events: none;
  }
  .status {
    font-size: 0.875rem;
    color: var(--tandem-muted, #57606a);
    margin: 0.35rem 0;
  }
  .shapes {
    list-style: none;
    margin: 0.5rem 0 0;
    padding: 0;
    display: grid;
    gap: 0.25rem;
  }
  .shapes li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4rem;
  }
  .shapes li.selected .shape-name {
    font-weight: 700;
    border-color: var(--tandem-accent, #0b5cc4);
  }
  .shapes select {
    font: inherit;
    padding: 0.2rem;
    border-radius: 4px;
    border: 1px solid var(--tandem-border, #b6bcc4);
    max-width: 12rem;
  }
  .shapes .button {
    padding: 0.2rem 0.55rem;
  }
  details.keys {
    font-size: 0.875rem;
    margin-top: 0.5rem;
  }
  details.keys dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.15rem 0.75rem;
    margin: 0.4rem 0 0;
  }
  details.keys dd {
    margin: 0;
  }
  kbd {
    border: 1px solid #aab7c4;
    border-bottom-width: 2px;
    border-radius: 4px;
    padding: 0 0.3em;
    font: 0.85em/1.4 ui-monospace, monospace;
  }
`;
