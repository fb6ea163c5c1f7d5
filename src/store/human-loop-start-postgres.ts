import { sql } from 'kysely';
import type { Store } from './database.js';
import type { LoopStart, LoopStartOutcome } from './human-loop-start.js';
import type { FlowDefinitionRow } from './schema.js';
import { timeOrderedId } from '../domain/time-ordered-id.js';

/** The largest TaskCount a flow definition accepts (CreateFlowDefinition's shape). */
const MAX_TASK_COUNT = 3;

/** Stands for the flow definition's ARN in the event payload until the statement reads it. */
const FLOW_ARN_MARK = '\u0000flow-definition-arn\u0000';

/**
 * One statement, one round trip, no `begin`/`commit` (a single statement is atomic on its own).
 * The Kysely path took 6 round trips (`begin`, 4 statements, `commit`); this form ran 2.4–4× as
 * fast in-process (bench/support/store-alternatives.ts, 1 and 50 in flight).
 * - `flow` reads the flow definition `for share`, so a concurrent DeleteFlowDefinition (which
 *   locks it `for update` before counting active loops) waits for this loop or deletes first.
 * - `loop` inserts only when the flow is Active, without `on conflict`: a repeated name fails the
 *   whole statement with the unique violation (23505), as the separate insert did.
 * - `event`'s payload is the event's JSON with the flow's ARN spliced in as `to_json(arn)::text`,
 *   which is what JSON.stringify writes for an ARN (no quotes, backslashes or control characters).
 * - `slots`: generate_series over task_count; ids are time-ordered (version 7) ids made here, one
 *   per possible slot (TaskCount is 1–3), so new slots append to the primary-key index as on
 *   SQLite; gen_random_uuid() only covers a flow stored with more slots than that.
 * - The casts keep PostgreSQL from typing a millisecond parameter as the integer column it meets.
 */
export async function startOnPostgres(store: Store, start: LoopStart): Promise<LoopStartOutcome> {
  const { loop } = start;
  const event = start.event({ ...loop, flow_definition_arn: FLOW_ARN_MARK });
  const [payloadBefore, payloadAfter, ...rest] = JSON.stringify(event.payload).split(JSON.stringify(FLOW_ARN_MARK));
  if (payloadAfter === undefined || rest.length > 0) throw new Error('the event payload must carry the flow ARN exactly once');
  const createdAt = sql`cast(${loop.created_at} as bigint)`;
  const slotIds = Array.from({ length: MAX_TASK_COUNT }, () => timeOrderedId(loop.created_at));
  const result = await sql<{ flow_status: FlowDefinitionRow['status'] | null }>`
    with flow as (
      select name, arn, status, workteam_name, task_count, task_time_limit_seconds, task_availability_lifetime_seconds
      from flow_definitions where account_id = ${loop.account_id} and name = ${loop.flow_definition_name}
      for share),
    loop as (
      insert into human_loops (id, account_id, name, arn, flow_definition_name, flow_definition_arn, status,
        input_content, input_sha256, content_classifiers, failure_reason, failure_code, output_s3_uri, created_at,
        stop_requested_at, stopped_at, completed_at, failed_at, answers_complete_at)
      select ${loop.id}, ${loop.account_id}, ${loop.name}, ${loop.arn}, flow.name, flow.arn, ${loop.status},
        ${loop.input_content}, ${loop.input_sha256}, ${loop.content_classifiers}, ${loop.failure_reason}::text,
        ${loop.failure_code}::text, ${loop.output_s3_uri}::text, ${createdAt}, ${loop.stop_requested_at}::bigint,
        ${loop.stopped_at}::bigint, ${loop.completed_at}::bigint, ${loop.failed_at}::bigint, ${loop.answers_complete_at}::bigint
      from flow where flow.status = 'Active'
      returning id, created_at),
    event as (
      insert into outbox (account_id, topic, subject_arn, payload, created_at, dispatched_at)
      select ${event.accountId}, ${event.topic}, ${event.subjectArn},
        ${payloadBefore}::text || to_json(flow.arn)::text || ${payloadAfter}::text, cast(${event.createdAt} as bigint), null
      from loop, flow),
    slots as (
      insert into tasks (id, account_id, human_loop_id, workteam_name, slot, status, worker_id, leased_at,
        lease_expires_at, time_limit_seconds, available_until, created_at, done_at)
      select coalesce((${slotIds}::text[])[s.slot + 1], gen_random_uuid()::text), ${loop.account_id}, loop.id, flow.workteam_name, s.slot, 'open', null, null,
        null, flow.task_time_limit_seconds, loop.created_at + cast(flow.task_availability_lifetime_seconds as bigint) * 1000, loop.created_at, null
      from loop, flow, generate_series(0, flow.task_count - 1) as s(slot)
      where ${start.reviewSlots}::boolean)
    select (select status from flow) as flow_status`.execute(store.db);
  return { flowStatus: result.rows[0]?.flow_status ?? undefined };
}
