import type { Store } from './database.js';
import { startOnPostgres } from './human-loop-start-postgres.js';
import { startOnSqlite } from './human-loop-start-sqlite.js';
import type { OutboxEvent } from './outbox.js';
import type { FlowDefinitionRow, HumanLoopRow } from './schema.js';

/**
 * StartHumanLoop's write: read the flow definition, and when it is Active insert the loop, its
 * `human-loop.created` outbox row and (with `reviewSlots`) its TaskCount open review slots, all
 * or nothing. This is the hottest write of the API, so it bypasses the query builder: one file
 * per dialect holds its SQL, with the measured reason above each statement
 * (bench/start-human-loop.ts, bench/README.md). The rows are the ones the Kysely path writes
 * (`insertHumanLoop`, `appendEvent`, `insertTasks`); test/store/human-loop-start.test.ts checks
 * them column by column on both dialects.
 *
 * No look-up of the loop's name first: the unique index (account_id, name) decides, and a
 * repeated name writes nothing and is reported (`nameTaken`) or surfaces as the store's unique
 * violation; the caller answers both from the loop that holds the name.
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

/**
 * `flowStatus` undefined: no such flow definition; anything but `Active`: nothing was written.
 * `nameTaken`: the flow is Active but the account already has a loop of this name; nothing was written.
 */
export interface LoopStartOutcome {
  flowStatus: FlowDefinitionRow['status'] | undefined;
  nameTaken?: boolean;
}

export type FlowForStart = Pick<
  FlowDefinitionRow,
  'name' | 'arn' | 'status' | 'workteam_name' | 'task_count' | 'task_time_limit_seconds' | 'task_availability_lifetime_seconds'
>;

export async function startLoop(store: Store, start: LoopStart): Promise<LoopStartOutcome> {
  if (store.writeSync) return store.writeSync((database) => startOnSqlite(database, start));
  return startOnPostgres(store, start);
}
