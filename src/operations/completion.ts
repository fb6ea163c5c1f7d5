import { buildOutputDocument, outputUri } from '../domain/output-document.js';
import { outputUriProblem, printable, splitS3Uri } from '../domain/s3-locations.js';
import { PermanentStoreError } from '../objects/object-store.js';
import { objectStoreOf } from '../objects/stores.js';
import type { Resources } from '../resources.js';
import { answersOfLoop } from '../store/answers.js';
import { findFlowDefinition } from '../store/flow-definitions.js';
import { transitionHumanLoop } from '../store/human-loops.js';
import { appendEvent } from '../store/outbox.js';
import { deleteOutputRetry, findLoopsAwaitingOutput, findOutputRetry, saveOutputRetry } from '../store/output-retries.js';
import type { HumanLoopRow } from '../store/schema.js';
import { claimBucketFor } from './buckets.js';
import { loopEvent } from './human-loops.js';
import { recordLoopEnded } from '../observability/loop-lifecycle.js';

/** First retry after 5 s, doubling up to 5 min between attempts. */
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 300_000;
/** Longest FailureReason kept (A2I's own reasons are at most 1,024 characters). */
const MAX_REASON_CHARS = 1024;
export const OUTPUT_FAILURE_CODE = 'OutputWriteFailed';

export type CompletionOutcome = 'completed' | 'retrying' | 'failed' | 'skipped';

/**
 * Writes a fully answered loop's output.json, then marks it Completed. The object is durable
 * before the status changes, so a Completed loop always has its output; writing twice is
 * harmless (same content, atomic replace), so a retry after a crash is safe.
 *
 * A write that fails is never retried forever: a problem no retry can fix (an unusable key, a
 * bucket of another account) fails the loop at once; any other failure (store unreachable, disk
 * full) is retried with backoff until `outputDeadlineSeconds` after the first failure, then the
 * loop fails with a FailureReason naming the cause. The answers stay in the store throughout,
 * and `tandem loops retry-output` can still write them later.
 */
export async function completeLoop(resources: Resources, loopId: string): Promise<CompletionOutcome> {
  const db = resources.store.db;
  const loop = await db.selectFrom('human_loops').selectAll().where('id', '=', loopId).executeTakeFirst();
  if (!loop || loop.status !== 'InProgress' || loop.answers_complete_at === null) return 'skipped';
  const written = await writeOutput(resources, loop);
  if (!written.ok) {
    if (written.permanent) return (await failLoop(resources, loop, written.uri, written.reason)) ? 'failed' : 'skipped';
    return recordTransientFailure(resources, loop, written.uri, written.reason);
  }
  resources.logger.info({ humanLoopName: loop.name, account: loop.account_id, outputS3Uri: written.uri }, 'output written');
  const now = resources.clock.now();
  const moved = await db.transaction().execute(async (tx) => {
    const moved = await transitionHumanLoop(tx, loop.id, ['InProgress'], {
      status: 'Completed',
      completed_at: now,
      output_s3_uri: written.uri,
    });
    if (moved) {
      await deleteOutputRetry(tx, loop.id);
      await appendEvent(tx, loopEvent({ ...loop, status: 'Completed', output_s3_uri: written.uri }, 'human-loop.completed', now));
    }
    return moved;
  });
  if (moved) recordLoopEnded(resources, { ...loop, output_s3_uri: written.uri }, 'Completed', now);
  return moved ? 'completed' : 'skipped';
}

/**
 * Writes output.json for a loop that Failed because its output could not be written, and moves it
 * to Completed (`tandem loops retry-output`). Returns why not when it cannot.
 */
export async function retryFailedOutput(resources: Resources, loop: HumanLoopRow): Promise<{ ok: true; uri: string } | { ok: false; reason: string }> {
  if (loop.status !== 'Failed' || loop.failure_code !== OUTPUT_FAILURE_CODE || loop.answers_complete_at === null) {
    return { ok: false, reason: `human loop '${loop.name}' is ${loop.status}, not Failed for its output` };
  }
  const written = await writeOutput(resources, loop);
  if (!written.ok) return { ok: false, reason: written.reason };
  const now = resources.clock.now();
  const moved = await resources.store.db.transaction().execute(async (tx) => {
    const moved = await transitionHumanLoop(tx, loop.id, ['Failed'], {
      status: 'Completed',
      completed_at: now,
      output_s3_uri: written.uri,
      failed_at: null,
      failure_code: null,
      failure_reason: null,
    });
    if (moved) {
      const completed = { ...loop, status: 'Completed' as const, output_s3_uri: written.uri, failure_code: null, failure_reason: null };
      await appendEvent(tx, loopEvent(completed, 'human-loop.completed', now));
    }
    return moved;
  });
  if (moved) recordLoopEnded(resources, { ...loop, output_s3_uri: written.uri }, 'Completed', now);
  return moved ? { ok: true, uri: written.uri } : { ok: false, reason: `human loop '${loop.name}' changed while its output was written` };
}

/** Loops whose answers are in but whose completion did not finish (a failed write, a crash), when due. */
export async function completeAnsweredLoops(resources: Resources, limit = 50): Promise<number> {
  const ids = await findLoopsAwaitingOutput(resources.store.db, resources.clock.now(), limit);
  let done = 0;
  for (const id of ids) if ((await completeLoop(resources, id)) !== 'skipped') done += 1;
  return done;
}

