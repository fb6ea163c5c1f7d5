/**
 * `<crowd-image-classifier name="category" src="…" categories="['Cat','Dog']" header="…">` with
 * regions `<short-instructions>`, `<full-instructions>` and `<worker-comment header link-text
 * placeholder>`. Answer: `{ "<name>": { "label": "<category>", "workerComment": "<text>" } }`,
 * `workerComment` present only when the worker wrote one (crowd-image-classifier doc).
 * The `overlay` attribute (verification tasks) is not drawn yet.
 */
import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { JsonValue } from './answer.js';
import { CLASSIFIER_REGIONS, ClassifierBase } from './classifier-base.js';
import { regionElement } from './regions.js';
import { textControlStyles } from './styles.js';

const IMAGE_CLASSIFIER_REGIONS: ReadonlySet<string> = new Set([...CLASSIFIER_REGIONS, 'worker-comment']);
const DEFAULT_COMMENT_TEXT = 'Add a comment.';

export class CrowdImageClassifier extends ClassifierBase {
  static override styles = [
    ...ClassifierBase.styles,
    textControlStyles,
    css`
      .image {
        display: block;
        max-width: 100%;
        height: auto;
        border-radius: var(--tandem-radius, 6px);
      }
      .comment {
        margin-top: 0.75rem;
      }
      .comment textarea {
        margin-top: 0.25rem;
      }
    `,
  ];

  /** URL of the image to classify. */
  @property() src = '';

  @state() private commentRegion: Element | undefined;
  @state() private commentOpen = false;
  private comment = '';

  /** The worker's comment ('' when none). */
  get workerComment(): string {
    return this.comment;
  }

  protected override get regionNames(): ReadonlySet<string> {
    return IMAGE_CLASSIFIER_REGIONS;
  }

  protected override extraAnswer(): { [key: string]: JsonValue } {
    return this.commentRegion && this.comment.trim() !== '' ? { workerComment: this.comment } : {};
  }

  override resetValue(): void {
    super.resetValue();
    this.comment = '';
    this.commentOpen = false;
  }

  protected override renderTarget() {
    return this.src
      ? html`<img class="image" part="image" src=${this.src} alt=${this.header || 'Image to classify'} />`
      : html``;
  }

  protected override renderAfterCategories() {
    const region = this.commentRegion;
    const slot = html`<slot name="worker-comment" hidden @slotchange=${(e: Event) => (this.commentRegion = regionElement(e))}></slot>`;
    if (!region) return slot;
    const linkText = region.getAttribute('link-text') || DEFAULT_COMMENT_TEXT;
    const header = region.getAttribute('header') || DEFAULT_COMMENT_TEXT;
    return html`${slot}
      <div class="comment" part="worker-comment">
        <button
          type="button"
          class="button link"
          aria-expanded=${this.commentOpen ? 'true' : 'false'}
          aria-controls="comment-box"
          @click=${() => (this.commentOpen = !this.commentOpen)}
        >
          ${linkText}
        </button>
        <div id="comment-box" ?hidden=${!this.commentOpen}>
          <label class="field-label" for="comment">${header}</label>
          <textarea
            id="comment"
            rows="3"
            placeholder=${region.getAttribute('placeholder') || nothing}
            .value=${live(this.comment)}
            @input=${(e: Event) => (this.comment = (e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </div>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crowd-image-classifier': CrowdImageClassifier;
  }
}
