import type SQLite from 'better-sqlite3';
import { timeOrderedId } from '../domain/time-ordered-id.js';
import type { FlowForStart, LoopStart, LoopStartOutcome } from './human-loop-start.js';
import type { HumanLoopRow } from './schema.js';

/**
 * Raw better-sqlite3 statements, prepared once per connection, run inside `store.writeSync` (the
 * synchronous group commit: same connection, same transaction). Measured in-process on the same
 * store, interleaved (2026-11-25, with the since-removed bench/support/store-alternatives.ts):
 * the Kysely path spent ~17% of server time building and compiling queries, and these writes
 * without Kysely ran 1.9–3.6× as fast. Positional parameters, in the order of each statement's
 * column list.
 */
function prepareStatements(database: SQLite.Database) {
  return {
    // No lock needed: SQLite's single writer holds the write lock for the whole group commit.
    findFlow: database.prepare<[string, string], FlowForStart>(
      `select name, arn, status, workteam_name, task_count, task_time_limit_seconds, task_availability_lifetime_seconds
       from flow_definitions where account_id = ? and name = ?`,
    ),
    // `do nothing` rather than a unique violation: a repeated name then writes nothing and throws
    // nothing, so the group commit needs no savepoint around this body (group-commit.ts).
    insertLoop: database.prepare(
      `insert into human_loops (id, account_id, name, arn, flow_definition_name, flow_definition_arn, status,
         input_content, input_sha256, content_classifiers, failure_reason, failure_code, output_s3_uri, created_at,
         stop_requested_at, stopped_at, completed_at, failed_at, answers_complete_at, human_loop_context)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (account_id, name) do nothing`,
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

export function startOnSqlite(database: SQLite.Database, start: LoopStart): LoopStartOutcome {
  let statements = sqliteStatements.get(database);
  if (!statements) sqliteStatements.set(database, (statements = prepareStatements(database)));
  const { loop } = start;
  const flow = statements.findFlow.get(loop.account_id, loop.flow_definition_name);
  if (!flow || flow.status !== 'Active') return { flowStatus: flow?.status };
  const row: HumanLoopRow = { ...loop, flow_definition_name: flow.name, flow_definition_arn: flow.arn };
  const inserted = statements.insertLoop.run(
    row.id, row.account_id, row.name, row.arn, row.flow_definition_name, row.flow_definition_arn, row.status,
    row.input_content, row.input_sha256, row.content_classifiers, row.failure_reason, row.failure_code, row.output_s3_uri,
    row.created_at, row.stop_requested_at, row.stopped_at, row.completed_at, row.failed_at, row.answers_complete_at,
    row.human_loop_context ?? null,
  );
  if (inserted.changes === 0) return { flowStatus: flow.status, nameTaken: true };
  const event = start.event(row);
  statements.insertEvent.run(event.accountId, event.topic, event.subjectArn, JSON.stringify(event.payload), event.createdAt);
  if (start.reviewSlots) {
    const availableUntil = row.created_at + flow.task_availability_lifetime_seconds * 1000;
    for (let slot = 0; slot < flow.task_count; slot++) {
      statements.insertSlot.run(
        timeOrderedId(row.created_at), row.account_id, row.id, flow.workteam_name, slot, flow.task_time_limit_seconds, availableUntil, row.created_at,
      );
    }
  }
  return { flowStatus: flow.status };
}
