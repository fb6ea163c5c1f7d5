/**
 * The sandboxed frame a task's template runs in, and the messages it posts (see
 * web/crowd/portal-bridge.ts). The frame has an opaque origin, so messages are accepted by their
 * source window only: `event.source` must be this frame's window (`event.origin` is `'null'`).
 */

export type FrameMessage =
  | { type: 'tandem:ready'; ownSubmitButton: boolean }
  | { type: 'tandem:height'; height: number }
  | { type: 'tandem:submit'; answer: unknown }
  | { type: 'tandem:invalid'; fields: string[] }
  | { type: 'tandem:draft'; answer: unknown };

/** Frame height bounds in CSS pixels (content height reported by the template is clamped). */
const MIN_FRAME_HEIGHT = 120;
const MAX_FRAME_HEIGHT = 20_000;

export class TaskFrame {
  readonly iframe: HTMLIFrameElement;
  #ready = false;
  readonly #listener: (event: MessageEvent) => void;

  /** `title`: the frame's accessible name, in the reviewer's language. */
  constructor(slot: HTMLElement, src: string, title: string, onMessage: (message: FrameMessage) => void) {
    this.iframe = document.createElement('iframe');
    // No allow-same-origin: the template never shares the portal's origin, cookies or API.
    this.iframe.setAttribute('sandbox', 'allow-scripts allow-forms');
    this.iframe.setAttribute('referrerpolicy', 'no-referrer');
    this.iframe.title = title;
    this.iframe.src = src;
    this.#listener = (event) => {
      if (event.source === null || event.source !== this.iframe.contentWindow) return;
      const message = parse(event.data);
      if (!message) return;
      if (message.type === 'tandem:ready') this.#ready = true;
      if (message.type === 'tandem:height') this.fitHeight(message.height);
      onMessage(message);
    };
    window.addEventListener('message', this.#listener);
    slot.replaceChildren(this.iframe);
  }

  get ready(): boolean {
    return this.#ready;
  }

  /**
   * Sizes the frame to its content, so it has no scroll bar of its own. Bounded, so a template
   * cannot make the page absurdly long; past the bound the frame scrolls.
   */
  fitHeight(height: number): void {
    const style = getComputedStyle(this.iframe);
    // The reported height is the frame's content box; the stylesheet may add borders and padding.
    const frame = ['borderTopWidth', 'borderBottomWidth', 'paddingTop', 'paddingBottom'] as const;
    const extra = style.boxSizing === 'border-box' ? frame.reduce((sum, side) => sum + (parseFloat(style[side]) || 0), 0) : 0;
    const bounded = Math.min(Math.max(Math.ceil(height), MIN_FRAME_HEIGHT), MAX_FRAME_HEIGHT);
    // A CSSOM property, which the portal's CSP allows (it forbids style attributes).
    this.iframe.style.height = `${Math.ceil(bounded + extra)}px`;
  }

  /** Asks the template's crowd-form to submit (it validates, then posts `tandem:submit` or `tandem:invalid`). */
  requestSubmit(): void {
    // '*': an opaque origin cannot be named; the message carries nothing secret.
    this.iframe.contentWindow?.postMessage({ type: 'tandem:request-submit' }, '*');
  }

  /** Puts a saved draft back into the template's fields (web/crowd/workspace-bridge.ts). */
  restore(answer: unknown): void {
    this.iframe.contentWindow?.postMessage({ type: 'tandem:restore', answer }, '*');
  }

  /** A number key pressed outside the frame: choose option `index` (0-based) of the template's classifier. */
  choose(index: number): void {
    this.iframe.contentWindow?.postMessage({ type: 'tandem:choose', index }, '*');
  }

  remove(): void {
    window.removeEventListener('message', this.#listener);
    this.iframe.remove();
  }
}

function parse(data: unknown): FrameMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const message = data as { type?: unknown; answer?: unknown; fields?: unknown };
  switch (message.type) {
    case 'tandem:ready':
      return { type: 'tandem:ready', ownSubmitButton: (data as { ownSubmitButton?: unknown }).ownSubmitButton === true };
    case 'tandem:height': {
      const height = (data as { height?: unknown }).height;
      return typeof height === 'number' && Number.isFinite(height) ? { type: 'tandem:height', height } : undefined;
    }
    case 'tandem:submit':
      return { type: 'tandem:submit', answer: message.answer };
    case 'tandem:draft':
      return { type: 'tandem:draft', answer: message.answer };
    case 'tandem:invalid':
      return { type: 'tandem:invalid', fields: Array.isArray(message.fields) ? message.fields.filter((f): f is string => typeof f === 'string') : [] };
    default:
      return undefined;
  }
}
