import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompiledQuery } from 'kysely';
import { ENGINE_TASKS } from '../../src/engine/tasks.js';
import { describeHumanLoop } from '../../src/operations/human-loops.js';
import { stoppingLoopsQuery } from '../../src/store/human-loops.js';
import { loopsAwaitingOutputQuery } from '../../src/store/output-retries.js';
import { expiredLeasesQuery, expiredLoopIdsQuery } from '../../src/store/tasks.js';
import { leasedTasksOfWorkerQuery } from '../../src/store/workers.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { insertLoopHistory, type HistoricLoop } from '../support/loop-history.js';
import { planOf, readsOnlyThrough } from '../support/query-plans.js';
import { createTestFlow, openTestResources, type TestResources } from '../support/resources.js';

const TEMPLATE = '<crowd-form><crowd-input name="note"></crowd-input></crowd-form>';
const HISTORY = 4_000;

for (const dialect of DIALECTS) {
  describe(`engine queries on ${dialect}`, { skip: dialectSkip(dialect) }, () => {
    let r: TestResources;
    let flowArn: string;

    before(async () => {
      r = await openTestResources(dialect);
      flowArn = await createTestFlow(r, 'busy', { taskCount: 1, timeLimitSeconds: 60, lifetimeSeconds: 3600, template: TEMPLATE });
      const now = r.clock.now();
      // A long history (Completed loops, done slots, answers) and a handful of loops in each
      // state the engine looks for.
      const loops: HistoricLoop[] = [];
      for (let i = 0; i < HISTORY; i++) {
        loops.push({ name: `old-${i}`, status: 'Completed', createdAt: now - 86_400_000 + i, endedAt: now - 3_600_000, taskStatus: 'done', workerId: `w${i % 50}` });
      }
      loops.push({ name: 'stopping', status: 'Stopping', createdAt: now - 1000, taskStatus: 'open' });
      loops.push({ name: 'overdue', status: 'InProgress', createdAt: now - 7_200_000, taskStatus: 'open', availableUntil: now - 1 });
      loops.push({
        name: 'lapsed-lease',
        status: 'InProgress',
        createdAt: now - 120_000,
        taskStatus: 'leased',
        workerId: 'w1',
        leaseExpiresAt: now - 1,
      });
      await insertLoopHistory(r.store.db, r.caller.accountId, { name: 'busy', arn: flowArn, team: 'busy-team' }, loops);
      if (dialect === 'postgres') await r.store.db.executeQuery(CompiledQuery.raw('analyze'));
    });
    after(async () => r?.dispose());

    test('every periodic query reads only its partial index, never the history', async () => {
      const now = r.clock.now();
      const db = r.store.db;
      const cases = [
        { name: 'finish-stopping', query: stoppingLoopsQuery(db, 100), table: 'human_loops', index: 'human_loops_stopping' },
        { name: 'complete-answered-loops', query: loopsAwaitingOutputQuery(db, now, 50), table: 'human_loops', index: 'human_loops_answered' },
        { name: 'expire-overdue-loops', query: expiredLoopIdsQuery(db, now, 100), table: 'tasks', index: 'tasks_waiting_by_deadline' },
        {
          name: 'requeue-expired-leases',
          query: expiredLeasesQuery(db, now, 500),
          table: 'tasks',
          // Either index of leased slots only is bounded by the leases, not the history.
          index: ['tasks_leased_by_deadline', 'tasks_leased_by_worker'],
        },
        { name: "portal: the worker's own leases", query: leasedTasksOfWorkerQuery(db, 'w1', now), table: 'tasks', index: 'tasks_leased_by_worker' },
      ];
      for (const c of cases) {
        const plan = await planOf(r.store, c.query);
        const indexes = typeof c.index === 'string' ? [c.index] : c.index;
        const problems = indexes.map((index) => readsOnlyThrough(plan, dialect, c.table, index));
        const problem = problems.every((p) => p !== undefined) ? problems[0] : undefined;
        assert.equal(problem, undefined, `${c.name}: ${problem}`);
      }
    });

    test('the engine still finds and finishes the work those indexes hold', async () => {
      for (const task of ENGINE_TASKS) await task.run(r);
      const status = async (name: string) => (await describeHumanLoop(r, r.caller, name)).HumanLoopStatus;
      assert.equal(await status('stopping'), 'Stopped');
      assert.equal(await status('overdue'), 'Failed');
      const lapsed = await db().selectFrom('tasks').innerJoin('human_loops', 'human_loops.id', 'tasks.human_loop_id').select(['tasks.status', 'tasks.worker_id']).where('human_loops.name', '=', 'lapsed-lease').executeTakeFirstOrThrow();
      assert.deepEqual(lapsed, { status: 'open', worker_id: null });
      assert.equal(await status('old-0'), 'Completed');
    });

    const db = () => r.store.db;
  });
}
