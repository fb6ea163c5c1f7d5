import type { FastifyBaseLogger } from 'fastify';
import type { TandemConfig } from './config.js';
import type { TandemMetrics } from './observability/metrics.js';
import type { SecretBox } from './security/secret-box.js';
import type { Store } from './store/database.js';

/** Milliseconds since the epoch. Injected so tests move time instead of sleeping. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Everything a subsystem may touch, passed explicitly (trigger.dev's habit): no module reaches
 * for globals, so tests build a Resources with their own store, clock and config.
 */
export interface Resources {
  config: TandemConfig;
  store: Store;
  clock: Clock;
  secrets: SecretBox;
  logger: FastifyBaseLogger;
  /** Prometheus metrics of this process; absent in tests that build resources by hand. */
  metrics?: TandemMetrics;
}

/** Who is calling: the account of the verified access key, in Tandem's region. */
export interface Caller {
  accountId: string;
  region: string;
  accessKeyId?: string;
}
