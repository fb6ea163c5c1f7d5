/**
 * The sandboxed frame a task's template runs in, and the messages it posts (see
 * web/crowd/portal-bridge.ts). The frame has an opaque origin, so messages are accepted by their
 * source window only: `event.source` must be this frame's window (`event.origin` is `'null'`).
 */

export type FrameMessage =
  | { type: 'tandem:ready' }
  | { type: 'tandem:submit'; answer: unknown }
  | { type: 'tandem:invalid'; fields: string[] }
  | { type: 'tandem:draft'; answer: unknown };

export class TaskFrame {
  readonly iframe: HTMLIFrameElement;
  #ready = false;
  readonly #listener: (event: MessageEvent) => void;

  constructor(slot: HTMLElement, src: string, title: string, onMessage: (message: FrameMessage) => void) {
    this.iframe = document.createElement('iframe');
    // No allow-same-origin: the template never shares the portal's origin, cookies or API.
    this.iframe.setAttribute('sandbox', 'allow-scripts allow-forms');
    this.iframe.setAttribute('referrerpolicy', 'no-referrer');
    this.iframe.title = `Task: ${title}`;
    this.iframe.src = src;
    this.#listener = (event) => {
      if (event.source === null || event.source !== this.iframe.contentWindow) return;
      const message = parse(event.data);
      if (!message) return;
      if (message.type === 'tandem:ready') this.#ready = true;
      onMessage(message);
    };
    window.addEventListener('message', this.#listener);
    slot.replaceChildren(this.iframe);
  }

  get ready(): boolean {
    return this.#ready;
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
      return { type: 'tandem:ready' };
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
