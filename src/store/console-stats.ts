/** Read-only aggregates for the console's team and queue pages. */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

export interface WorkerStats {
  answered: number;
  /** Median TimeSpentInSeconds, null without answers. */
  medianSeconds: number | null;
  skips: number;
}

export async function workerStats(db: Db, accountId: string, workerIds: string[]): Promise<Map<string, WorkerStats>> {
  const stats = new Map<string, WorkerStats>(workerIds.map((id) => [id, { answered: 0, medianSeconds: null, skips: 0 }]));
  if (workerIds.length === 0) return stats;
  const [answers, skips] = await Promise.all([
    db.selectFrom('answers').select(['worker_id', 'time_spent_seconds']).where('account_id', '=', accountId).where('worker_id', 'in', workerIds).execute(),
    db.selectFrom('task_skips').select(['worker_id', (eb) => eb.fn.countAll<number>().as('n')]).where('worker_id', 'in', workerIds).groupBy('worker_id').execute(),
  ]);
  const times = new Map<string, number[]>();
  for (const a of answers) times.set(a.worker_id, [...(times.get(a.worker_id) ?? []), Number(a.time_spent_seconds)]);
  for (const [id, list] of times) {
    list.sort((x, y) => x - y);
    const mid = Math.floor(list.length / 2);
    stats.get(id)!.answered = list.length;
    stats.get(id)!.medianSeconds = list.length % 2 === 1 ? list[mid]! : (list[mid - 1]! + list[mid]!) / 2;
  }
  for (const s of skips) stats.get(s.worker_id)!.skips = Number(s.n);
  return stats;
}

export interface QueueRow {
  team: string;
  flow: string;
  waiting: number;
  leased: number;
  oldestWaitingAt: number | null;
  expiringSoon: number;
  answersLastHour: number;
}

/** Per team and flow definition: slots waiting and leased, the oldest waiting, answers in the last hour, slots expiring within the hour. */
export async function queueRows(db: Db, accountId: string, now: number): Promise<QueueRow[]> {
  const soon = now + 60 * 60 * 1000;
  const open = await sql<{ team: string; flow: string; waiting: number; leased: number; oldest: number | null; expiring: number }>`
    select t.workteam_name as team, l.flow_definition_name as flow,
      sum(case when t.status = 'open' then 1 else 0 end) as waiting,
      sum(case when t.status = 'leased' then 1 else 0 end) as leased,
      min(case when t.status = 'open' then t.created_at end) as oldest,
      sum(case when t.available_until < ${soon} then 1 else 0 end) as expiring
    from tasks t join human_loops l on l.id = t.human_loop_id
    where t.account_id = ${accountId} and t.status in ('open', 'leased')
    group by t.workteam_name, l.flow_definition_name`.execute(db);
  const answered = await sql<{ team: string; flow: string; n: number }>`
    select t.workteam_name as team, l.flow_definition_name as flow, count(*) as n
    from answers a join tasks t on t.id = a.task_id join human_loops l on l.id = a.human_loop_id
    where a.account_id = ${accountId} and a.submitted_at > ${now - 60 * 60 * 1000}
    group by t.workteam_name, l.flow_definition_name`.execute(db);
  const rows = new Map<string, QueueRow>();
  const key = (team: string, flow: string) => `${team}\u0000${flow}`;
  for (const r of open.rows) {
    rows.set(key(r.team, r.flow), {
      team: r.team,
      flow: r.flow,
      waiting: Number(r.waiting),
      leased: Number(r.leased),
      oldestWaitingAt: r.oldest === null ? null : Number(r.oldest),
      expiringSoon: Number(r.expiring),
      answersLastHour: 0,
    });
  }
  for (const r of answered.rows) {
    const row = rows.get(key(r.team, r.flow)) ?? { team: r.team, flow: r.flow, waiting: 0, leased: 0, oldestWaitingAt: null, expiringSoon: 0, answersLastHour: 0 };
    row.answersLastHour = Number(r.n);
    rows.set(key(r.team, r.flow), row);
  }
  return [...rows.values()].sort((a, b) => a.team.localeCompare(b.team) || a.flow.localeCompare(b.flow));
}

/** A review slot a worker holds now, for the team page. */
export interface HeldTask {
  workerId: string;
  taskId: string;
  loopName: string;
  flowName: string;
  leasedAt: number | null;
  /** The end of TaskTimeLimitInSeconds: the lease ends here whatever the page does. */
  leaseExpiresAt: number | null;
  /** When the lease goes back to the queue should the task page stop beating; null without a page. */
  idleReleaseAt: number | null;
}

/** The team's leased slots, by worker, soonest expiry first. Leases past their expiry wait for the engine and are left out. */
export async function heldTasks(db: Db, accountId: string, team: string, now: number): Promise<HeldTask[]> {
  const rows = await db
    .selectFrom('tasks as t')
    .innerJoin('human_loops as l', 'l.id', 't.human_loop_id')
    .select(['t.id', 't.worker_id', 't.leased_at', 't.lease_expires_at', 't.idle_release_at', 'l.name', 'l.flow_definition_name'])
    .where('t.account_id', '=', accountId)
    .where('t.workteam_name', '=', team)
    .where('t.status', '=', 'leased')
    .where('t.lease_expires_at', '>', now)
    .orderBy('t.worker_id')
    .orderBy('t.lease_expires_at')
    .execute();
  const optional = (value: number | null | undefined) => (value == null ? null : Number(value));
  return rows.map((r) => ({
    workerId: r.worker_id ?? '',
    taskId: r.id,
    loopName: r.name,
    flowName: r.flow_definition_name,
    leasedAt: optional(r.leased_at),
    leaseExpiresAt: optional(r.lease_expires_at),
    idleReleaseAt: optional(r.idle_release_at),
  }));
}
