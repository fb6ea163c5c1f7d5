import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompiledQuery } from 'kysely';
import { REVIEW_HOOKS } from '../../src/api/review-hooks.js';
import { RETENTION_BATCH, retentionTask } from '../../src/engine/retention.js';
import { describeHumanLoop, startHumanLoop } from '../../src/operations/human-loops.js';
import { retiredLoopsQuery } from '../../src/store/retention.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { insertLoopHistory, type HistoricLoop } from '../support/loop-history.js';
import { planOf, readsOnlyThrough } from '../support/query-plans.js';
import { createTestFlow, openTestResources, type TestResources } from '../support/resources.js';

const TEMPLATE = '<crowd-form><crowd-input name="note"></crowd-input></crowd-form>';
const DAY = 86_400_000;
const RETENTION_DAYS = 30;
const OLD = 1_200;

for (const dialect of DIALECTS) {
  describe(`retention on ${dialect}`, { skip: dialectSkip(dialect) }, () => {
    let r: TestResources;
    let flowArn: string;
    const kept: string[] = [];
    const removed: string[] = [];

    before(async () => {
      r = await openTestResources(dialect, { poolSize: 20 });
      flowArn = await createTestFlow(r, 'kept', { taskCount: 1, timeLimitSeconds: 60, lifetimeSeconds: 3600, template: TEMPLATE });
      const now = r.clock.now();
      const cutoff = now - RETENTION_DAYS * DAY;
      const loops: HistoricLoop[] = [];
      const statuses = ['Completed', 'Failed', 'Stopped'] as const;
      for (let i = 0; i < OLD; i++) {
        // Ended before the cut-off: removed.
        const status = statuses[i % 3]!;
        loops.push({
          name: `old-${i}`,
          status,
          createdAt: cutoff - 10 * DAY + i,
          endedAt: cutoff - 1 - i,
          taskStatus: status === 'Completed' ? 'done' : 'cancelled',
          workerId: status === 'Completed' ? `w${i % 20}` : undefined,
        });
        removed.push(`old-${i}`);
      }
      const keep = (loop: HistoricLoop) => {
        loops.push(loop);
        kept.push(loop.name);
      };
      for (let i = 0; i < 50; i++) {
        // Created long ago but ended after the cut-off: kept.
        keep({ name: `late-end-${i}`, status: 'Completed', createdAt: cutoff - 5 * DAY + i, endedAt: cutoff + 1 + i, taskStatus: 'done', workerId: 'w1' });
        // Ended exactly at the cut-off: not older than it, kept.
        keep({ name: `at-cutoff-${i}`, status: 'Failed', createdAt: cutoff - DAY - i, endedAt: cutoff, taskStatus: 'cancelled' });
        // Still in progress or stopping, however old: kept.
        keep({ name: `old-open-${i}`, status: 'InProgress', createdAt: cutoff - 40 * DAY + i, taskStatus: 'open', availableUntil: now + DAY });
        keep({ name: `old-stopping-${i}`, status: 'Stopping', createdAt: cutoff - 40 * DAY + i, taskStatus: 'leased', workerId: 'w2' });
        // Recent and finished: kept.
        keep({ name: `recent-${i}`, status: statuses[i % 3]!, createdAt: now - DAY + i, endedAt: now - 1000, taskStatus: 'cancelled' });
      }
      await insertLoopHistory(r.store.db, r.caller.accountId, { name: 'kept', arn: flowArn, team: 'kept-team' }, loops);
      if (dialect === 'postgres') await r.store.db.executeQuery(CompiledQuery.raw('analyze'));
    });
    after(async () => r?.dispose());

    test('off unless TANDEM_RETENTION_DAYS is set', async () => {
      assert.equal(r.config.retentionDays, undefined);
      assert.equal(await retentionTask.run(r), 0);
      assert.equal(await loopCount(r), OLD + kept.length);
    });

    test('the batch query reads the terminal-loops index, not the table', async () => {
      const plan = await planOf(r.store, retiredLoopsQuery(r.store.db, r.clock.now() - RETENTION_DAYS * DAY, RETENTION_BATCH));
      assert.equal(readsOnlyThrough(plan, dialect, 'human_loops', 'human_loops_terminal_by_age'), undefined);
    });

    test('under concurrent StartHumanLoops, removes exactly the terminal loops that ended before the cut-off', async () => {
      r.config = { ...r.config, retentionDays: RETENTION_DAYS };
      // Writers: StartHumanLoop in a steady stream for as long as retention runs.
      let retaining = true;
      const started: string[] = [];
      const writer = (async () => {
        for (let i = 0; retaining || i < 50; i++) {
          const name = `new-${i}`;
          await startHumanLoop(
            r,
            r.caller,
            { HumanLoopName: name, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: JSON.stringify({ i }) } },
            REVIEW_HOOKS.onStarted,
          );
          started.push(name);
        }
      })();
      const batches: number[] = [];
      for (let done = -1; done !== 0; ) {
        // The engine returns to the event loop between runs (a timer); so does this.
        await new Promise((resolve) => setTimeout(resolve, 0));
        done = await retentionTask.run(r);
        batches.push(done);
      }
      retaining = false;
      const startedDuringRetention = started.length;
      await writer;

      assert.ok(batches.every((n) => n <= RETENTION_BATCH), `batches of at most ${RETENTION_BATCH}: ${batches.join(',')}`);
      assert.equal(batches.reduce((a, b) => a + b, 0), OLD);
      assert.ok(startedDuringRetention > 0, 'loops were started while retention ran');

      const names = new Set((await r.store.db.selectFrom('human_loops').select('name').execute()).map((row) => row.name));
      assert.deepEqual(
        removed.filter((name) => names.has(name)),
        [],
        'every old terminal loop is gone',
      );
      assert.deepEqual(
        [...kept, ...started].filter((name) => !names.has(name)),
        [],
        'nothing newer than the cut-off, nothing in progress, nothing just started removed',
      );
      // Their slots and answers went with them; the kept loops' stayed.
      const orphans = await r.store.db
        .selectFrom('tasks')
        .leftJoin('human_loops', 'human_loops.id', 'tasks.human_loop_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('human_loops.id', 'is', null)
        .executeTakeFirstOrThrow();
      assert.equal(Number(orphans.n), 0, 'no slot outlives its loop');
      const answerOrphans = await r.store.db
        .selectFrom('answers')
        .leftJoin('human_loops', 'human_loops.id', 'answers.human_loop_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('human_loops.id', 'is', null)
        .executeTakeFirstOrThrow();
      assert.equal(Number(answerOrphans.n), 0, 'no answer outlives its loop');
      const keptTasks = await r.store.db.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(keptTasks.n), kept.length + started.length);
      const keptAnswers = await r.store.db.selectFrom('answers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(keptAnswers.n), 50, 'the late-ending loops keep their answers');

      // What a client sees.
      await assert.rejects(describeHumanLoop(r, r.caller, 'old-0'), { kind: 'NotFound' });
      assert.equal((await describeHumanLoop(r, r.caller, 'old-open-0')).HumanLoopStatus, 'InProgress');
      assert.equal((await describeHumanLoop(r, r.caller, 'late-end-0')).HumanLoopStatus, 'Completed');
      assert.equal((await describeHumanLoop(r, r.caller, 'new-0')).HumanLoopStatus, 'InProgress');
    });

    test('a loop becomes removable once it ended more than the retention period ago', async () => {
      r.clock.advance(DAY);
      assert.equal(await retentionTask.run(r), 50 + 50, 'late-end and at-cutoff loops now ended over 30 days ago');
      assert.equal(await retentionTask.run(r), 0);
      await assert.rejects(describeHumanLoop(r, r.caller, 'late-end-0'), { kind: 'NotFound' });
      assert.equal((await describeHumanLoop(r, r.caller, 'old-stopping-0')).HumanLoopStatus, 'Stopping');
    });
  });
}

async function loopCount(r: TestResources): Promise<number> {
  const row = await r.store.db.selectFrom('human_loops').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
