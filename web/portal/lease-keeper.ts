/**
 * Keeps the reviewer's lease while the task page is open (issue 14): a heartbeat every
 * `intervalMs`, one more shortly after the task appears (a reload's closing page may have asked
 * for a release after the new page resumed), and a beacon when the page is hidden for good
 * (tab closed, navigated away), so the task reaches another reviewer within seconds instead of
 * at its time limit. A page restored from the back/forward cache beats at once.
 */
import { ApiError, type PortalApi } from './portal-api.js';

/** The second beat, inside the server's leave grace (10 s). */
const SETTLE_BEAT_MS = 4_000;

export class LeaseKeeper {
  #timers: ReturnType<typeof setTimeout>[] = [];
  #inFlight: Promise<void> = Promise.resolve();
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
    intervalMs: number,
    /** The lease is gone (released, expired, answered elsewhere): 404 from a heartbeat. */
    private readonly onLost: (message: string) => void,
    /** A heartbeat went through: the lease's time limit and the server clock. */
    private readonly onBeat: (leaseExpiresAt: number, serverNow: number) => void,
  ) {
    this.#timers.push(setTimeout(() => void this.beat(), SETTLE_BEAT_MS));
    this.#timers.push(setInterval(() => void this.beat(), Math.max(1_000, intervalMs)));
    window.addEventListener('pagehide', this.#onPageHide);
    window.addEventListener('pageshow', this.#onPageShow);
  }

  beat(): Promise<void> {
    this.#inFlight = this.#beatOnce();
    return this.#inFlight;
  }

  /**
   * Stops beating and waits for a beat already on its way: sending the answer after it means
   * no beat reaches the server after the answer, where it would be refused (a 404 in the console).
   */
  async stopAndSettle(): Promise<void> {
    this.stop();
    await this.#inFlight;
  }

  async #beatOnce(): Promise<void> {
    try {
      const lease = await this.api.heartbeat(this.taskId);
      this.onBeat(lease.leaseExpiresAt, lease.serverNow);
    } catch (error) {
      // A failed beat on the network is retried by the next one; a refusal means the lease is gone.
      if (error instanceof ApiError && error.status === 404) {
        this.stop();
        this.onLost(error.message);
      }
    }
  }

  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers = [];
    window.removeEventListener('pagehide', this.#onPageHide);
    window.removeEventListener('pageshow', this.#onPageShow);
  }
}
