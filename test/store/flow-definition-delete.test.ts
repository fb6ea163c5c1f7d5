import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { InUseError, NotFoundError } from '../../src/api/aws/errors.js';
import { REVIEW_HOOKS } from '../../src/api/review-hooks.js';
import { buildArn } from '../../src/domain/arns.js';
import { timeOrderedId } from '../../src/domain/time-ordered-id.js';
import { createFlowDefinition, deleteFlowDefinition } from '../../src/operations/flow-definitions.js';
import { startHumanLoop } from '../../src/operations/human-loops.js';
import { insertHumanLoop } from '../../src/store/human-loops.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { createTestFlow, openTestResources, type TestResources } from '../support/resources.js';

/** The outcome of a promise, handled at once (no unhandled rejection while the test awaits others). */
const settle = async <T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> => (await Promise.allSettled([promise]))[0]!;

/**
 * DeleteFlowDefinition against concurrent StartHumanLoops: a flow definition is never deleted
 * while a loop is started on it. A start is one statement that reads the flow definition without
 * a row lock; the delete locks `human_loops` in share mode before it counts active loops
 * (store/flow-definitions.ts, `holdLoopStarts`).
 */
for (const dialect of DIALECTS) {
  describe(`DeleteFlowDefinition racing StartHumanLoop on ${dialect}`, { skip: dialectSkip(dialect) }, () => {
    let r: TestResources;
    before(async () => {
      r = await openTestResources(dialect, { poolSize: 30 });
      await createTestFlow(r, 'base', { taskCount: 2, timeLimitSeconds: 60, lifetimeSeconds: 3600, template: '<p></p>' });
    });
    after(() => r?.dispose());

    const createFlow = async (name: string) => {
      const { FlowDefinitionArn } = await createFlowDefinition(r, r.caller, {
        FlowDefinitionName: name,
        RoleArn: 'arn:aws:iam::111122223333:role/r',
        OutputConfig: { S3OutputPath: 's3://bucket/out' },
        HumanLoopConfig: {
          WorkteamArn: buildArn('workteam', r.caller, 'base-team'),
          HumanTaskUiArn: buildArn('human-task-ui', r.caller, 'base-ui'),
          TaskTitle: 'Review',
          TaskDescription: 'Check it',
          TaskCount: 2,
        },
      });
      return FlowDefinitionArn;
    };
    const start = (name: string, flowArn: string) =>
      startHumanLoop(r, r.caller, { HumanLoopName: name, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: '{}' } }, REVIEW_HOOKS.onStarted);
    const loopsOf = (flowName: string) =>
      r.store.db.selectFrom('human_loops').select(['name', 'status']).where('flow_definition_name', '=', flowName).execute();
    const flowExists = async (flowName: string) =>
      (await r.store.db.selectFrom('flow_definitions').select('name').where('name', '=', flowName).executeTakeFirst()) !== undefined;

    test('starts and a delete racing: either the delete is refused, or no loop of the deleted flow exists', async () => {
      const outcomes = new Set<string>();
      for (let round = 0; round <= 12; round++) {
        const flowName = `churn-${round}`;
        const flowArn = await createFlow(flowName);
        // The delete goes out first, second or third in a stream of starts (one event-loop turn
        // or 1 ms apart): the starts race with the delete's statements.
        const starts: Promise<PromiseSettledResult<unknown>>[] = [];
        let deleted: Promise<PromiseSettledResult<unknown>> | undefined;
        for (let i = 0; i <= 12; i++) {
          if (i === round % 3) deleted = settle(deleteFlowDefinition(r, r.caller, flowName));
          else starts.push(settle(start(`churn-${round}-${i}`, flowArn)));
          await new Promise((resolve) => (round % 2 ? setImmediate(resolve) : setTimeout(resolve, 1)));
        }
        const [deleteOutcome, ...startOutcomes] = await Promise.all([deleted!, ...starts]);
        const loops = await loopsOf(flowName);
        const started = startOutcomes.filter((o) => o.status === 'fulfilled').length;
        for (const o of startOutcomes) if (o.status === 'rejected') assert.ok(o.reason instanceof NotFoundError, String(o.reason));
        assert.equal(loops.length, started, `round ${round}: every start that answered with an ARN stored a loop`);
        if (deleteOutcome!.status === 'fulfilled') {
          assert.deepEqual(loops, [], `round ${round}: the flow was deleted, yet loops were started on it`);
          assert.equal(await flowExists(flowName), false);
          outcomes.add('deleted');
        } else {
          assert.ok(deleteOutcome!.reason instanceof InUseError, String(deleteOutcome!.reason));
          assert.ok(loops.length > 0);
          assert.equal(await flowExists(flowName), true);
          outcomes.add('in use');
        }
      }
      console.log([...outcomes]);
    });

    // The lock order below is PostgreSQL's; on SQLite one writer at a time makes it moot.
    if (dialect !== 'postgres') return;

    /** PostgreSQL sessions of this test's database waiting for a heavyweight lock. */
    const waitingForLocks = async (count: number) => {
      for (let i = 0; i < 500; i++) {
        const { rows } = await sql<{ n: number }>`
          select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(r.store.db);
        if (rows[0]!.n >= count) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.fail(`fewer than ${count} sessions waited for a lock`);
    };
    /** A transaction that stays open until `finish` is called; `finish(false)` rolls it back. */
    const openTransaction = async (body: (tx: typeof r.store.db) => Promise<void>) => {
      let finish!: (commit: boolean) => void;
      const decided = new Promise<boolean>((resolve) => (finish = resolve));
      let started!: () => void;
      const ready = new Promise<void>((resolve) => (started = resolve));
      const done = r.store.db
        .transaction()
        .execute(async (tx) => {
          await body(tx);
          started();
          if (!(await decided)) throw new Error('rolled back on purpose');
        })
        .catch((error: Error) => {
          if (error.message !== 'rolled back on purpose') throw error;
        });
      await ready;
      return { finish, done };
    };

    test('a start that arrives while a delete holds its locks reads the flow as the delete left it', async () => {
      const flowArn = await createFlow('deleted-first');
      // A lock on the flow definition's row keeps the delete waiting after it took its first locks.
      const writer = await openTransaction(async (tx) => {
        await sql`select name from flow_definitions where name = 'deleted-first' for update`.execute(tx);
      });
      const deleted = settle(deleteFlowDefinition(r, r.caller, 'deleted-first'));
      let started: Promise<PromiseSettledResult<unknown>>;
      try {
        await waitingForLocks(1);
        // This start queues behind the delete; with a lock taken after its snapshot (an advisory
        // lock inside the statement) it would insert a loop for the flow the delete removes.
        started = settle(start('after-delete', flowArn));
        await waitingForLocks(2);
      } finally {
        writer.finish(true);
        await writer.done;
      }
      assert.deepEqual(await deleted, { status: 'fulfilled', value: {} });
      const outcome = await started;
      assert.ok(outcome.status === 'rejected' && outcome.reason instanceof NotFoundError, String(outcome));
      assert.deepEqual(await loopsOf('deleted-first'), []);
      assert.equal(await flowExists('deleted-first'), false);
    });

    test('a delete that arrives while a start is in flight waits for it and is refused', async () => {
      const flowArn = await createFlow('started-first');
      // An uncommitted loop of the same name holds the start in the middle of its statement,
      // after it read the flow definition.
      const rival = await openTransaction(async (tx) => {
        const now = r.clock.now();
        await insertHumanLoop(tx, {
          id: timeOrderedId(now), account_id: r.caller.accountId, name: 'in-flight', arn: buildArn('human-loop', r.caller, 'in-flight'),
          flow_definition_name: 'base', flow_definition_arn: buildArn('flow-definition', r.caller, 'base'), status: 'InProgress',
          input_content: '{}', input_sha256: '', content_classifiers: '[]', failure_reason: null, failure_code: null, output_s3_uri: null,
          created_at: now, stop_requested_at: null, stopped_at: null, completed_at: null, failed_at: null, answers_complete_at: null,
        });
      });
      const started = settle(start('in-flight', flowArn));
      let deleted: Promise<PromiseSettledResult<unknown>>;
      try {
        await waitingForLocks(1);
        deleted = settle(deleteFlowDefinition(r, r.caller, 'started-first'));
        await waitingForLocks(2);
      } finally {
        rival.finish(false);
        await rival.done;
      }
      assert.deepEqual(await started, { status: 'fulfilled', value: { HumanLoopArn: buildArn('human-loop', r.caller, 'in-flight') } });
      const outcome = await deleted;
      assert.ok(outcome.status === 'rejected' && outcome.reason instanceof InUseError, String(outcome));
      assert.deepEqual(await loopsOf('started-first'), [{ name: 'in-flight', status: 'InProgress' }]);
      assert.equal(await flowExists('started-first'), true);
    });
  });
}
