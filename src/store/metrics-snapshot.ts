import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Live loops of one flow definition in one status. */
export interface LoopCount {
  accountId: string;
  flowDefinition: string;
  status: 'InProgress' | 'Stopping';
  count: number;
}

/** One work team's queue. */
export interface TeamQueue {
  accountId: string;
  workteam: string;
  waiting: number;
  leased: number;
  /** created_at of the oldest waiting review slot; null when none waits. */
  oldestWaitingAt: number | null;
}

/** Events not yet where they are going. */
export interface EventBacklog {
  /** Committed outbox rows not yet published (given a sequence and their deliveries). */
  unpublished: number;
  /** Webhook deliveries waiting for their first or next attempt (or in flight). */
  undelivered: number;
  /** Webhook deliveries that gave up, until replayed or their endpoint is removed. */
  deadLetters: number;
}

export interface MetricsSnapshot {
  loops: LoopCount[];
  queues: TeamQueue[];
  events: EventBacklog;
}

/**
 * Series kept per gauge: a scrape must stay small and fast whatever the number of accounts,
 * flow definitions and teams; beyond this the largest groups are reported.
 */
export const MAX_SERIES = 1_000;

/**
 * What the gauges report, read at scrape time. Each statement reads one partial index's rows
 * only, so its cost follows the work in flight, never the history: live loops
 * (`human_loops_active_by_flow`), waiting slots (`tasks_open_by_team`, which also holds the
 * oldest `created_at`), leased slots (`tasks_leased_by_deadline`). Ended loops are counters
 * incremented when they end, because counting them here would scan every loop ever kept. The
 * event backlog reads `outbox_pending`, `webhook_deliveries_due` and `webhook_deliveries_dead`.
 */
export async function readMetricsSnapshot(db: Kysely<Database>): Promise<MetricsSnapshot> {
  const [loops, waiting, leased, backlog] = await Promise.all([
    sql<{ account_id: string; flow_definition_name: string; status: 'InProgress' | 'Stopping'; n: number | string }>`
      select account_id, flow_definition_name, status, count(*) as n from human_loops
      where status in ('InProgress', 'Stopping')
      group by account_id, flow_definition_name, status order by n desc limit ${MAX_SERIES}`.execute(db),
    sql<{ account_id: string; workteam_name: string; n: number | string; oldest: number | string | null }>`
      select account_id, workteam_name, count(*) as n, min(created_at) as oldest from tasks
      where status = 'open'
      group by account_id, workteam_name order by n desc limit ${MAX_SERIES}`.execute(db),
    sql<{ account_id: string; workteam_name: string; n: number | string }>`
      select account_id, workteam_name, count(*) as n from tasks
      where status = 'leased'
      group by account_id, workteam_name order by n desc limit ${MAX_SERIES}`.execute(db),
    sql<{ unpublished: number | string; undelivered: number | string; dead: number | string }>`
      select (select count(*) from outbox where dispatched_at is null) as unpublished,
        (select count(*) from webhook_deliveries where state = 'pending') as undelivered,
        (select count(*) from webhook_deliveries where state = 'dead') as dead`.execute(db),
  ]);
  const queues = new Map<string, TeamQueue>();
  const queueOf = (accountId: string, workteam: string) => {
    const key = `${accountId}/${workteam}`;
    let queue = queues.get(key);
    if (!queue) queues.set(key, (queue = { accountId, workteam, waiting: 0, leased: 0, oldestWaitingAt: null }));
    return queue;
  };
  for (const row of waiting.rows) {
    const queue = queueOf(row.account_id, row.workteam_name);
    queue.waiting = Number(row.n);
    queue.oldestWaitingAt = row.oldest === null ? null : Number(row.oldest);
  }
  for (const row of leased.rows) queueOf(row.account_id, row.workteam_name).leased = Number(row.n);
  return {
    loops: loops.rows.map((row) => ({ accountId: row.account_id, flowDefinition: row.flow_definition_name, status: row.status, count: Number(row.n) })),
    queues: [...queues.values()],
    events: {
      unpublished: Number(backlog.rows[0]?.unpublished ?? 0),
      undelivered: Number(backlog.rows[0]?.undelivered ?? 0),
      deadLetters: Number(backlog.rows[0]?.dead ?? 0),
    },
  };
}
