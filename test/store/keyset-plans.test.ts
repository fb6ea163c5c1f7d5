import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CompiledQuery } from 'kysely';
import { listFlowDefinitions } from '../../src/operations/flow-definitions.js';
import { listHumanLoops } from '../../src/operations/human-loops.js';
import { listHumanTaskUis } from '../../src/operations/human-task-uis.js';
import { listWorkteams } from '../../src/operations/workteams.js';
import { flowDefinitionsPageQuery } from '../../src/store/flow-definitions.js';
import { humanLoopsPageQuery } from '../../src/store/human-loops.js';
import { humanTaskUisPageQuery } from '../../src/store/human-task-uis.js';
import type { KeysetPage } from '../../src/store/keyset.js';
import type { NewHumanLoop } from '../../src/store/schema.js';
import { workteamsPageQuery } from '../../src/store/workteams.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { collectPages } from '../support/paging.js';
import { planOf } from '../support/query-plans.js';
import { createTestFlow, openTestResources, type TestResources } from '../support/resources.js';

const TEMPLATE = '<crowd-form><crowd-input name="note"></crowd-input></crowd-form>';
const LOOPS = 8_000;
/** Loops per created_at value: pages must split groups of equal creation times exactly. */
const SAME_TIME = 7;

interface LoopKey {
  name: string;
  id: string;
  created_at: number;
}

/** Asserts the plan reads one index from the cursor on, with no sort and no full scan. */
function assertIndexRange(plan: string[], dialect: string, index: string, cursor: RegExp): void {
  const text = plan.join('\n');
  if (dialect === 'sqlite') {
    assert.equal(plan.length, 1, `one step, no temp b-tree for the order:\n${text}`);
    assert.match(plan[0]!, new RegExp(`^SEARCH \\w+ USING INDEX ${index} \\(`), text);
    assert.match(plan[0]!, cursor, text);
  } else {
    assert.match(text, new RegExp(`Index Scan(?: Backward)? using ${index} on`), text);
    assert.match(text, cursor, text);
    assert.doesNotMatch(text, /Sort|Seq Scan|Filter/, text);
  }
}

