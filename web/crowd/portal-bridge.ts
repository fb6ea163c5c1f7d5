/**
 * The contract between a worker template (inside the portal's sandboxed, opaque-origin iframe)
 * and the portal page around it. All traffic is `postMessage`; the template never sees the
 * worker's session.
 *
 * Template → portal (always `window.parent.postMessage(message, '*')`; an opaque-origin frame
 * cannot name the parent's origin, and nothing secret is sent):
 * - `{ type: 'tandem:ready', ownSubmitButton }` once, after every crowd element has rendered and
 *   `all-crowd-elements-ready` has been dispatched. `ownSubmitButton` is true when the template
 *   shows a Submit button of its own (crowd-form's), so the portal hides its own: one Submit
 *   button per task.
 * - `{ type: 'tandem:height', height }` whenever the document's content height (CSS pixels)
 *   changes, so the portal sizes the frame to fit it: no inner scroll bar, nothing cut off.
 * - `{ type: 'tandem:submit', answer }` when crowd-form was submitted, its `submit` event was not
 *   cancelled and every field is valid. `answer` is the answer object (keys = element names).
 * - `{ type: 'tandem:invalid', fields }` when a submission was blocked by validation; `fields`
 *   lists the names of the invalid fields in document order (unnamed fields block too but are
 *   not listed).
 *
 * Portal → template (accepted only from `window.parent`):
 * - `{ type: 'tandem:request-submit' }`: the portal's own Submit button or Enter key; handled
 *   as a press of the form's submit button (nothing happens while that button is disabled).
 * Anything else (for example a skip) is the portal's business and is ignored.
 */
import type { AnswerObject } from './answer.js';

export type TemplateMessage =
  | { type: 'tandem:ready'; ownSubmitButton: boolean }
  | { type: 'tandem:height'; height: number }
  | { type: 'tandem:submit'; answer: AnswerObject }
  | { type: 'tandem:invalid'; fields: string[] };

export type PortalMessage = { type: 'tandem:request-submit' };

/** Sends one message to the portal page. */
export function postToPortal(message: TemplateMessage): void {
  window.parent.postMessage(message, '*');
}

/**
 * Calls `onRequestSubmit` for every `tandem:request-submit` message the parent window sends.
 * Messages from any other window (the template's own frames, popups) are ignored.
 * Returns a function that stops listening.
 */
export function listenToPortal(onRequestSubmit: () => void): () => void {
  const listener = (event: MessageEvent): void => {
    if (event.source !== window.parent || window.parent === window) return;
    const data: unknown = event.data;
    if (isPortalMessage(data)) onRequestSubmit();
  };
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}

function isPortalMessage(data: unknown): data is PortalMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'tandem:request-submit';
}

/**
 * Reports the content height to the portal now and whenever it changes (layout, images
 * loading, dialogs of elements opening inline). The height is the body's bottom edge plus its
 * margin, not the document's scroll height, which never drops below the frame's current height
 * and so could only grow.
 */
export function reportContentHeight(): void {
  let last = -1;
  const report = (): void => {
    const body = document.body;
    if (!body) return;
    const margin = parseFloat(getComputedStyle(body).marginBottom) || 0;
    const height = Math.ceil(body.getBoundingClientRect().bottom + margin + window.scrollY);
    if (height === last) return;
    last = height;
    postToPortal({ type: 'tandem:height', height });
  };
  const observer = new ResizeObserver(report);
  observer.observe(document.documentElement);
  if (document.body) observer.observe(document.body);
  report();
}
