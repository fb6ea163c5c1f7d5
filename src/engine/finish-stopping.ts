import { REVIEW_HOOKS } from '../api/review-hooks.js';
import { finishStopping } from '../operations/human-loops.js';
import type { EngineTask } from './engine.js';
import { findStoppingLoops } from '../store/human-loops.js';

/**
 * StopHumanLoop finishes its own stop; this picks up loops left Stopping by a process that died
 * between the two steps.
 */
export const finishStoppingTask: EngineTask = {
  name: 'finish-stopping',
  idleIntervalMs: 5_000,
  async run(resources) {
    const loops = await findStoppingLoops(resources.store.db, 100);
    for (const loop of loops) await finishStopping(resources, loop, REVIEW_HOOKS.onStopped);
    return loops.length;
  },
};
