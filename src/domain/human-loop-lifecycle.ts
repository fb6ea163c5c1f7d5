import type { HumanLoopStatus } from '../store/schema.js';

/**
 * The human loop state machine:
 *
 *   InProgress ──► Completed | Failed
 *       │
 *       └─► Stopping ──► Stopped
 *
 * Completed, Failed and Stopped are terminal; only terminal loops may be deleted.
 */
export const TERMINAL_STATUSES: readonly HumanLoopStatus[] = ['Completed', 'Failed', 'Stopped'];
export const ACTIVE_STATUSES: readonly HumanLoopStatus[] = ['InProgress', 'Stopping'];

export function isTerminal(status: HumanLoopStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export type StopDecision = 'stop' | 'already-stopping' | 'already-stopped' | 'finished';

/** What StopHumanLoop does to a loop in `status`. Stopping twice is harmless, as in AWS. */
export function decideStop(status: HumanLoopStatus): StopDecision {
  switch (status) {
    case 'InProgress':
      return 'stop';
    case 'Stopping':
      return 'already-stopping';
    case 'Stopped':
      return 'already-stopped';
    default:
      return 'finished';
  }
}

export function canDelete(status: HumanLoopStatus): boolean {
  return isTerminal(status);
}
