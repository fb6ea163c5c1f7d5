/** The remaining-time display: ticks every second against the server's clock. */
export class Countdown {
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly element: HTMLElement) {}

  /**
   * Counts down to `deadline` (server ms); `skewMs` = server clock − browser clock. Calls
   * `onWarning` once when less than `warnMs` is left (if it was not already), `onExpired` once.
   */
  start(deadline: number, skewMs: number, onExpired: () => void, warning?: { warnMs: number; onWarning: () => void }): void {
    this.stop();
    let warned = deadline - (Date.now() + skewMs) <= (warning?.warnMs ?? 0);
    const tick = () => {
      const left = deadline - (Date.now() + skewMs);
      this.element.textContent = formatDuration(left);
      this.element.parentElement?.classList.toggle('low', left < (warning?.warnMs ?? 60_000));
      if (!warned && warning && left <= warning.warnMs && left > 0) {
        warned = true;
        warning.onWarning();
      }
      if (left <= 0) {
        this.stop();
        onExpired();
      }
    };
    tick();
    this.#timer = setInterval(tick, 1000);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** `1:05:09`, `4:07`, `0:00`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
