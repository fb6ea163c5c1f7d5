import type { LoopStartedHook, LoopStoppedHook } from '../operations/human-loops.js';
import { cancelReviewSlots, createReviewSlots } from '../operations/reviews.js';

/** What the review engine does inside a loop's start and stop transactions. */
export const REVIEW_HOOKS: { onStarted: LoopStartedHook; onStopped: LoopStoppedHook } = {
  onStarted: createReviewSlots,
  onStopped: (tx, loop) => cancelReviewSlots(tx, loop),
};
