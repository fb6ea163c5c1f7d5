/**
 * The task page's behaviour: claim the next task, show it, submit or skip it, and load the next
 * one without reloading the page. The template runs in a sandboxed frame (task-frame.ts); this
 * page holds the session and talks to the API (portal-api.ts).
 */
import { Countdown } from './countdown.js';
import { ApiError, type PortalApi, type PortalTask, type TaskResponse } from './portal-api.js';
import { TaskFrame, type FrameMessage } from './task-frame.js';

/** How often an idle page asks for work. */
const POLL_INTERVAL_MS = 5000;

export interface TaskPageElements {
  status: HTMLElement;
  waiting: HTMLElement;
  checkAgain: HTMLButtonElement;
  taskPanel: HTMLElement;
  title: HTMLElement;
  description: HTMLElement;
  timeLeft: HTMLElement;
  frameSlot: HTMLElement;
  submit: HTMLButtonElement;
  skip: HTMLButtonElement;
}

export class TaskPage {
  #task: PortalTask | undefined;
  #frame: TaskFrame | undefined;
  #busy = false;
  #expired = false;
  #poll: ReturnType<typeof setTimeout> | undefined;
  readonly #countdown: Countdown;

  constructor(
    private readonly api: PortalApi,
    private readonly el: TaskPageElements,
  ) {
    this.#countdown = new Countdown(el.timeLeft);
    el.submit.addEventListener('click', () => this.submit());
    el.skip.addEventListener('click', () => void this.skip());
    el.checkAgain.addEventListener('click', () => void this.loadNext());
    document.addEventListener('keydown', (event) => this.onKey(event));
  }

  /** Resumes the task named in the address (after a reload), else claims the next one. */
  async start(): Promise<void> {
    const held = new URLSearchParams(location.search).get('task');
    if (held) {
      try {
        return this.show(await this.api.resumeTask(held));
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 404) return this.fail(error);
      }
    }
    await this.loadNext();
  }

  async loadNext(note?: string): Promise<void> {
    clearTimeout(this.#poll);
    this.#busy = true;
    try {
      this.show(await this.api.nextTask(), note);
    } catch (error) {
      this.fail(error);
    } finally {
      this.#busy = false;
    }
  }

  private show(response: TaskResponse, note?: string): void {
    this.#frame?.remove();
    this.#frame = undefined;
    this.#countdown.stop();
    this.#task = response.task ?? undefined;
    this.#expired = false;
    const task = response.task;
    if (!task) {
      this.el.taskPanel.hidden = true;
      this.el.waiting.hidden = false;
      history.replaceState(null, '', '/portal/work');
      this.say(note);
      this.#poll = setTimeout(() => void this.loadNext(), POLL_INTERVAL_MS);
      return;
    }
    this.el.waiting.hidden = true;
    this.el.taskPanel.hidden = false;
    this.el.title.textContent = task.title;
    this.el.description.textContent = task.description;
    history.replaceState(null, '', `/portal/work?task=${encodeURIComponent(task.taskId)}`);
    this.#countdown.start(task.leaseExpiresAt, response.serverNow - Date.now(), () => this.onExpired());
    this.el.skip.disabled = false;
    this.el.submit.disabled = true;
    this.el.submit.hidden = false;
    if (task.renderError) {
      this.el.frameSlot.replaceChildren();
      this.say(task.renderError, 'error');
      return;
    }
    this.say(note ?? 'Loading the task…');
    this.#frame = new TaskFrame(this.el.frameSlot, task.frameUrl, task.title, (message) => void this.onFrameMessage(message));
  }

  private async onFrameMessage(message: FrameMessage): Promise<void> {
    const task = this.#task;
    if (!task) return;
    if (message.type === 'tandem:height') return;
    if (message.type === 'tandem:ready') {
      // One Submit button per task: the template's own when it shows one, else the portal's.
      this.el.submit.hidden = message.ownSubmitButton;
      if (!this.#expired) this.el.submit.disabled = false;
      if (this.el.status.dataset.kind !== 'error' && this.el.status.textContent === 'Loading the task…') this.say(undefined);
      return;
    }
    if (message.type === 'tandem:invalid') {
      const fields = message.fields.length > 0 ? `: ${message.fields.join(', ')}` : '';
      this.say(`Some answers are missing or not valid${fields}. Fix them in the task, then submit again.`, 'error');
      return;
    }
    if (this.#busy || this.#expired) return;
    this.#busy = true;
    this.setButtons(false);
    this.say('Saving your answer…');
    try {
      await this.api.submitAnswer(task.taskId, message.answer);
    } catch (error) {
      this.#busy = false;
      this.setButtons(true);
      return this.fail(error, 'Your answer was not saved.');
    }
    this.#busy = false;
    await this.loadNext('Answer saved.');
  }

  /** Submit button or Enter: the template's crowd-form validates and posts its answer back. */
  submit(): void {
    if (this.#busy || !this.#frame || this.el.submit.disabled) return;
    this.#frame.requestSubmit();
  }

  /** Skip button, S or Escape: give the task back (it is not offered to this worker again) and move on. */
  async skip(): Promise<void> {
    const task = this.#task;
    if (this.#busy || !task) return;
    this.#busy = true;
    this.setButtons(false);
    try {
      await this.api.releaseTask(task.taskId);
    } catch (error) {
      // A task that is no longer ours (expired, stopped, already answered) needs no release.
      if (!(error instanceof ApiError) || error.status !== 404) {
        this.#busy = false;
        this.setButtons(true);
        return this.fail(error);
      }
    }
    this.#busy = false;
    await this.loadNext('Task skipped.');
  }

  private onExpired(): void {
    this.#expired = true;
    this.el.submit.disabled = true;
    this.say('Your time for this task ran out; it went back to the queue. Press Skip for the next task.', 'error');
  }

  private onKey(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
    const target = event.target as HTMLElement | null;
    // Controls keep their own keys (Enter on a focused button already clicks it).
    if (target && target.closest('button, a, input, textarea, select, [contenteditable]')) return;
    if (this.el.taskPanel.hidden) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      this.submit();
    } else if (event.key === 's' || event.key === 'S' || event.key === 'Escape') {
      event.preventDefault();
      void this.skip();
    }
  }

  private fail(error: unknown, prefix?: string): void {
    if (error instanceof ApiError && error.status === 401) {
      location.assign('/portal?ended');
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const gone = error instanceof ApiError && (error.status === 404 || error.status === 409);
    this.say([prefix, message, gone ? 'Press Skip for the next task.' : ''].filter(Boolean).join(' '), 'error');
  }

  private setButtons(enabled: boolean): void {
    this.el.submit.disabled = !enabled || this.#expired || !this.#frame?.ready;
    this.el.skip.disabled = !enabled;
  }

  private say(message: string | undefined, kind: 'info' | 'error' = 'info'): void {
    const status = this.el.status;
    status.hidden = !message;
    status.textContent = message ?? '';
    status.dataset.kind = kind;
    status.classList.toggle('error', kind === 'error');
  }
}
