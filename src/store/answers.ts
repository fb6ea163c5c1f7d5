import type { Kysely } from 'kysely';
import type { AnswerRow, Database } from './schema.js';

type Db = Kysely<Database>;

export async function insertAnswer(db: Db, row: AnswerRow): Promise<void> {
  await db.insertInto('answers').values(row).execute();
}

export async function answersOfLoop(db: Db, humanLoopId: string): Promise<AnswerRow[]> {
  return db.selectFrom('answers').selectAll().where('human_loop_id', '=', humanLoopId).orderBy('submitted_at').orderBy('id').execute();
}

/**
 * The answer a worker stored for a task under a submission id, with its loop's status (to tell a
 * retried submit what the first one achieved). Reads through the task's loop, so the lookup uses
 * the unique (human_loop_id, worker_id) index.
 */
export async function findAnswerOfSubmission(
  db: Db,
  taskId: string,
  workerId: string,
  submissionId: string,
): Promise<{ answerId: string; loopStatus: string } | undefined> {
  const row = await db
    .selectFrom('tasks as t')
    .innerJoin('answers as a', (join) => join.onRef('a.human_loop_id', '=', 't.human_loop_id').on('a.worker_id', '=', workerId))
    .innerJoin('human_loops as l', 'l.id', 't.human_loop_id')
    .select(['a.id as answerId', 'l.status as loopStatus'])
    .where('t.id', '=', taskId)
    .where('a.task_id', '=', taskId)
    .where('a.submission_id', '=', submissionId)
    .executeTakeFirst();
  return row;
}
