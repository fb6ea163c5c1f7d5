import { randomUUID } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Store } from './database.js';
import type { OutboxEvent } from './outbox.js';
import type { FlowDefinitionRow, HumanLoopRow } from './schema.js';

/**
 * StartHumanLoop's write: read the flow definition, and when it is Active insert the loop, its
 * `human-loop.created` outbox row and (with `reviewSlots`) its TaskCount open review slots, all
 * or nothing. This is the hottest write of the API, so it bypasses the query builder: one file
 * holds its SQL for both dialects, with the measured reason above each statement
 * (bench/start-human-loop.ts, bench/README.md). The rows are the ones the Kysely path wrote
 * (`insertHumanLoop`, `appendEvent`, `insertTasks`); test/store/human-loop-start.test.ts checks
 * them column by column on both dialects.
 *
 * No look-up of the loop's name first: the unique index (account_id, name) decides, and a
 * repeated name surfaces as the store's unique violation, which the caller answers from.
 */
export interface LoopStart {
  /** The new loop; `flow_definition_arn` comes from the flow definition the store reads. */
  loop: Omit<HumanLoopRow, 'flow_definition_arn'>;
  /** The loop's `human-loop.created` event, given the loop as stored. */
  event: (loop: HumanLoopRow) => OutboxEvent;
  /**
   * Also create the loop's review slots: `flow.task_count` `tasks` rows, slot 0…N-1, status
   * `open`, for the flow's work team, leased for `task_time_limit_seconds`, open until
   * `created_at + task_availability_lifetime_seconds * 1000`.
   */
  reviewSlots: boolean;
}

/** `flowStatus` undefined: no such flow definition; anything but `Active`: nothing was written. */
export interface LoopStartOutcome {
  flowStatus: FlowDefinitionRow['status'] | undefined;
}

export async function startLoop(store: Store, start: LoopStart): Promise<LoopStartOutcome> {
  if (store.writeSync) return store.writeSync((database) => startOnSqlite(database, start));
  return startOnPostgres(store, start);
}

// ---- SQLite ---------------------------------------------------------------------------------------

type FlowForStart = Pick<
  FlowDefinitionRow,
  'name' | 'arn' | 'status' | 'workteam_name' | 'task_count' | 'task_time_limit_seconds' | 'task_availability_lifetime_seconds'
>;

/**
 * Raw better-sqlite3 statements, prepared once per connection, run inside `store.writeSync` (the
 * synchronous group commit's savepoint: same connection, same transaction). Measured in-process on the same
 * store, interleaved (bench/support/store-alternatives.ts): the Kysely path spent ~17% of server
 * time building and compiling queries, and these writes without Kysely ran 1.9–3.6× as fast.
 * Positional parameters, in the order of each statement's column list.
 */
function prepareStatements(database: SQLite.Database) {
  return {
    // No lock needed: SQLite's single writer holds the write lock for the whole group commit.
    findFlow: database.prepare<[string, string], FlowForStart>(
      `select name, arn, status, workteam_name, task_count, task_time_limit_seconds, task_availability_lifetime_seconds
       from flow_definitions where account_id = ? and name = ?`,
    ),
    insertLoop: database.prepare(
      `insert into human_loops (id, account_id, name, arn, flow_definition_name, flow_definition_arn, status,
         input_content, input_sha256, content_classifiers, failure_reason, failure_code, output_s3_uri, created_at,
         stop_requested_at, stopped_at, completed_at, failed_at, answers_complete_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertEvent: database.prepare(
      `insert into outbox (account_id, topic, subject_arn, payload, created_at, dispatched_at) values (?, ?, ?, ?, ?, null)`,
    ),
    insertSlot: database.prepare(
      `insert into tasks (id, account_id, human_loop_id, workteam_name, slot, status, worker_id, leased_at,
         lease_expires_at, time_limit_seconds, available_until, created_at, done_at)
       values (?, ?, ?, ?, ?, 'open', null, null, null, ?, ?, ?, null)`,
    ),
  };
}

const sqliteStatements = new WeakMap<SQLite.Database, ReturnType<typeof prepareStatements>>();

function startOnSqlite(database: SQLite.Database, start: LoopStart): LoopStartOutcome {
  let statements = sqliteStatements.get(database);
  if (!statements) sqliteStatements.set(database, (statements = prepareStatements(database)));
  const { loop } = start;
  const flow = statements.findFlow.get(loop.account_id, loop.flow_definition_name);
  if (!flow || flow.status !== 'Active') return { flowStatus: flow?.status };
  const row: HumanLoopRow = { ...loop, flow_definition_name: flow.name, flow_definition_arn: flow.arn };
  statements.insertLoop.run(
    row.id, row.account_id, row.name, row.arn, row.flow_definition_name, row.flow_definition_arn, row.status,
    row.input_content, row.input_sha256, row.content_classifiers, row.failure_reason, row.failure_code, row.output_s3_uri,
    row.created_at, row.stop_requested_at, row.stopped_at, row.completed_at, row.failed_at, row.answers_complete_at,
  );
  const event = start.event(row);
  statements.insertEvent.run(event.accountId, event.topic, event.subjectArn, JSON.stringify(event.payload), event.createdAt);
  if (start.reviewSlots) {
    const availableUntil = row.created_at + flow.task_availability_lifetime_seconds * 1000;
    for (let slot = 0; slot < flow.task_count; slot++) {
      statements.insertSlot.run(
        randomUUID(), row.account_id, row.id, flow.workteam_name, slot, flow.task_time_limit_seconds, availableUntil, row.created_at,
      );
    }
  }
  return { flowStatus: flow.status };
}

// ---- PostgreSQL -----------------------------------------------------------------------------------

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
 * - `slots`: generate_series over task_count; ids from gen_random_uuid() (PostgreSQL 13+), the
 *   same lowercase v4 text as node's randomUUID.
 * - The casts keep PostgreSQL from typing a millisecond parameter as the integer column it meets.
 */
async function startOnPostgres(store: Store, start: LoopStart): Promise<LoopStartOutcome> {
  const { loop } = start;
  const event = start.event({ ...loop, flow_definition_arn: FLOW_ARN_MARK });
  const [payloadBefore, payloadAfter, ...rest] = JSON.stringify(event.payload).split(JSON.stringify(FLOW_ARN_MARK));
  if (payloadAfter === undefined || rest.length > 0) throw new Error('the event payload must carry the flow ARN exactly once');
  const createdAt = sql`cast(${loop.created_at} as bigint)`;
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
      select gen_random_uuid()::text, ${loop.account_id}, loop.id, flow.workteam_name, s.slot, 'open', null, null,
        null, flow.task_time_limit_seconds, loop.created_at + cast(flow.task_availability_lifetime_seconds as bigint) * 1000, loop.created_at, null
      from loop, flow, generate_series(0, flow.task_count - 1) as s(slot)
      where ${start.reviewSlots}::boolean)
    select (select status from flow) as flow_status`.execute(store.db);
  return { flowStatus: result.rows[0]?.flow_status ?? undefined };
}
