import { hash } from 'node:crypto';
import { timeOrderedId } from '../domain/time-ordered-id.js';
import { ConflictError, NotFoundError, ValidationError } from '../api/aws/errors.js';
import { belongsTo, buildArn, parseArn } from '../domain/arns.js';
import { exceedsJsonDepth, jsonTooDeepMessage } from '../domain/json-text.js';
import { canDelete, decideStop } from '../domain/human-loop-lifecycle.js';
import type { Caller, Resources } from '../resources.js';
import type { Kysely } from 'kysely';
import * as loops from '../store/human-loops.js';
import { findFlowDefinition } from '../store/flow-definitions.js';
import { appendEvent } from '../store/outbox.js';
import { deleteReviewData } from '../store/tasks.js';
import { startLoop } from '../store/human-loop-start.js';
import type { Database, HumanLoopRow, HumanLoopStatus } from '../store/schema.js';
import { listPage, millis, type PageRequest } from './listing.js';
import { recordLoopEnded } from '../observability/loop-lifecycle.js';

export interface StartHumanLoopRequest {
  HumanLoopName: string;
  FlowDefinitionArn: string;
  HumanLoopInput: { InputContent: string };
  DataAttributes?: { ContentClassifiers: string[] } | undefined;
}

export interface ListHumanLoopsRequest extends PageRequest {
  FlowDefinitionArn: string;
  CreationTimeAfter?: Date | undefined;
  CreationTimeBefore?: Date | undefined;
}

/**
 * What else starting a loop creates in the same transaction as the loop: with `reviewSlots`, the
 * flow definition's TaskCount open review slots, so a loop never exists without its tasks. The
 * review engine supplies it (`REVIEW_HOOKS.onStarted`). It is a declaration rather than a
 * callback so that the store can write the loop, its event and its slots in one statement on
 * PostgreSQL and one run of prepared statements on SQLite (store/human-loop-start.ts).
 */
export interface LoopStartedHook {
  reviewSlots: boolean;
}

export async function startHumanLoop(
  resources: Resources,
  caller: Caller,
  request: StartHumanLoopRequest,
  onStarted?: LoopStartedHook,
  /** Built-in loops: the template's `task.input.humanLoopContext`, stored with the loop. */
  humanLoopContext?: unknown,
) {
  const input = request.HumanLoopInput.InputContent;
  checkInputContent(input);
  const flowName = flowNameFromArn(caller, request.FlowDefinitionArn);
  const inputSha256 = hash('sha256', input, 'hex');
  const arn = buildArn('human-loop', caller, request.HumanLoopName);

  // No look-up first: the insert's unique index decides, so the common case (a new name) costs
  // nothing extra, and a repeated name is answered from the catch below.
  const now = resources.clock.now();
  try {
    const { flowStatus, nameTaken } = await startLoop(resources.store, {
      loop: {
        id: timeOrderedId(now),
        account_id: caller.accountId,
        name: request.HumanLoopName,
        arn,
        flow_definition_name: flowName,
        status: 'InProgress',
        input_content: input,
        input_sha256: inputSha256,
        content_classifiers: JSON.stringify(request.DataAttributes?.ContentClassifiers ?? []),
        failure_reason: null,
        failure_code: null,
        output_s3_uri: null,
        created_at: now,
        stop_requested_at: null,
        stopped_at: null,
        completed_at: null,
        failed_at: null,
        answers_complete_at: null,
        human_loop_context: humanLoopContext === undefined ? null : JSON.stringify(humanLoopContext),
      },
      event: (loop) => loopEvent(loop, 'human-loop.created', now),
      reviewSlots: onStarted?.reviewSlots ?? false,
    });
    if (!flowStatus) throw new NotFoundError(`Flow definition '${request.FlowDefinitionArn}' does not exist.`);
    if (flowStatus !== 'Active') throw new ValidationError(`Flow definition '${flowName}' is ${flowStatus}, not Active.`);
    if (nameTaken) throw new ConflictError(`A human loop named '${request.HumanLoopName}' exists.`);
  } catch (error) {
    // The name exists (started earlier, or by a concurrent request whose insert won): answer
    // with that loop, or a conflict. A name that exists wins over any other error, so a retry
    // of a loop whose flow definition was deleted since still gets its ARN back.
    const winner = await loops.findHumanLoop(resources.store.db, caller.accountId, request.HumanLoopName);
    if (!winner) throw error;
    return { HumanLoopArn: sameLoopOrConflict(winner, request, inputSha256) };
  }
  return { HumanLoopArn: arn };
}

