import type { LoopStartedHook, LoopStoppedHook } from '../operations/human-loops.js';
import type { Resources } from '../resources.js';

/**
 * What the review engine does inside a loop's start and stop transactions (create its review
 * slots, release them). Until the engine exists a loop has no slots, so there is nothing to do.
 */
export function reviewHooks(_resources: Resources): { onStarted?: LoopStartedHook; onStopped?: LoopStoppedHook } {
  return {};
}
