import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AnswersTable, Database, HumanLoopStatus, NewHumanLoop, TaskStatus, TasksTable } from '../../src/store/schema.js';

/** One loop to write straight into the store, with one slot and, when done, one answer. */
export interface HistoricLoop {
  name: string;
  status: HumanLoopStatus;
  createdAt: number;
  /** When it became Completed / Failed / Stopped (terminal statuses only). */
  endedAt?: number;
  taskStatus: TaskStatus;
  workerId?: string;
  leaseExpiresAt?: number;
  availableUntil?: number;
}

/**
 * Writes loops (with their slot and answer) directly, many rows per statement: scale and
 * retention tests need thousands of loops in states that would take a worker's whole session to
 * reach through the operations.
 */
export async function insertLoopHistory(
  db: Kysely<Database>,
  accountId: string,
  flow: { name: string; arn: string; team: string },
  loops: HistoricLoop[],
): Promise<void> {
  for (let i = 0; i < loops.length; i += 300) {
    const batch = loops.slice(i, i + 300);
    const humanLoops: NewHumanLoop[] = [];
    const tasks: TasksTable[] = [];
    const answers: AnswersTable[] = [];
    for (const loop of batch) {
      const id = `${loop.createdAt.toString(16)}${randomBytes(6).toString('hex')}`;
      const ended = loop.endedAt ?? null;
      humanLoops.push({
        id,
        account_id: accountId,
        name: loop.name,
        arn: `${flow.arn.replace(/flow-definition\/.*$/, 'human-loop/')}${loop.name}`,
        flow_definition_name: flow.name,
        flow_definition_arn: flow.arn,
        status: loop.status,
        input_content: '{}',
        input_sha256: 'x',
        content_classifiers: '[]',
        failure_reason: loop.status === 'Failed' ? 'expired' : null,
        failure_code: loop.status === 'Failed' ? 'Expired' : null,
        output_s3_uri: loop.status === 'Completed' ? `s3://bucket/out/${loop.name}/output.json` : null,
        created_at: loop.createdAt,
        stop_requested_at: loop.status === 'Stopped' || loop.status === 'Stopping' ? (ended ?? loop.createdAt) : null,
        stopped_at: loop.status === 'Stopped' ? ended : null,
        completed_at: loop.status === 'Completed' ? ended : null,
        failed_at: loop.status === 'Failed' ? ended : null,
        answers_complete_at: null,
      });
      const taskId = `${id}t`;
      tasks.push({
        id: taskId,
        account_id: accountId,
        human_loop_id: id,
        workteam_name: flow.team,
        slot: 0,
        status: loop.taskStatus,
        worker_id: loop.workerId ?? null,
        leased_at: loop.taskStatus === 'leased' ? loop.createdAt : null,
        lease_expires_at: loop.leaseExpiresAt ?? null,
        time_limit_seconds: 60,
        available_until: loop.availableUntil ?? loop.createdAt + 3_600_000,
        created_at: loop.createdAt,
        done_at: loop.taskStatus === 'done' ? ended : null,
      });
      if (loop.taskStatus === 'done' && loop.workerId) {
        answers.push({
          id: `${id}a`,
          account_id: accountId,
          human_loop_id: id,
          task_id: taskId,
          worker_id: loop.workerId,
          answer_content: '{"note":"ok"}',
          worker_metadata: '{}',
          accepted_at: loop.createdAt,
          submitted_at: ended ?? loop.createdAt,
          time_spent_seconds: 1,
        });
      }
    }
    await db.insertInto('human_loops').values(humanLoops).execute();
    await db.insertInto('tasks').values(tasks).execute();
    if (answers.length > 0) await db.insertInto('answers').values(answers).execute();
  }
}
