/**
 * The task page's behaviour: claim the next task, show it, submit or skip it, and load the next
 * one without reloading the page. The template runs in a sandboxed frame (task-frame.ts); this
 * page holds the session and talks to the API (portal-api.ts). The lease follows the page
 * (lease-keeper.ts), drafts and unsent answers survive reloads (saved-work.ts, answer-sender.ts),
 * and a skip can be undone for a few seconds (skip-undo.ts).
 */
import { newSubmissionId, sendAnswerUntilStored } from './answer-sender.js';
import { Countdown } from './countdown.js';
import { LeaseKeeper } from './lease-keeper.js';
import { ApiError, type PortalApi, type PortalTask, type TaskResponse } from './portal-api.js';
import type { Translate } from '../../src/i18n/portal-messages.js';
import type { SavedWork } from './saved-work.js';
import { SkipUndo } from './skip-undo.js';
import { TaskFrame, type FrameMessage } from './task-frame.js';

/** How often an idle page asks for work. */
const POLL_INTERVAL_MS = 5000;
/** The remaining-time warning: a minute before the end, or a fifth of a short time limit. */
const WARN_BEFORE_MS = 60_000;

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
  undoBar: HTMLElement;
  undo: HTMLButtonElement;
  shortcuts: HTMLDialogElement;
}

export class TaskPage {
  #task: PortalTask | undefined;
  #frame: TaskFrame | undefined;
  #keeper: LeaseKeeper | undefined;
  #busy = false;
  #expired = false;
  #skewMs = 0;
  #poll: ReturnType<typeof setTimeout> | undefined;
  readonly #countdown: Countdown;
  readonly #skipUndo: SkipUndo;

