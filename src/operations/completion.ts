import { buildOutputDocument, outputUri } from '../domain/output-document.js';
import { writeOutputFile } from '../output/local-output.js';
import type { Resources } from '../resources.js';
import { answersOfLoop } from '../store/answers.js';
import { findFlowDefinition } from '../store/flow-definitions.js';
import { answeredLoopsQuery, transitionHumanLoop } from '../store/human-loops.js';
import { appendEvent } from '../store/outbox.js';
import { loopEvent } from './human-loops.js';

/**
 * Writes a fully answered loop's output.json, then marks it Completed. The file is durable
 * before the status changes, so a Completed loop always has its output; writing twice is
 * harmless (same content, atomic rename), so a retry after a crash is safe.
 */
export async function completeLoop(resources: Resources, loopId: string): Promise<boolean> {
  const db = resources.store.db;
  const loop = await db.selectFrom('human_loops').selectAll().where('id', '=', loopId).executeTakeFirst();
  if (!loop || loop.status !== 'InProgress' || loop.answers_complete_at === null) return false;
  const flow = await findFlowDefinition(db, loop.account_id, loop.flow_definition_name);
  if (!flow) return false;
  const { S3OutputPath } = JSON.parse(flow.output_config) as { S3OutputPath: string };
  const uri = outputUri(S3OutputPath, flow.name, loop.name, loop.created_at);
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
  await writeOutputFile(resources.config.outputDir, uri, document);
  const now = resources.clock.now();
  return db.transaction().execute(async (tx) => {
    const moved = await transitionHumanLoop(tx, loop.id, ['InProgress'], {
      status: 'Completed',
      completed_at: now,
      output_s3_uri: uri,
    });
    if (moved) {
      await appendEvent(tx, loopEvent({ ...loop, status: 'Completed', output_s3_uri: uri }, 'human-loop.completed', now));
    }
    return moved;
  });
}

/** Loops whose answers are in but whose completion did not finish (a failed write, a crash). */
export async function completeAnsweredLoops(resources: Resources, limit = 50): Promise<number> {
  const rows = await answeredLoopsQuery(resources.store.db, limit).execute();
  let completed = 0;
  for (const row of rows) if (await completeLoop(resources, row.id)) completed += 1;
  return completed;
}