export async function describeHumanLoop(resources: Resources, caller: Caller, name: string) {
  const row = await requireHumanLoop(resources, caller, name);
  return {
    CreationTime: new Date(row.created_at),
    ...(row.failure_reason ? { FailureReason: row.failure_reason } : {}),
    ...(row.failure_code ? { FailureCode: row.failure_code } : {}),
    HumanLoopStatus: row.status,
    HumanLoopName: row.name,
    HumanLoopArn: row.arn,
    FlowDefinitionArn: row.flow_definition_arn,
    ...(row.output_s3_uri ? { HumanLoopOutput: { OutputS3Uri: row.output_s3_uri } } : {}),
  };
}

export async function listHumanLoops(resources: Resources, caller: Caller, request: ListHumanLoopsRequest) {
  const flowName = flowNameFromArn(caller, request.FlowDefinitionArn);
  if (!(await findFlowDefinition(resources.store.db, caller.accountId, flowName))) {
    throw new NotFoundError(`Flow definition '${request.FlowDefinitionArn}' does not exist.`);
  }
  const filter = { after: millis(request.CreationTimeAfter), before: millis(request.CreationTimeBefore) };
  const page = await listPage(
    resources,
    `ListHumanLoops|${caller.accountId}|${flowName}|${filter.after ?? ''}|${filter.before ?? ''}`,
    request,
    { sortOrder: 'Descending', maxResults: 100 },
    (keyset) => loops.listHumanLoops(resources.store.db, caller.accountId, flowName, filter, keyset),
    (row) => ({ value: row.created_at, id: row.id }),
  );
  return {
    HumanLoopSummaries: page.items.map((row) => ({
      HumanLoopName: row.name,
      HumanLoopStatus: row.status,
      CreationTime: new Date(row.created_at),
      ...(row.failure_reason ? { FailureReason: row.failure_reason } : {}),
      FlowDefinitionArn: row.flow_definition_arn,
    })),
    ...(page.NextToken ? { NextToken: page.NextToken } : {}),
  };
}

/** Hook that releases a stopping loop's review slots inside the Stopping → Stopped step. */
export type LoopStoppedHook = (tx: Kysely<Database>, loop: HumanLoopRow) => Promise<void>;

/**
 * InProgress → Stopping (recorded with its time), then Stopping → Stopped once the loop's work
 * is released. Two transactions, as in A2I: if the process dies between them, the engine
 * finishes the stop (`finishStopping`).
 */
export async function stopHumanLoop(resources: Resources, caller: Caller, name: string, onStopped?: LoopStoppedHook) {
  const row = await requireHumanLoop(resources, caller, name);
  const decision = decideStop(row.status);
  if (decision === 'finished') {
    throw new ValidationError(`Human loop '${name}' is ${row.status} and can no longer be stopped.`);
  }
  if (decision === 'stop') {
    const now = resources.clock.now();
    await resources.store.db.transaction().execute(async (tx) => {
      const moved = await loops.transitionHumanLoop(tx, row.id, ['InProgress'], {
        status: 'Stopping',
        stop_requested_at: now,
      });
      if (moved) await appendEvent(tx, loopEvent({ ...row, status: 'Stopping' }, 'human-loop.stopping', now));
    });
  }
  if (decision !== 'already-stopped') await finishStopping(resources, row, onStopped);
  return {};
}

