/**
 * Read-only views for one reviewer's Home and History pages (issue 14). Every query is scoped to
 * the reviewer's account and, for answers and skips, to the reviewer: nobody sees another's work.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

export interface ReviewerQueue {
  team: string;
  flow: string;
  /** Open slots this reviewer could claim now (not of a loop they answered, skipped or hold). */
  waiting: number;
  oldestWaitingAt: number;
}

/** Per work team of the reviewer and flow definition: what waits for them, oldest first in the claim's order. */
export async function reviewerQueues(db: Db, worker: { id: string; accountId: string }, now: number): Promise<ReviewerQueue[]> {
  const result = await sql<{ team: string; flow: string; waiting: number; oldest: number }>`
    select t.workteam_name as team, l.flow_definition_name as flow, count(*) as waiting, min(t.created_at) as oldest
    from workteam_members m
    join tasks t on t.account_id = m.account_id and t.workteam_name = m.workteam_name
    join human_loops l on l.id = t.human_loop_id
    where m.account_id = ${worker.accountId} and m.worker_id = ${worker.id}
      and t.status = 'open' and t.available_until > ${now}
      and not exists (select 1 from tasks o where o.human_loop_id = t.human_loop_id and o.worker_id = ${worker.id})
      and not exists (select 1 from answers a where a.human_loop_id = t.human_loop_id and a.worker_id = ${worker.id})
      and not exists (select 1 from task_skips s where s.human_loop_id = t.human_loop_id and s.worker_id = ${worker.id})
    group by t.workteam_name, l.flow_definition_name
    order by min(t.created_at)`.execute(db);
  return result.rows.map((r) => ({ team: r.team, flow: r.flow, waiting: Number(r.waiting), oldestWaitingAt: Number(r.oldest) }));
}

export interface ReviewerDay {
  answered: number;
  skipped: number;
  /** Median time spent per answer, null without answers. */
  medianSeconds: number | null;
}

/** The reviewer's answers and skips since `since` (the start of their day). */
export async function reviewerDay(db: Db, worker: { id: string; accountId: string }, since: number): Promise<ReviewerDay> {
  const [times, skips] = await Promise.all([
    db
      .selectFrom('answers')
      .select('time_spent_seconds')
      .where('account_id', '=', worker.accountId)
      .where('worker_id', '=', worker.id)
      .where('submitted_at', '>=', since)
      .orderBy('time_spent_seconds')
      .execute(),
    db
      .selectFrom('task_skips')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('worker_id', '=', worker.id)
      .where('skipped_at', '>=', since)
      .executeTakeFirst(),
  ]);
  const list = times.map((row) => Number(row.time_spent_seconds));
  const mid = Math.floor(list.length / 2);
  const medianSeconds = list.length === 0 ? null : list.length % 2 === 1 ? list[mid]! : (list[mid - 1]! + list[mid]!) / 2;
  return { answered: list.length, skipped: Number(skips?.n ?? 0), medianSeconds };
}

export interface ReviewerAnswer {
  answerId: string;
  humanLoopName: string;
  flow: string;
  /** The flow definition's HumanLoopConfig, for the task title. */
  humanLoopConfig: string | null;
  submittedAt: number;
  timeSpentSeconds: number;
}

/** One page of the reviewer's own answers, newest first; `limit + 1` rows are read to know whether more follow. */
export async function reviewerAnswers(
  db: Db,
  worker: { id: string; accountId: string },
  page: { offset: number; limit: number },
): Promise<{ answers: ReviewerAnswer[]; more: boolean }> {
  const rows = await db
    .selectFrom('answers as a')
    .innerJoin('human_loops as l', 'l.id', 'a.human_loop_id')
    .leftJoin('flow_definitions as f', (join) => join.onRef('f.account_id', '=', 'l.account_id').onRef('f.name', '=', 'l.flow_definition_name'))
    .select(['a.id', 'l.name', 'l.flow_definition_name', 'f.human_loop_config', 'a.submitted_at', 'a.time_spent_seconds'])
    .where('a.account_id', '=', worker.accountId)
    .where('a.worker_id', '=', worker.id)
    .orderBy('a.submitted_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(page.limit + 1)
    .offset(page.offset)
    .execute();
  return {
    answers: rows.slice(0, page.limit).map((r) => ({
      answerId: r.id,
      humanLoopName: r.name,
      flow: r.flow_definition_name,
      humanLoopConfig: r.human_loop_config,
      submittedAt: Number(r.submitted_at),
      timeSpentSeconds: Number(r.time_spent_seconds),
    })),
    more: rows.length > page.limit,
  };
}
