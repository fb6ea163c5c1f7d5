/**
 * Keeps the reviewer's lease while the task page is open (issue 14): a heartbeat every
 * `intervalMs`, one more shortly after the task appears (a reload's closing page may have asked
 * for a release after the new page resumed), and a beacon when the page is hidden for good
 * (tab closed, navigated away), so the task reaches another reviewer within seconds instead of
 * at its time limit. A page restored from the back/forward cache beats at once.
 *
 * Submitting pauses the beats and waits for one in flight ({@link LeaseKeeper.pause}), so no
 * beat reaches the server after the answer that ends the lease; should one still cross it (a
 * second tab), the server says `TaskAnswered` (410), which is no loss and is not reported.
 */
import { ApiError, type PortalApi } from './portal-api.js';

/** The second beat, inside the server's leave grace (10 s). */
const SETTLE_BEAT_MS = 4_000;
/** How long submitting waits for a beat in flight before it goes ahead anyway. */
const IN_FLIGHT_WAIT_MS = 2_000;

export class LeaseKeeper {
  #timers: ReturnType<typeof setTimeout>[] = [];
  #inFlight: Promise<void> | undefined;
  /** Beats answer only while this is true: a late answer after pause or stop is dropped. */
  #active = true;
  readonly #onPageHide = (event: PageTransitionEvent) => {
    // persisted: the page may come back from the back/forward cache; it beats again on pageshow.
    this.api.leaveBeacon(this.taskId);
    if (!event.persisted) this.stop();
  };
  readonly #onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) void this.beat();
  };

  constructor(
    private readonly api: PortalApi,
    private readonly taskId: string,
    private readonly intervalMs: number,
    /** The lease is gone (released, expired, answered elsewhere): 404 from a heartbeat. */
    private readonly onLost: (message: string) => void,
    /** A heartbeat went through: the lease's time limit and the server clock. */
    private readonly onBeat: (leaseExpiresAt: number, serverNow: number) => void,
  ) {
    this.#timers.push(setTimeout(() => void this.beat(), SETTLE_BEAT_MS));
    this.startInterval();
    window.addEventListener('pagehide', this.#onPageHide);
    window.addEventListener('pageshow', this.#onPageShow);
  }

  beat(): Promise<void> {
    if (!this.#active) return Promise.resolve();
    const beat = this.sendBeat().finally(() => {
      if (this.#inFlight === beat) this.#inFlight = undefined;
    });
    this.#inFlight = beat;
    return beat;
  }

  /** The answer is being sent: no more beats, and the one in flight (if any) is answered first. */
  async pause(): Promise<void> {
    this.#active = false;
    this.clearTimers();
    const inFlight = this.#inFlight;
    if (!inFlight) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([inFlight, new Promise<void>((resolve) => (timer = setTimeout(resolve, IN_FLIGHT_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** The answer was not stored and the task stays on screen: beat again. */
  resume(): void {
    if (this.#active) return;
    this.#active = true;
    this.startInterval();
    void this.beat();
  }

  stop(): void {
    this.#active = false;
    this.clearTimers();
    window.removeEventListener('pagehide', this.#onPageHide);
    window.removeEventListener('pageshow', this.#onPageShow);
  }

  private async sendBeat(): Promise<void> {
    try {
      const lease = await this.api.heartbeat(this.taskId);
      if (this.#active) this.onBeat(lease.leaseExpiresAt, lease.serverNow);
    } catch (error) {
      if (!(error instanceof ApiError) || !this.#active) return;
      // Answered by this reviewer: the lease ended as it should; nothing to tell anyone.
      if (error.status === 410 && error.code === 'TaskAnswered') return this.stop();
      // A failed beat on the network is retried by the next one; a refusal means the lease is gone.
      if (error.status === 404) {
        this.stop();
        this.onLost(error.message);
      }
    }
  }

  private startInterval(): void {
    this.#timers.push(setInterval(() => void this.beat(), Math.max(1_000, this.intervalMs)));
  }

  private clearTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers = [];
  }
}
