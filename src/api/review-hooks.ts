import type { LoopStartedHook, LoopStoppedHook } from '../operations/human-loops.js';
import { cancelReviewSlots, createReviewSlots } from '../operations/reviews.js';
import type { Resources } from '../resources.js';

/** What the review engine does inside a loop's start and stop transactions. */
export function reviewHooks(resources: Resources): { onStarted: LoopStartedHook; onStopped: LoopStoppedHook } {
  return {
    onStarted: (tx, loop) => createReviewSlots(resources, tx, loop),
    onStopped: (tx, loop) => cancelReviewSlots(tx, loop),
  };
}
