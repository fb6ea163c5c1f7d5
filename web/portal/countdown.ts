/** The remaining-time display: ticks every second against the server's clock. */
export class Countdown {
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly element: HTMLElement) {}

  /** Counts down to `deadline` (server ms); `skewMs` = server clock − browser clock. Calls `onExpired` once. */
  start(deadline: number, skewMs: number, onExpired: () => void): void {
    this.stop();
    const tick = () => {
      const left = deadline - (Date.now() + skewMs);
      this.element.textContent = formatDuration(left);
      this.element.parentElement?.classList.toggle('low', left < 60_000);
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
