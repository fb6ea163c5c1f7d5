/**
 * The look of the crowd elements: neutral, system font, visible focus rings. Colours and sizes
 * are custom properties set on `:root` (with zero specificity), so a template may override them.
 * Everything goes through constructable stylesheets, which the portal's strict CSP allows (no
 * inline `<style>` or `style=""` is ever created).
 */
import { css } from 'lit';

const DOCUMENT_CSS = `
:where(:root) {
  --tandem-font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --tandem-text: #1f2328;
  --tandem-muted: #57606a;
  --tandem-border: #b6bcc4;
  --tandem-surface: #ffffff;
  --tandem-subtle: #f4f5f7;
  --tandem-accent: #0b5cc4;
  --tandem-accent-hover: #094a9e;
  --tandem-on-accent: #ffffff;
  --tandem-focus: #0b5cc4;
  --tandem-danger: #b42318;
  --tandem-radius: 6px;
}
:where(crowd-form) { display: block; font-family: var(--tandem-font); color: var(--tandem-text); line-height: 1.45; }
:where(crowd-form) > form.tandem-form { display: contents; }
:where(classification-target, short-instructions, full-instructions, short-summary,
  detailed-instructions, positive-example, negative-example) { display: block; }
:where(crowd-button.tandem-auto-submit) { display: block; width: max-content; margin-top: 1rem; }
:where(.tandem-field-error) { display: block; color: var(--tandem-danger); font-size: 0.875em; margin: 0.25em 0 0.5em; }
:where(input, select, textarea)[aria-invalid="true"] { outline: 2px solid var(--tandem-danger); outline-offset: 1px; }
`;

/** Adds the document-level rules (custom properties, form layout, native-field errors) once. */
export function installDocumentStyles(doc: Document = document): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(DOCUMENT_CSS);
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
}

/** Base rules every crowd element's shadow root starts from. */
export const baseStyles = css`
  :host {
    font-family: var(--tandem-font, system-ui, sans-serif);
    color: var(--tandem-text, #1f2328);
    line-height: 1.45;
    box-sizing: border-box;
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--tandem-focus, #0b5cc4);
    outline-offset: 2px;
  }
  .error {
    color: var(--tandem-danger, #b42318);
    font-size: 0.875rem;
    margin: 0.25rem 0 0;
  }
  .error:empty {
    display: none;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

/** Rules for native text controls inside shadow roots (crowd-input, crowd-text-area, comments). */
export const textControlStyles = css`
  .field-label {
    display: block;
    font-weight: 600;
    margin-bottom: 0.25rem;
  }
  input,
  textarea {
    font: inherit;
    color: inherit;
    width: 100%;
    padding: 0.45rem 0.6rem;
    border: 1px solid var(--tandem-border, #b6bcc4);
    border-radius: var(--tandem-radius, 6px);
    background: var(--tandem-surface, #fff);
  }
  textarea {
    resize: vertical;
  }
  input:focus-visible,
  textarea:focus-visible {
    outline-offset: 0;
    border-color: var(--tandem-focus, #0b5cc4);
  }
  [aria-invalid='true'] {
    border-color: var(--tandem-danger, #b42318);
  }
  input:disabled,
  textarea:disabled {
    background: var(--tandem-subtle, #f4f5f7);
    color: var(--tandem-muted, #57606a);
  }
`;

/** Rules for real `<button>`s rendered by crowd elements (crowd-button, dialogs, links). */
export const buttonStyles = css`
  .button {
    font: inherit;
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    padding: 0.45rem 1rem;
    border-radius: var(--tandem-radius, 6px);
    border: 1px solid var(--tandem-border, #b6bcc4);
    background: var(--tandem-surface, #fff);
    color: var(--tandem-text, #1f2328);
    cursor: pointer;
    text-decoration: none;
    line-height: 1.3;
  }
  .button:hover {
    background: var(--tandem-subtle, #f4f5f7);
  }
  .button.primary {
    background: var(--tandem-accent, #0b5cc4);
    border-color: var(--tandem-accent, #0b5cc4);
    color: var(--tandem-on-accent, #fff);
    font-weight: 600;
  }
  .button.primary:hover {
    background: var(--tandem-accent-hover, #094a9e);
  }
  .button.link {
    border-color: transparent;
    background: none;
    color: var(--tandem-accent, #0b5cc4);
    text-decoration: underline;
    padding-inline: 0.2rem;
  }
  .button:disabled,
  .button[aria-disabled='true'] {
    opacity: 0.55;
    cursor: not-allowed;
  }
`;

/** Modal dialog rules shared by crowd-instructions and the classifiers' full instructions. */
export const dialogStyles = css`
  dialog {
    border: none;
    border-radius: 10px;
    padding: 0;
    width: min(48rem, calc(100vw - 2rem));
    max-height: calc(100vh - 2rem);
    box-shadow: 0 12px 40px rgb(0 0 0 / 25%);
    color: inherit;
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 40%);
  }
  .dialog-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    padding: 0.75rem 1rem;
    border-bottom: 1px solid var(--tandem-border, #b6bcc4);
  }
  .dialog-head h2 {
    margin: 0;
    font-size: 1.1rem;
  }
  .dialog-body {
    padding: 1rem;
    overflow: auto;
  }
`;