type WriteResult = { ok: true; uri: string } | { ok: false; uri: string; permanent: boolean; reason: string };

async function writeOutput(resources: Resources, loop: HumanLoopRow): Promise<WriteResult> {
  const db = resources.store.db;
  const flow = await findFlowDefinition(db, loop.account_id, loop.flow_definition_name);
  if (!flow) {
    return { ok: false, uri: '', permanent: true, reason: `its flow definition '${loop.flow_definition_name}' no longer exists` };
  }
  const { S3OutputPath } = JSON.parse(flow.output_config) as { S3OutputPath: string };
  const uri = outputUri(S3OutputPath, flow.name, loop.name, loop.created_at);
  // Flow definitions created before S3OutputPath was validated can still name unusable paths.
  const problem = outputUriProblem(uri);
  if (problem) return { ok: false, uri, permanent: true, reason: `the output location is not usable: ${problem}` };
  const { bucket, key } = splitS3Uri(uri)!;
  const owner = await claimBucketFor(resources, db, bucket, loop.account_id);
  if (owner !== loop.account_id) {
    return { ok: false, uri, permanent: true, reason: `bucket '${bucket}' belongs to another account` };
  }
  const stored = await answersOfLoop(db, loop.id);
  const document = buildOutputDocument({
    flowDefinitionArn: loop.flow_definition_arn,
    humanLoopName: loop.name,
    inputContent: loop.input_content,
    requestSource: flow.request_source,
    answers: stored.map((a) => ({
      acceptedAt: a.accepted_at,
      submittedAt: a.submitted_at,
      timeSpentSeconds: a.time_spent_seconds,
      workerId: a.worker_id,
      answerContent: JSON.parse(a.answer_content) as unknown,
      workerMetadata: JSON.parse(a.worker_metadata) as unknown,
    })),
  });
  try {
    await objectStoreOf(resources).putObject(bucket, key, Buffer.from(JSON.stringify(document)), 'application/json');
    return { ok: true, uri };
  } catch (error) {
    return { ok: false, uri, permanent: error instanceof PermanentStoreError, reason: describeStoreError(error) };
  }
}

async function recordTransientFailure(resources: Resources, loop: HumanLoopRow, uri: string, reason: string): Promise<CompletionOutcome> {
  const db = resources.store.db;
  const now = resources.clock.now();
  const previous = await findOutputRetry(db, loop.id);
  const firstFailedAt = previous?.first_failed_at ?? now;
  const deadline = firstFailedAt + resources.config.outputDeadlineSeconds * 1000;
  if (now >= deadline) {
    const waited = Math.round((now - firstFailedAt) / 1000);
    return (await failLoop(resources, loop, uri, `${reason} (still failing after ${waited} s of retries)`)) ? 'failed' : 'skipped';
  }
  const attempts = (previous?.attempts ?? 0) + 1;
  const delay = Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), MAX_RETRY_MS);
  await saveOutputRetry(db, {
    human_loop_id: loop.id,
    account_id: loop.account_id,
    error: reason,
    first_failed_at: firstFailedAt,
    attempts,
    retry_at: Math.min(now + delay, deadline),
  });
  // A new or changed failure is a warning; the same failure again is one info line per attempt,
  // which the backoff keeps rare.
  const retry = { humanLoopName: loop.name, account: loop.account_id, reason, attempts, retryAt: new Date(Math.min(now + delay, deadline)).toISOString() };
  if (previous?.error !== reason) resources.logger.warn(retry, 'output write failed; retrying with backoff');
  else resources.logger.info(retry, 'output write still failing; retrying with backoff');
  return 'retrying';
}

async function failLoop(resources: Resources, loop: HumanLoopRow, uri: string, cause: string): Promise<boolean> {
  const now = resources.clock.now();
  const where = uri ? ` to ${printable(uri)}` : '';
  const failure = {
    failure_code: OUTPUT_FAILURE_CODE,
    failure_reason: `All answers were received, but output.json could not be written${where}: ${cause}`.slice(0, MAX_REASON_CHARS),
  };
  const moved = await resources.store.db.transaction().execute(async (tx) => {
    const moved = await transitionHumanLoop(tx, loop.id, ['InProgress'], { status: 'Failed', failed_at: now, ...failure });
    if (moved) {
      await deleteOutputRetry(tx, loop.id);
      await appendEvent(tx, loopEvent({ ...loop, status: 'Failed', ...failure }, 'human-loop.failed', now));
    }
    return moved;
  });
  if (moved) recordLoopEnded(resources, { ...loop, ...failure }, 'Failed', now);
  return moved;
}

/**
 * A short cause for FailureReason and logs. File-system errors give their code only: their
 * messages name paths on the server's disk, which clients have no business seeing.
 */
function describeStoreError(error: unknown): string {
  if (error instanceof PermanentStoreError) return error.message;
  const err = error as { code?: unknown; name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } };
  if (typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code)) return `the object store answered ${err.code}`;
  const status = typeof err.$metadata?.httpStatusCode === 'number' ? ` (HTTP ${err.$metadata.httpStatusCode})` : '';
  const name = typeof err.name === 'string' ? err.name : 'Error';
  const message = typeof err.message === 'string' ? `: ${printable(err.message)}` : '';
  return `the object store failed with ${name}${status}${message}`;
}
