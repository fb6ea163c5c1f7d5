import type { Kysely } from 'kysely';
import type { AnswerRow, Database } from './schema.js';

type Db = Kysely<Database>;

export async function insertAnswer(db: Db, row: AnswerRow): Promise<void> {
  await db.insertInto('answers').values(row).execute();
}

export async function answersOfLoop(db: Db, humanLoopId: string): Promise<AnswerRow[]> {
  return db.selectFrom('answers').selectAll().where('human_loop_id', '=', humanLoopId).orderBy('submitted_at').orderBy('id').execute();
}
