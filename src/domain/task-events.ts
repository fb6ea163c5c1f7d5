/**
 * Tandem's task events: what happened to one review slot of a loop. They share the loop's ARN
 * as subject (the envelope's `resources`), so a loop's task and status events reach a receiver
 * in one order, and carry Tandem detail-types only (events.ts), never A2I's. Pure: the store
 * writes the event in the transaction that changes the slot (store/task-events.ts).
 */

export type TaskTopic = 'task.leased' | 'task.returned' | 'task.expired' | 'task.answered';

/**
 * Why a leased slot went back to the queue before its time limit: the reviewer skipped it, their
 * leases were released (signed out, removed from the team, disabled), their task page went quiet,
 * or the loop was held because its template cannot be shown.
 */
export type ReturnReason = 'skipped' | 'released' | 'idle' | 'held';

/** The slot as it was while leased (the worker and lease times the change clears). */
export interface LeasedSlot {
  id: string;
  account_id: string;
  human_loop_id: string;
  workteam_name: string;
  slot: number;
  worker_id: string | null;
  leased_at: number | null;
  lease_expires_at: number | null;
}

/** The loop a slot belongs to. */
export interface SlotLoop {
  name: string;
  arn: string;
  flow_definition_arn: string;
}

/** What only some topics carry. */
export type TaskEventFacts =
  | { topic: 'task.leased' }
  | { topic: 'task.returned'; reason: ReturnReason }
  | { topic: 'task.expired' }
  | { topic: 'task.answered'; submittedAt: number; timeSpentInSeconds: number };

export interface TaskOutboxEvent {
  accountId: string;
  topic: TaskTopic;
  subjectArn: string;
  createdAt: number;
  payload: Record<string, unknown>;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/**
 * The outbox event for a slot change at `at`. The detail names the loop like A2I's event does
 * (humanLoopName, humanLoopArn, flowDefinitionArn), then the slot (taskId, taskIndex, workteam),
 * the worker and the lease's times as ISO strings.
 */
export function taskEvent(slot: LeasedSlot, loop: SlotLoop, at: number, facts: TaskEventFacts): TaskOutboxEvent {
  const extra: Record<string, unknown> =
    facts.topic === 'task.returned'
      ? { reason: facts.reason }
      : facts.topic === 'task.answered'
        ? { submissionTime: iso(facts.submittedAt), timeSpentInSeconds: facts.timeSpentInSeconds }
        : {};
  return {
    accountId: slot.account_id,
    topic: facts.topic,
    subjectArn: loop.arn,
    createdAt: at,
    payload: {
      eventTime: iso(at),
      humanLoopName: loop.name,
      humanLoopArn: loop.arn,
      flowDefinitionArn: loop.flow_definition_arn,
      taskId: slot.id,
      taskIndex: slot.slot,
      workteamName: slot.workteam_name,
      workerId: slot.worker_id,
      acceptanceTime: iso(slot.leased_at),
      leaseExpiryTime: iso(slot.lease_expires_at),
      ...extra,
    },
  };
}
