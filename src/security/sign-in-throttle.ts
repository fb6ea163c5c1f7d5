import type { Resources } from '../resources.js';
import { countThrottleFailure, deleteStaleThrottleRows, forgetThrottleKey, readThrottleRows, type ThrottleRow } from '../store/sign-in-throttle.js';

export interface ThrottleLimits {
  /** Failed attempts allowed per email within the window, from any address. @defaultValue `10` */
  perEmail: number;
  /** @defaultValue 15 minutes */
  windowMs: number;
  /**
   * Failed attempts per client address, any email, within the window before that address must
   * wait {@link addressBackoffMs} after each further failure. High, because behind a proxy
   * without TANDEM_TRUSTED_PROXIES every worker shares one address. @defaultValue `100`
   */
  perAddress: number;
  /** @defaultValue 30 seconds */
  addressBackoffMs: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = { perEmail: 10, windowMs: 15 * 60 * 1000, perAddress: 100, addressBackoffMs: 30_000 };

/** Stale rows are deleted on one failure in this many (per process). */
const HOUSEKEEPING_EVERY = 200;

/**
 * Throttles password sign-ins of one realm (`portal` or `console`), with its counters in the
 * store so every process sharing it counts the same failures.
 *
 * - Per email (the sign-in name; portal emails are looked up across accounts, so the email is the
 *   account's identity here): after `perEmail` failures in a window, that email is refused, even
 *   with the right password, until the window ends. Only that email is under attack.
 * - Per client address (request.ip: the socket's address, or the X-Forwarded-For client when the
 *   socket is a TANDEM_TRUSTED_PROXIES proxy): after `perAddress` failures across emails, a short
 *   back-off after each further failure. A correct password of another email from that address
 *   waits at most `addressBackoffMs`, never the window.
 *
 * @example
 * const throttle = new SignInThrottle(resources, 'portal');
 * const wait = await throttle.retryAfterMs(request.ip, email);     // > 0: refuse with 429
 * if (!ok) await throttle.recordFailure(request.ip, email); else await throttle.recordSuccess(request.ip, email);
 */
export class SignInThrottle {
  #failuresSinceHousekeeping = 0;

  constructor(
    private readonly resources: Pick<Resources, 'store' | 'clock'>,
    private readonly realm: 'portal' | 'console',
    private readonly limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS,
  ) {}

  /** Milliseconds until another attempt is allowed; 0 when one is allowed now. */
  async retryAfterMs(address: string, email: string): Promise<number> {
    const now = this.resources.clock.now();
    const emailKey = this.#emailKey(email);
    const rows = await readThrottleRows(this.resources.store.db, [emailKey, this.#addressKey(address)]);
    let wait = 0;
    for (const row of rows) {
      if (!this.#inWindow(row, now)) continue;
      if (row.key === emailKey) {
        if (row.failures >= this.limits.perEmail) wait = Math.max(wait, row.window_start + this.limits.windowMs - now);
      } else if (row.failures >= this.limits.perAddress) {
        wait = Math.max(wait, row.last_failure_at + this.limits.addressBackoffMs - now);
      }
    }
    return wait;
  }

  async recordFailure(address: string, email: string): Promise<void> {
    const now = this.resources.clock.now();
    const { db } = this.resources.store;
    await countThrottleFailure(db, [this.#emailKey(email), this.#addressKey(address)], now, now - this.limits.windowMs);
    if (++this.#failuresSinceHousekeeping >= HOUSEKEEPING_EVERY) {
      this.#failuresSinceHousekeeping = 0;
      await deleteStaleThrottleRows(db, now - this.limits.windowMs);
    }
  }

  /** A successful sign-in forgets that email's failures (not the address's). */
  async recordSuccess(_address: string, email: string): Promise<void> {
    await forgetThrottleKey(this.resources.store.db, this.#emailKey(email));
  }

  #inWindow(row: ThrottleRow, now: number): boolean {
    return row.window_start > now - this.limits.windowMs;
  }

  #emailKey(email: string): string {
    return `${this.realm}|email|${email}`;
  }

  #addressKey(address: string): string {
    return `${this.realm}|address|${address}`;
  }
}
