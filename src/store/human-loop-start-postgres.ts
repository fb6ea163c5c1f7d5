import type { PreparedStatement, Store } from './database.js';
import type { LoopStart, LoopStartOutcome } from './human-loop-start.js';
import type { FlowDefinitionRow } from './schema.js';
import { timeOrderedId } from '../domain/time-ordered-id.js';

/** The largest TaskCount a flow definition accepts (CreateFlowDefinition's shape). */
const MAX_TASK_COUNT = 3;

/** Stands for the flow definition's ARN in the event payload until the statement reads it. */
const FLOW_ARN_MARK = '\u0000flow-definition-arn\u0000';

/**
 * One statement, one round trip, no `begin`/`commit` (a single statement is atomic on its own).
 * The Kysely path took 6 round trips (`begin`, 4 statements, `commit`); one statement ran 2.4–4×
 * as fast in-process, 1 and 50 in flight.
 * - A named prepared statement (`store.runPrepared`): each connection parses and plans it once.
 *   Sent unnamed (as Kysely sends everything), parse + plan were ~70% of the backend's work:
 *   645 → 177 CPU µs per start on one connection, interleaved.
 * - `flow` reads the flow definition without a row lock. With `for share`, concurrent starts on
 *   one flow made its row a MultiXact (about one new MultiXact per start, half of them from
 *   that lock) and each start cost 4–20 backend µs more. DeleteFlowDefinition instead locks
 *   `human_loops` in share mode before counting active loops (`holdLoopStarts`,
 *   store/flow-definitions.ts): it waits for the starts in flight, and a start held back by it
 *   takes its snapshot after the delete commits (a statement locks its tables first), so it
 *   finds no flow definition.
 * - `loop` inserts only when the flow is Active, `on conflict (account_id, name) do nothing`:
 *   a repeated name writes nothing and is reported (`nameTaken`), as on SQLite, instead of a
 *   unique violation that aborts the statement after writing the heap row, logs an ERROR with
 *   the statement on the server and throws through the driver. A repeated name: 145 → 91
 *   backend µs; a new one: 4–6 µs more (speculative insertion), on one connection, interleaved.
 * - `event`'s payload is the event's JSON with the flow's ARN spliced in as `to_json(arn)::text`,
 *   which is what JSON.stringify writes for an ARN (no quotes, backslashes or control characters).
 * - `slots`: generate_series over task_count; ids are time-ordered (version 7) ids made here, one
 *   per possible slot (TaskCount is 1–3), so new slots append to the primary-key index as on
 *   SQLite; gen_random_uuid() only covers a flow stored with more slots than that.
 * - Every parameter is cast: a prepared statement is planned before it sees a value, and a
 *   millisecond parameter must not be typed as the integer column it meets.
 */
const START_HUMAN_LOOP = `
  with flow as (
    select name, arn, status, workteam_name, task_count, task_time_limit_seconds, task_availability_lifetime_seconds
    from flow_definitions where account_id = $1::text and name = $2::text),
  loop as (
    insert into human_loops (id, account_id, name, arn, flow_definition_name, flow_definition_arn, status,
      input_content, input_sha256, content_classifiers, failure_reason, failure_code, output_s3_uri, created_at,
      stop_requested_at, stopped_at, completed_at, failed_at, answers_complete_at, human_loop_context)
    select $3::text, $1::text, $4::text, $5::text, flow.name, flow.arn, $6::text,
      $7::text, $8::text, $9::text, $10::text, $11::text, $12::text, $13::bigint,
      $14::bigint, $15::bigint, $16::bigint, $17::bigint, $18::bigint, $27::text
    from flow where flow.status = 'Active'
    on conflict (account_id, name) do nothing
    returning id, created_at),
  event as (
    insert into outbox (account_id, topic, subject_arn, payload, created_at, dispatched_at)
    select $19::text, $20::text, $21::text, $22::text || to_json(flow.arn)::text || $23::text, $24::bigint, null
    from loop, flow),
  slots as (
    insert into tasks (id, account_id, human_loop_id, workteam_name, slot, status, worker_id, leased_at,
      lease_expires_at, time_limit_seconds, available_until, created_at, done_at)
    select coalesce(($25::text[])[s.slot + 1], gen_random_uuid()::text), $1::text, loop.id, flow.workteam_name, s.slot, 'open', null, null,
      null, flow.task_time_limit_seconds, loop.created_at + cast(flow.task_availability_lifetime_seconds as bigint) * 1000, loop.created_at, null
    from loop, flow, generate_series(0, flow.task_count - 1) as s(slot)
    where $26::boolean)
  select (select status from flow) as flow_status, exists (select from loop) as inserted`;

interface StartRow {
  flow_status: FlowDefinitionRow['status'] | null;
  inserted: boolean;
}

export async function startOnPostgres(store: Store, start: LoopStart): Promise<LoopStartOutcome> {
  if (!store.runPrepared) throw new Error('startOnPostgres needs a PostgreSQL store');
  const { loop } = start;
  const event = start.event({ ...loop, flow_definition_arn: FLOW_ARN_MARK });
  const [payloadBefore, payloadAfter, ...rest] = JSON.stringify(event.payload).split(JSON.stringify(FLOW_ARN_MARK));
  if (payloadAfter === undefined || rest.length > 0) throw new Error('the event payload must carry the flow ARN exactly once');
  const slotIds = Array.from({ length: MAX_TASK_COUNT }, () => timeOrderedId(loop.created_at));
  const statement: PreparedStatement = {
    name: 'tandem-start-human-loop',
    text: START_HUMAN_LOOP,
    values: [
      loop.account_id, loop.flow_definition_name, loop.id, loop.name, loop.arn, loop.status,
      loop.input_content, loop.input_sha256, loop.content_classifiers, loop.failure_reason, loop.failure_code, loop.output_s3_uri, loop.created_at,
      loop.stop_requested_at, loop.stopped_at, loop.completed_at, loop.failed_at, loop.answers_complete_at,
      event.accountId, event.topic, event.subjectArn, payloadBefore, payloadAfter, event.createdAt,
      slotIds, start.reviewSlots, loop.human_loop_context ?? null,
    ],
  };
  const [row] = await store.runPrepared<StartRow>(statement);
  const flowStatus = row?.flow_status ?? undefined;
  if (flowStatus === 'Active' && !row?.inserted) return { flowStatus, nameTaken: true };
  return { flowStatus };
}