/** Stopping → Stopped; idempotent, safe to race with another process doing the same. */
export async function finishStopping(resources: Resources, row: HumanLoopRow, onStopped?: LoopStoppedHook): Promise<void> {
  const now = resources.clock.now();
  const stopped = await resources.store.db.transaction().execute(async (tx) => {
    const moved = await loops.transitionHumanLoop(tx, row.id, ['Stopping'], { status: 'Stopped', stopped_at: now });
    if (!moved) return false;
    await onStopped?.(tx, row);
    await appendEvent(tx, loopEvent({ ...row, status: 'Stopped' }, 'human-loop.stopped', now));
    return true;
  });
  if (stopped) recordLoopEnded(resources, row, 'Stopped', now);
}

export async function deleteHumanLoop(resources: Resources, caller: Caller, name: string) {
  const now = resources.clock.now();
  await resources.store.db.transaction().execute(async (tx) => {
    const row = await loops.findHumanLoop(tx, caller.accountId, name);
    if (!row) throw loopNotFound(name);
    if (!canDelete(row.status)) {
      throw new ValidationError(
        `Human loop '${name}' is ${row.status}; only Completed, Failed or Stopped human loops can be deleted.`,
      );
    }
    // Under PostgreSQL's read committed, concurrent deletes all read the row; only the one
    // whose DELETE removed it goes on, the others answer as if they had come after it.
    if (!(await loops.deleteHumanLoop(tx, row.id))) throw loopNotFound(name);
    await deleteReviewData(tx, row.id);
    await appendEvent(tx, loopEvent(row, 'human-loop.deleted', now));
  });
  return {};
}

async function requireHumanLoop(resources: Resources, caller: Caller, name: string): Promise<HumanLoopRow> {
  const row = await loops.findHumanLoop(resources.store.db, caller.accountId, name);
  if (!row) throw loopNotFound(name);
  return row;
}

function loopNotFound(name: string): NotFoundError {
  return new NotFoundError(`Human loop '${name}' does not exist.`);
}

function flowNameFromArn(caller: Caller, arn: string): string {
  const parsed = parseArn('flow-definition', arn);
  if (!parsed) throw new ValidationError(`'${arn}' is not a flow definition ARN.`);
  if (!belongsTo(parsed, caller)) throw new NotFoundError(`Flow definition '${arn}' does not exist.`);
  return parsed.name;
}

/** A2I: "the InputContent must be a string representation of a file in JSON format". */
function checkInputContent(input: string): void {
  // The input is rendered, stored and written into output.json, all of which walk it recursively.
  if (exceedsJsonDepth(input)) throw new ValidationError(jsonTooDeepMessage('HumanLoopInput.InputContent'));
  let value: unknown;
  try {
    value = JSON.parse(input);
  } catch (error) {
    throw new ValidationError(`HumanLoopInput.InputContent is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError('HumanLoopInput.InputContent must be a JSON object.');
  }
}

function sameLoopOrConflict(existing: HumanLoopRow, request: StartHumanLoopRequest, inputSha256: string): string {
  const sameFlow = existing.flow_definition_arn === request.FlowDefinitionArn;
  if (sameFlow && existing.input_sha256 === inputSha256) return existing.arn;
  throw new ConflictError(
    `Human loop '${existing.name}' already exists with different input data. You cannot start two human loops with the same name and different input data.`,
  );
}

/** The event an outbox row carries: A2I's status-change detail plus what happened and when. */
export function loopEvent(row: HumanLoopRow, topic: string, at: number) {
  const status: HumanLoopStatus = row.status;
  return {
    accountId: row.account_id,
    topic,
    subjectArn: row.arn,
    createdAt: at,
    payload: {
      creationTime: new Date(row.created_at).toISOString(),
      eventTime: new Date(at).toISOString(),
      humanLoopName: row.name,
      humanLoopArn: row.arn,
      flowDefinitionArn: row.flow_definition_arn,
      humanLoopStatus: status,
      ...(row.failure_code ? { failureCode: row.failure_code } : {}),
      ...(row.failure_reason ? { failureReason: row.failure_reason } : {}),
      ...(row.output_s3_uri ? { humanLoopOutput: { outputS3Uri: row.output_s3_uri } } : {}),
    },
  };
}
