/**
 * When a failed webhook delivery is tried again: exponential backoff from 1 s doubling to at most
 * an hour, each delay drawn between half and all of it (jitter, so endpoints coming back up are
 * not hit by every Tandem process at the same instant). A delivery still failing once the retry
 * window (`TANDEM_WEBHOOK_RETRY_HOURS`) has passed since the event is dead-lettered.
 */
export const FIRST_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 3_600_000;

/** Delay before attempt `attempts + 1`, after `attempts` failed ones; `random` in [0, 1). */
export function retryDelayMs(attempts: number, random: number): number {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

export type FailedAttemptOutcome = { retryAt: number } | { dead: true };

export function afterFailedAttempt(attempts: number, eventAt: number, now: number, retryWindowMs: number, random: number): FailedAttemptOutcome {
  const retryAt = now + retryDelayMs(attempts, random);
  // The last attempt may land just past the window, so that an endpoint down for exactly the
  // window still gets one more try at its end.
  if (now - eventAt >= retryWindowMs) return { dead: true };
  return { retryAt: Math.min(retryAt, eventAt + retryWindowMs) };
}