for (const dialect of DIALECTS) {
  describe(`keyset pages on ${dialect}`, { skip: dialectSkip(dialect) }, () => {
    let r: TestResources;
    let flowArn: string;
    let loops: LoopKey[];

    before(async () => {
      r = await openTestResources(dialect);
      flowArn = await createTestFlow(r, 'deep', { taskCount: 1, timeLimitSeconds: 60, lifetimeSeconds: 3600, template: TEMPLATE });
      await createTestFlow(r, 'other', { taskCount: 1, timeLimitSeconds: 60, lifetimeSeconds: 3600, template: TEMPLATE });
      const base = r.clock.now();
      loops = [];
      const rows: NewHumanLoop[] = [];
      for (let i = 0; i < LOOPS; i++) {
        // Random ids: within one creation time the id order is not the insertion order.
        const id = randomBytes(8).toString('hex');
        // 'deep' is a quarter of the account's loops, as one flow among several is: when it held
        // nearly all of them, PostgreSQL rightly found the account-wide index (human_loops_by_account,
        // the console's) with a filter just as cheap, and the plan said nothing about the flow index.
        const flow = i % 4 === 0 ? 'deep' : 'other';
        const key = { name: `loop-${i}`, id, created_at: base + Math.floor(i / SAME_TIME) * 1000 };
        if (flow === 'deep') loops.push(key);
        rows.push({
          ...key,
          account_id: r.caller.accountId,
          arn: `${flowArn}/${key.name}`,
          flow_definition_name: flow,
          flow_definition_arn: flowArn.replace(/deep$/, flow),
          status: 'InProgress',
          input_content: '{}',
          input_sha256: 'x',
          content_classifiers: '[]',
          failure_reason: null,
          failure_code: null,
          output_s3_uri: null,
          stop_requested_at: null,
          stopped_at: null,
          completed_at: null,
          failed_at: null,
          answers_complete_at: null,
        });
      }
      for (let i = 0; i < rows.length; i += 500) await r.store.db.insertInto('human_loops').values(rows.slice(i, i + 500)).execute();
      if (dialect === 'postgres') await r.store.db.executeQuery(CompiledQuery.raw('analyze'));
      loops.sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    });
    after(async () => r?.dispose());

    test('ListHumanLoops deep pages are one range of human_loops_by_flow, both orders', async () => {
      const middle = loops[Math.floor(loops.length / 2)]!;
      for (const order of ['desc', 'asc'] as const) {
        const page: KeysetPage = { order, limit: 10, after: { value: middle.created_at, id: middle.id } };
        const plan = await planOf(r.store, humanLoopsPageQuery(r.store.db, r.caller.accountId, 'deep', {}, page));
        const op = order === 'desc' ? '<' : '>';
        const cursor =
          dialect === 'sqlite'
            ? new RegExp(`account_id=\\? AND flow_definition_name=\\? AND \\(created_at,id\\)${op}\\(\\?,\\?\\)`)
            : new RegExp(`Index Cond: \\(.*ROW\\(created_at, id\\) ${op} ROW\\(`);
        assertIndexRange(plan, dialect, 'human_loops_by_flow', cursor);
      }
      // With a creation-time filter too (the filter narrows the same range).
      const filtered: KeysetPage = { order: 'desc', limit: 10, after: { value: middle.created_at, id: middle.id } };
      const plan = await planOf(r.store, humanLoopsPageQuery(r.store.db, r.caller.accountId, 'deep', { after: loops[0]!.created_at }, filtered));
      assert.match(plan.join('\n'), /human_loops_by_flow/);
      assert.doesNotMatch(plan.join('\n'), /TEMP B-TREE|Sort|Seq Scan/);
    });

    test('the SageMaker lists page along an index too', async () => {
      const page: KeysetPage = { order: 'desc', limit: 10, after: { value: r.clock.now(), id: 'm' } };
      const ageCursor =
        dialect === 'sqlite'
          ? /account_id=\? AND \(created_at,name\)<\(\?,\?\)/
          : /Index Cond: \(.*ROW\(created_at, name\) < ROW\(/;
      const options = { noSeqScan: true };
      assertIndexRange(
        await planOf(r.store, flowDefinitionsPageQuery(r.store.db, r.caller.accountId, {}, page), options),
        dialect,
        'flow_definitions_by_age',
        ageCursor,
      );
      assertIndexRange(
        await planOf(r.store, humanTaskUisPageQuery(r.store.db, r.caller.accountId, {}, page), options),
        dialect,
        'human_task_uis_by_age',
        ageCursor,
      );
      assertIndexRange(
        await planOf(r.store, workteamsPageQuery(r.store.db, r.caller.accountId, 'created_at', undefined, page), options),
        dialect,
        'workteams_by_age',
        ageCursor,
      );
      const byName = await planOf(r.store, workteamsPageQuery(r.store.db, r.caller.accountId, 'name', undefined, { ...page, after: { value: 'm', id: 'm' } }), options);
      assertIndexRange(byName, dialect, dialect === 'sqlite' ? 'sqlite_autoindex_workteams_1' : 'workteams_pk', /name ?< ?/);
    });

    test('paging is exact across equal creation times, both orders, every page size', async () => {
      // Small pages over a window of ~300 loops (a creation-time filter), large pages over all.
      const from = loops[700]!.created_at;
      const to = loops[1_000]!.created_at;
      const window = loops.filter((loop) => loop.created_at > from && loop.created_at < to);
      const runs = [
        { MaxResults: SAME_TIME - 1, filter: true },
        { MaxResults: SAME_TIME, filter: true },
        { MaxResults: 100, filter: false },
      ];
      for (const SortOrder of ['Descending', 'Ascending'] as const) {
        for (const { MaxResults, filter } of runs) {
          const times = filter ? { CreationTimeAfter: new Date(from), CreationTimeBefore: new Date(to) } : {};
          const { items } = await collectPages(
            async (NextToken) => {
              const page = await listHumanLoops(r, r.caller, { FlowDefinitionArn: flowArn, SortOrder, MaxResults, NextToken, ...times });
              return { items: page.HumanLoopSummaries, nextToken: page.NextToken };
            },
            { maxResults: MaxResults, pageLimit: 1_000 },
          );
          const selected = filter ? window : loops;
          const expected = SortOrder === 'Ascending' ? selected : [...selected].reverse();
          assert.deepEqual(
            items.map((item) => item.HumanLoopName),
            expected.map((loop) => loop.name),
            `${SortOrder}, MaxResults ${MaxResults}, ${expected.length} loops`,
          );
        }
      }
    });

    test('the SageMaker lists page exactly across equal creation times', async () => {
      // Four more flows created at one instant (createTestFlow does not move the clock).
      for (const name of ['same-a', 'same-b', 'same-c', 'same-d']) {
        await createTestFlow(r, name, { taskCount: 1, timeLimitSeconds: 60, lifetimeSeconds: 3600, template: TEMPLATE });
      }
      const flows = await collectPages(async (NextToken) => {
        const page = await listFlowDefinitions(r, r.caller, { MaxResults: 2, SortOrder: 'Ascending', NextToken });
        return { items: page.FlowDefinitionSummaries, nextToken: page.NextToken };
      });
      assert.deepEqual(
        flows.items.map((f) => f.FlowDefinitionName),
        ['deep', 'other', 'same-a', 'same-b', 'same-c', 'same-d'],
      );
      const uis = await collectPages(async (NextToken) => {
        const page = await listHumanTaskUis(r, r.caller, { MaxResults: 2, SortOrder: 'Descending', NextToken });
        return { items: page.HumanTaskUiSummaries, nextToken: page.NextToken };
      });
      assert.deepEqual(
        uis.items.map((u) => u.HumanTaskUiName),
        ['same-d-ui', 'same-c-ui', 'same-b-ui', 'same-a-ui', 'other-ui', 'deep-ui'],
      );
      for (const SortBy of ['CreateDate', 'Name'] as const) {
        const teams = await collectPages(async (NextToken) => {
          const page = await listWorkteams(r, r.caller, { MaxResults: 2, SortBy, SortOrder: 'Ascending', NextToken });
          return { items: page.Workteams, nextToken: page.NextToken };
        });
        assert.deepEqual(
          teams.items.map((t) => t.WorkteamName),
          ['deep-team', 'other-team', 'same-a-team', 'same-b-team', 'same-c-team', 'same-d-team'],
          SortBy,
        );
      }
    });
  });
}
