import type { EngineTask } from './engine.js';
import { removeRetiredLoops } from '../store/retention.js';

/**
 * Loops per transaction. Small, so one batch holds SQLite's single connection (and the request
 * thread, where better-sqlite3 runs) for a few milliseconds only; the engine runs the next batch
 * at once while there is work, letting requests in between.
 */
export const RETENTION_BATCH = 100;

const DAY_MS = 86_400_000;

/**
 * With `retentionDays` set, removes Completed, Failed and Stopped loops that ended more than
 * that many days ago, with their review slots and answers (their output.json stays). Loops in
 * progress or stopping are never removed, whatever their age.
 */
export const retentionTask: EngineTask = {
  name: 'retention',
  idleIntervalMs: 60_000,
  async run(resources) {
    const days = resources.config.retentionDays;
    if (days === undefined) return 0;
    return removeRetiredLoops(resources.store.db, resources.clock.now() - days * DAY_MS, RETENTION_BATCH);
  },
};
