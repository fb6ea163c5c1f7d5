import { completeAnsweredLoops } from '../operations/completion.js';
import { expireOverdueLoops } from '../operations/reviews.js';
import { requeueExpiredLeases } from '../store/tasks.js';
import type { EngineTask } from './engine.js';

/** An expired lease returns its slot to the queue. */
export const requeueExpiredLeasesTask: EngineTask = {
  name: 'requeue-expired-leases',
  idleIntervalMs: 1_000,
  run: (resources) => requeueExpiredLeases(resources.store.db, resources.clock.now(), 500),
};

/** A loop whose availability lifetime passes before TaskCount answers becomes Failed (Expired). */
export const expireOverdueLoopsTask: EngineTask = {
  name: 'expire-overdue-loops',
  idleIntervalMs: 5_000,
  run: (resources) => expireOverdueLoops(resources),
};

/** Retries output.json for loops whose answers are in but which are not yet Completed. */
export const completeAnsweredLoopsTask: EngineTask = {
  name: 'complete-answered-loops',
  idleIntervalMs: 5_000,
  run: (resources) => completeAnsweredLoops(resources),
};
