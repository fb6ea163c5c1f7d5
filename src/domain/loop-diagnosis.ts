/**
 * Why a human loop is not progressing, from facts gathered about it. Pure: the console's loop
 * page and flow warnings call it with what the store says.
 */
import type { HumanLoopStatus, TaskStatus } from '../store/schema.js';

export interface LoopFacts {
  status: HumanLoopStatus;
  taskCount: number;
  tasks: Array<{ status: TaskStatus; availableUntil: number }>;
  answers: number;
  /** Active workers of the flow's team. */
  activeTeamWorkers: number;
  /** Active team workers who have neither answered nor skipped this loop. */
  eligibleWorkers: number;
  /** The first render error of the flow's template with this loop's input, if any. */
  templateError?: string | undefined;
  /** Set when every answer is in but output.json is not yet durable. */
  answersCompleteAt: number | null;
  flowExists: boolean;
  now: number;
}

/** Plain sentences, most blocking first; empty when nothing stands in the loop's way. */
export function diagnoseLoop(facts: LoopFacts): string[] {
  if (facts.status !== 'InProgress') return [];
  const reasons: string[] = [];
  if (!facts.flowExists) reasons.push('Its flow definition no longer exists.');
  if (facts.answersCompleteAt !== null) {
    reasons.push('All answers are in, but output.json has not been written yet: the output is being retried (check that the output path is writable).');
    return reasons;
  }
  if (facts.templateError) reasons.push(`The task template cannot be rendered for this input, so workers cannot answer it: ${facts.templateError}`);
  const missing = facts.taskCount - facts.answers;
  if (facts.activeTeamWorkers < facts.taskCount) {
    reasons.push(
      `It needs ${facts.taskCount} different workers but the work team has ${facts.activeTeamWorkers} active worker${facts.activeTeamWorkers === 1 ? '' : 's'}; it can never complete as configured.`,
    );
  } else if (facts.eligibleWorkers < missing && facts.tasks.some((t) => t.status === 'open')) {
    reasons.push(
      `It still needs ${missing} answer${missing === 1 ? '' : 's'} but only ${facts.eligibleWorkers} eligible worker${facts.eligibleWorkers === 1 ? ' has' : 's have'} not answered or skipped it.`,
    );
  }
  const open = facts.tasks.filter((t) => t.status === 'open');
  if (open.length > 0 && open.every((t) => t.availableUntil <= facts.now)) reasons.push('Its tasks are past their availability lifetime; it is about to fail as Expired.');
  return reasons;
}
