import { releaseIdleLeases } from '../operations/lease-activity.js';
import type { EngineTask } from './engine.js';

/** A lease whose task page stopped sending heartbeats (or closed) returns its slot to the queue. */
export const releaseIdleLeasesTask: EngineTask = {
  name: 'release-idle-leases',
  idleIntervalMs: 1_000,
  run: (resources) => releaseIdleLeases(resources),
};