  constructor(
    private readonly api: PortalApi,
    private readonly el: TaskPageElements,
    private readonly saved: SavedWork,
    private readonly t: Translate,
  ) {
    this.#countdown = new Countdown(el.timeLeft);
    this.#skipUndo = new SkipUndo(el.undoBar, el.undo);
    el.submit.addEventListener('click', () => this.submit());
    el.skip.addEventListener('click', () => this.skip());
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
        this.saved.forget(held);
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
    this.#keeper?.stop();
    this.#keeper = undefined;
    this.#countdown.stop();
    this.#task = response.task ?? undefined;
    this.#expired = false;
    this.#skewMs = response.serverNow - Date.now();
    this.saved.prune(response.serverNow);
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
    this.#keeper = new LeaseKeeper(
      this.api,
      task.taskId,
      task.heartbeatIntervalMs,
      (message) => this.onLeaseLost(message),
      (_leaseExpiresAt, serverNow) => (this.#skewMs = serverNow - Date.now()),
    );
    const warnMs = Math.min(WARN_BEFORE_MS, (task.timeLimitSeconds * 1000) / 5);
    this.#countdown.start(task.leaseExpiresAt, this.#skewMs, () => this.onExpired(), {
      warnMs,
      onWarning: () => this.say(this.t('live.warning', { seconds: Math.ceil(warnMs / 1000) }), 'error'),
    });
    this.el.skip.disabled = false;
    this.el.submit.disabled = true;
    this.el.submit.hidden = false;
    if (task.renderError) {
      this.el.frameSlot.replaceChildren();
      this.say(task.renderError, 'error');
      return;
    }
    // The live region announces the new task (after what happened to the last one, if anything).
    this.say([note, this.t('live.newTask', { title: task.title })].filter(Boolean).join(' '));
    this.#frame = new TaskFrame(this.el.frameSlot, task.frameUrl, this.t('work.frameTitle', { title: task.title }), (message) => void this.onFrameMessage(message));
    // An answer submitted before a reload or crash, never confirmed: send it now.
    const pending = this.saved.pending(task.taskId);
    if (pending) void this.send(task, pending.answer, pending.submissionId);
  }

  private async onFrameMessage(message: FrameMessage): Promise<void> {
    const task = this.#task;
    if (!task) return;
    if (message.type === 'tandem:height') return;
    if (message.type === 'tandem:ready') {
      // One Submit button per task: the template's own when it shows one, else the portal's.
      this.el.submit.hidden = message.ownSubmitButton;
      if (!this.#expired) this.el.submit.disabled = false;
      const draft = this.saved.draft(task.taskId);
      if (draft) {
        this.#frame?.restore(draft.answer);
        this.say(this.t('live.restored'));
      }
      return;
    }
    if (message.type === 'tandem:draft') {
      // While the answer is being sent, a late draft would outlive the stored answer.
      if (this.#busy) return;
      this.saved.saveDraft(task.taskId, { answer: message.answer, leaseExpiresAt: task.leaseExpiresAt });
      if (this.el.status.dataset.kind === 'error' && this.el.status.dataset.invalid === 'true') this.say(undefined);
      return;
    }
    if (message.type === 'tandem:invalid') {
      const fields = message.fields.join(', ');
      this.say(fields ? this.t('live.invalidFields', { fields }) : this.t('live.invalid'), 'error');
      this.el.status.dataset.invalid = 'true';
      return;
    }
    if (this.#busy || this.#expired) return;
    const submissionId = newSubmissionId();
    this.saved.savePending(task.taskId, { answer: message.answer, submissionId, leaseExpiresAt: task.leaseExpiresAt });
    await this.send(task, message.answer, submissionId);
  }

  /** Sends the answer, retrying on the network (answer-sender.ts), then moves on. */
  private async send(task: PortalTask, answer: unknown, submissionId: string): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.setButtons(false);
    this.say(this.t('live.saving'));
    // No heartbeat may cross the answer that ends the lease (lease-keeper.ts).
    await this.#keeper?.pause();
    const outcome = await sendAnswerUntilStored(
      this.api,
      task.taskId,
      answer,
      submissionId,
      (attempt, offline) => this.say(this.t(offline ? 'live.retryOffline' : 'live.retryServer', { attempt }), 'error'),
      () => this.#task !== task,
    );
    this.#busy = false;
    if (!outcome.ok) {
      // Refused for good (lease gone, loop stopped): nothing will send it; the draft stays until the lease ends.
      this.saved.savePending(task.taskId, { answer, submissionId, leaseExpiresAt: 0 });
      this.setButtons(true);
      // Refused but still held (an answer the server will not take): keep the lease while it is fixed.
      if (!(outcome.error instanceof ApiError && outcome.error.status === 404) && this.#task === task) this.#keeper?.resume();
      return this.fail(outcome.error, this.t('live.notSaved'));
    }
    this.saved.forget(task.taskId);
    this.#keeper?.stop();
    await this.loadNext(this.t('live.saved'));
  }

  /** Submit button or Enter: the template's crowd-form validates and posts its answer back. */
  submit(): void {
    if (this.#busy || !this.#frame || this.el.submit.disabled) return;
    this.#frame.requestSubmit();
  }

  /**
   * Skip button, S or Escape: the task leaves the screen at once, with Undo offered for a few
   * seconds; only then is it given back (and not offered to this reviewer again). Undo shows the
   * same task again: the lease was never let go.
   */
  skip(): void {
    const task = this.#task;
    if (this.#busy || !task || this.#skipUndo.active) return;
    this.el.taskPanel.hidden = true;
    this.say(undefined);
    this.#skipUndo.offer(
      () => void this.release(task),
      () => {
        this.el.taskPanel.hidden = false;
        this.say(this.t('live.skipUndone'));
        this.el.submit.focus();
      },
    );
  }

  private async release(task: PortalTask): Promise<void> {
    this.#busy = true;
    try {
      await this.api.releaseTask(task.taskId);
    } catch (error) {
      // A task that is no longer ours (expired, stopped, already answered) needs no release.
      if (!(error instanceof ApiError) || error.status !== 404) {
        this.#busy = false;
        this.el.taskPanel.hidden = false;
        return this.fail(error);
      }
    }
    this.saved.forget(task.taskId);
    this.#busy = false;
    await this.loadNext(this.t('live.skipped'));
  }

  private onExpired(): void {
    this.#expired = true;
    this.el.submit.disabled = true;
    this.say(this.t('live.expired'), 'error');
  }

  /** Submit stays enabled: should the page be wrong, the server takes the answer; else it explains why not. */
  private onLeaseLost(message: string): void {
    this.#countdown.stop();
    this.say(`${message} ${this.t('live.pressSkip')}`, 'error');
  }

  private onKey(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
    if (event.key === '?') {
      event.preventDefault();
      if (!this.el.shortcuts.open) this.el.shortcuts.showModal();
      return;
    }
    const target = event.target as HTMLElement | null;
    // Controls keep their own keys (Enter on a focused button already clicks it).
    if (target && target.closest('button, a, input, textarea, select, [contenteditable], dialog')) return;
    if (this.el.taskPanel.hidden) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      this.submit();
    } else if (event.key === 's' || event.key === 'S' || event.key === 'Escape') {
      event.preventDefault();
      this.skip();
    } else if (/^[1-9]$/.test(event.key) && this.#frame) {
      event.preventDefault();
      this.#frame.choose(Number(event.key) - 1);
    }
  }

  private fail(error: unknown, prefix?: string): void {
    if (error instanceof ApiError && error.status === 401) {
      location.assign('/portal?ended');
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const gone = error instanceof ApiError && (error.status === 404 || error.status === 409);
    this.say([prefix, message, gone ? this.t('live.pressSkip') : ''].filter(Boolean).join(' '), 'error');
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
    status.dataset.invalid = 'false';
    status.classList.toggle('error', kind === 'error');
  }
}
