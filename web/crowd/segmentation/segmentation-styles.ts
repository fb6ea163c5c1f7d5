/** The look of the segmentation elements, on top of the annotators' (annotator-styles.ts). */
import { css } from 'lit';

export const segmentationStyles = css`
  .stage {
    position: relative;
    cursor: crosshair;
    user-select: none;
    touch-action: none;
  }
  .stage > * {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    display: block;
  }
  .stage .mask {
    opacity: 0.55;
    image-rendering: pixelated;
  }
  .stage .overlay {
    pointer-events: none;
    overflow: visible;
  }
  .stage.tool-brush,
  .stage.tool-eraser {
    cursor: none;
  }
  .button[aria-pressed='true'] {
    border-color: var(--tandem-accent, #0b5cc4);
    background: color-mix(in srgb, var(--tandem-accent, #0b5cc4) 14%, transparent);
    font-weight: 600;
  }
  .brush-size {
    display: inline-flex;
    align-items: center;
    gap: 0.3rem;
    font-size: 0.875rem;
  }
  .brush-size input {
    width: 6rem;
  }
`;
