/**
 * A skip that can be taken back (issue 14): one stray `S` or Esc must not cost a task. The bar
 * with Undo stays for {@link UNDO_WINDOW_MS}; only then does the skip happen.
 */

export const UNDO_WINDOW_MS = 5_000;

export class SkipUndo {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #undo: (() => void) | undefined;

  constructor(
    private readonly bar: HTMLElement,
    button: HTMLButtonElement,
  ) {
    button.addEventListener('click', () => this.takeBack());
    bar.addEventListener('keydown', (event) => {
      if (event.key === 'z' && (event.ctrlKey || event.metaKey)) this.takeBack();
    });
  }

  get active(): boolean {
    return this.#timer !== undefined;
  }

  /** Shows the bar; `commit` runs when the window passes, `undo` if Undo is pressed first. */
  offer(commit: () => void, undo: () => void): void {
    this.#undo = undo;
    this.bar.hidden = false;
    this.bar.querySelector('button')?.focus();
    this.#timer = setTimeout(() => {
      this.close();
      commit();
    }, UNDO_WINDOW_MS);
  }

  private takeBack(): void {
    const undo = this.#undo;
    if (!this.active || !undo) return;
    this.close();
    undo();
  }

  private close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#undo = undefined;
    this.bar.hidden = true;
  }
}
