import type { Clock } from '../resources.js';

export interface ThrottleLimits {
  /** Failed attempts allowed per client address and email within the window. @defaultValue `10` */
  perEmail: number;
  /** Failed attempts allowed per client address, any email, within the window. @defaultValue `50` */
  perAddress: number;
  /** @defaultValue 15 minutes */
  windowMs: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = { perEmail: 10, perAddress: 50, windowMs: 15 * 60 * 1000 };

/** Keys tracked at most; the oldest are forgotten first, so a flood of addresses cannot grow memory without bound. */
const MAX_KEYS = 50_000;

/**
 * Counts failed sign-ins per (client address, email) and per client address over a sliding
 * window, in this process's memory. Behind a load balancer each process counts on its own, so the
 * effective limit is the per-process limit times the number of processes.
 *
 * @example
 * const throttle = new SignInThrottle(resources.clock);
 * const wait = throttle.retryAfterMs(ip, email);     // > 0: refuse with 429
 * if (!ok) throttle.recordFailure(ip, email); else throttle.recordSuccess(ip, email);
 */
export class SignInThrottle {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS,
  ) {}

  /** Milliseconds until another attempt is allowed; 0 when one is allowed now. */
  retryAfterMs(address: string, email: string): number {
    const now = this.clock.now();
    return Math.max(
      this.#wait(`e:${address}|${email}`, this.limits.perEmail, now),
      this.#wait(`a:${address}`, this.limits.perAddress, now),
    );
  }

  recordFailure(address: string, email: string): void {
    const now = this.clock.now();
    this.#push(`e:${address}|${email}`, now);
    this.#push(`a:${address}`, now);
  }

  /** A successful sign-in forgets that pair's failures (not the address's). */
  recordSuccess(address: string, email: string): void {
    this.#failures.delete(`e:${address}|${email}`);
  }

  #recent(key: string, now: number): number[] {
    const times = this.#failures.get(key);
    if (!times) return [];
    const recent = times.filter((t) => t > now - this.limits.windowMs);
    if (recent.length === 0) this.#failures.delete(key);
    else if (recent.length !== times.length) this.#failures.set(key, recent);
    return recent;
  }

  #wait(key: string, limit: number, now: number): number {
    const recent = this.#recent(key, now);
    if (recent.length < limit) return 0;
    // The window reopens when the oldest failure that still counts leaves it.
    return recent[recent.length - limit]! + this.limits.windowMs - now;
  }

  #push(key: string, now: number): void {
    const recent = this.#recent(key, now);
    recent.push(now);
    this.#failures.delete(key); // re-insert: Map order is the eviction order
    this.#failures.set(key, recent);
    if (this.#failures.size > MAX_KEYS) this.#failures.delete(this.#failures.keys().next().value!);
  }
}
