/**
 * The WAI-ARIA tabs pattern as crowd-tabs and crowd-instructions both show it: the tab strip's
 * look, and which tab an arrow key, Home or End moves to.
 */
import { css } from 'lit';

/** A tab strip under a line, the selected tab underlined in the accent colour. */
export const tabListStyles = css`
  [role='tablist'] {
    display: flex;
    gap: 0.25rem;
    border-bottom: 1px solid var(--tandem-border, #b6bcc4);
  }
  [role='tab'] {
    font: inherit;
    background: none;
    border: none;
    border-bottom: 3px solid transparent;
    cursor: pointer;
    color: var(--tandem-muted, #57606a);
  }
  [role='tab'][aria-selected='true'] {
    color: var(--tandem-text, #1f2328);
    border-bottom-color: var(--tandem-accent, #0b5cc4);
    font-weight: 600;
  }
`;

/** The tab `key` moves to from `selected` of `count` (callers wrap or clamp), or undefined for other keys. */
export function tabKeyTarget(key: string, selected: number, count: number): number | undefined {
  const moves: Record<string, number> = { ArrowRight: selected + 1, ArrowLeft: selected - 1, Home: 0, End: count - 1 };
  return moves[key];
}
