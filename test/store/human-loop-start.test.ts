import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ConflictError, NotFoundError, ValidationError } from '../../src/api/aws/errors.js';
import { REVIEW_HOOKS } from '../../src/api/review-hooks.js';
import { buildArn } from '../../src/domain/arns.js';
import { loopEvent, startHumanLoop } from '../../src/operations/human-loops.js';
import { startLoop } from '../../src/store/human-loop-start.js';
import { insertHumanLoop } from '../../src/store/human-loops.js';
import { appendEvent } from '../../src/store/outbox.js';
import type { HumanLoopRow, TaskRow } from '../../src/store/schema.js';
import { insertTasks } from '../../src/store/tasks.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { createTestFlow, openTestResources, type TestResources } from '../support/resources.js';

const INPUT = JSON.stringify({ taskObject: 's3://bucket/picture.png', note: 'ünïcode "quoted" \\ ok' });

const setupFlow = (r: TestResources, name: string, taskCount: number) =>
  createTestFlow(r, name, { taskCount, timeLimitSeconds: 75, lifetimeSeconds: 86_400, template: '<crowd-form></crowd-form>' });

/**
 * The reference: the rows the Kysely path wrote before store/human-loop-start.ts
 * (insertHumanLoop, appendEvent(loopEvent(…)), insertTasks of createReviewSlots' rows).
 */
async function startThroughKysely(r: TestResources, name: string, flowName: string, classifiers: string[]) {
  const flow = await r.store.db
    .selectFrom('flow_definitions')
    .selectAll()
    .where('account_id', '=', r.caller.accountId)
    .where('name', '=', flowName)
    .executeTakeFirstOrThrow();
  const now = r.clock.now();
  const row: HumanLoopRow = {
    id: randomUUID(),
    account_id: r.caller.accountId,
    name,
    arn: buildArn('human-loop', r.caller, name),
    flow_definition_name: flow.name,
    flow_definition_arn: flow.arn,
    status: 'InProgress',
    input_content: INPUT,
    input_sha256: createHash('sha256').update(INPUT).digest('hex'),
    content_classifiers: JSON.stringify(classifiers),
    failure_reason: null,
    failure_code: null,
    output_s3_uri: null,
    created_at: now,
    stop_requested_at: null,
    stopped_at: null,
    completed_at: null,
    failed_at: null,
    answers_complete_at: null,
  };
  const slots: TaskRow[] = Array.from({ length: flow.task_count }, (_, slot) => ({
    id: randomUUID(),
    account_id: row.account_id,
    human_loop_id: row.id,
    workteam_name: flow.workteam_name,
    slot,
    status: 'open',
    worker_id: null,
    leased_at: null,
    lease_expires_at: null,
    time_limit_seconds: flow.task_time_limit_seconds,
    available_until: row.created_at + flow.task_availability_lifetime_seconds * 1000,
    created_at: row.created_at,
    done_at: null,
  }));
  await r.store.db.transaction().execute(async (tx) => {
    await insertHumanLoop(tx, row);
    await appendEvent(tx, loopEvent(row, 'human-loop.created', now));
    await insertTasks(tx, slots);
  });
}

/** Everything stored for one loop; on SQLite also each column's storage class (integer, real, text, null). */
async function storedRows(r: TestResources, name: string) {
  const db = r.store.db;
  const loop = await db.selectFrom('human_loops').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
  const events = await db.selectFrom('outbox').selectAll().where('subject_arn', '=', loop.arn).execute();
  const tasks = await db.selectFrom('tasks').selectAll().where('human_loop_id', '=', loop.id).orderBy('slot').execute();
  const types: Record<string, unknown> = {};
  if (r.store.dialect === 'sqlite') {
    for (const [table, key, value] of [
      ['human_loops', 'id', loop.id],
      ['outbox', 'subject_arn', loop.arn],
      ['tasks', 'human_loop_id', loop.id],
    ] as const) {
      const columns = await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db);
      const typeOf = columns.rows.map((c) => `typeof(${c.name}) as ${c.name}`).join(', ');
      types[table] = (await sql.raw(`select ${typeOf} from ${table} where ${key} = '${value}' order by rowid`).execute(db)).rows;
    }
  }
  return { loop, events, tasks, types };
}

/** The two loops' rows with the fields that must differ (ids, name, ARN) made equal. */
function comparable(rows: Awaited<ReturnType<typeof storedRows>>, name: string) {
  const arnOf = rows.loop.arn;
  return {
    loop: { ...rows.loop, id: '<id>', name: '<name>', arn: '<arn>' },
    events: rows.events.map((e) => ({
      ...e,
      id: '<id>',
      subject_arn: e.subject_arn.replace(arnOf, '<arn>'),
      payload: e.payload.replaceAll(arnOf, '<arn>').replaceAll(`"${name}"`, '"<name>"'),
    })),
    tasks: rows.tasks.map((t) => ({ ...t, id: '<id>', human_loop_id: '<loop>' })),
    types: rows.types,
  };
}

for (const dialect of DIALECTS) {
  describe(`StartHumanLoop's write (store/human-loop-start.ts) on ${dialect}`, { skip: dialectSkip(dialect) }, () => {
    let r: TestResources;
    let flowArn: string;
    before(async () => {
      r = await openTestResources(dialect);
      flowArn = await setupFlow(r, 'fast', 3);
    });
    after(() => r?.dispose());

    const start = (name: string, input = INPUT, arn = flowArn, hook = REVIEW_HOOKS.onStarted) =>
      startHumanLoop(
        r,
        r.caller,
        { HumanLoopName: name, FlowDefinitionArn: arn, HumanLoopInput: { InputContent: input }, DataAttributes: { ContentClassifiers: ['FreeOfAdultContent'] } },
        hook,
      );

    test('writes the same rows as the Kysely path: loop, outbox payload, review slots', async () => {
      assert.deepEqual(await start('fast-loop'), { HumanLoopArn: buildArn('human-loop', r.caller, 'fast-loop') });
      await startThroughKysely(r, 'reference-loop', 'fast', ['FreeOfAdultContent']);
      const fast = await storedRows(r, 'fast-loop');
      const reference = await storedRows(r, 'reference-loop');
      assert.deepEqual(comparable(fast, 'fast-loop'), comparable(reference, 'reference-loop'));

      // And the shapes themselves, so the reference cannot drift along with the fast path.
      const now = r.clock.now();
      assert.equal(fast.loop.status, 'InProgress');
      assert.equal(fast.loop.flow_definition_arn, flowArn);
      assert.equal(fast.loop.content_classifiers, '["FreeOfAdultContent"]');
      assert.equal(fast.loop.created_at, now);
      assert.equal(fast.events.length, 1);
      assert.equal(fast.events[0]!.topic, 'human-loop.created');
      assert.equal(fast.events[0]!.dispatched_at, null);
      assert.equal(fast.events[0]!.attempts, 0);
      assert.equal(
        fast.events[0]!.payload,
        JSON.stringify({
          creationTime: new Date(now).toISOString(),
          eventTime: new Date(now).toISOString(),
          humanLoopName: 'fast-loop',
          humanLoopArn: fast.loop.arn,
          flowDefinitionArn: flowArn,
          humanLoopStatus: 'InProgress',
        }),
      );
      assert.deepEqual(fast.tasks.map((t) => [t.slot, t.status, t.time_limit_seconds, t.available_until, t.created_at, t.worker_id]), [
        [0, 'open', 75, now + 86_400_000, now, null],
        [1, 'open', 75, now + 86_400_000, now, null],
        [2, 'open', 75, now + 86_400_000, now, null],
      ]);
      // Version 7 ids whose first 48 bits are the creation time, so new slots append to the indexes.
      const timePrefix = now.toString(16).padStart(12, '0');
      for (const task of fast.tasks) {
        assert.match(task.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.equal(task.id.replace('-', '').slice(0, 12), timePrefix);
      }
      assert.equal(new Set(fast.tasks.map((t) => t.id)).size, 3);
    });

    test('without the review hook, no slots', async () => {
      const request = { HumanLoopName: 'no-slots', FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: INPUT } };
      await startHumanLoop(r, r.caller, request);
      assert.equal((await storedRows(r, 'no-slots')).tasks.length, 0);
    });

    test('a repeated name: the same ARN for the same input, ConflictException otherwise; nothing more is written', async () => {
      await start('twice');
      const first = await storedRows(r, 'twice');
      assert.deepEqual(await start('twice'), { HumanLoopArn: first.loop.arn });
      await assert.rejects(start('twice', JSON.stringify({ other: 1 })), ConflictError);
      assert.deepEqual(await storedRows(r, 'twice'), first);
    });

    test('a repeated name at the store: reported as nameTaken, not thrown; nothing written', async () => {
      await start('taken');
      const first = await storedRows(r, 'taken');
      const now = r.clock.now();
      const outcome = await startLoop(r.store, {
        loop: { ...first.loop, id: randomUUID(), input_content: '{"other":1}', created_at: now },
        event: (loop) => loopEvent(loop, 'human-loop.created', now),
        reviewSlots: true,
      });
      assert.deepEqual(outcome, { flowStatus: 'Active', nameTaken: true });
      assert.deepEqual(await storedRows(r, 'taken'), first);
    });

    test('a missing flow definition: NotFound; a flow that is not Active: ValidationException; nothing written', async () => {
      const missing = buildArn('flow-definition', r.caller, 'nope');
      await assert.rejects(start('on-missing', INPUT, missing), (error: Error) => {
        assert.ok(error instanceof NotFoundError);
        assert.equal(error.message, `Flow definition '${missing}' does not exist.`);
        return true;
      });
      await r.store.db.updateTable('flow_definitions').set({ status: 'Failed' }).where('name', '=', 'fast').execute();
      try {
        await assert.rejects(start('on-failed'), (error: Error) => {
          assert.ok(error instanceof ValidationError);
          assert.equal(error.message, `Flow definition 'fast' is Failed, not Active.`);
          return true;
        });
      } finally {
        await r.store.db.updateTable('flow_definitions').set({ status: 'Active' }).where('name', '=', 'fast').execute();
      }
      const written = await r.store.db.selectFrom('human_loops').select('name').where('name', 'in', ['on-missing', 'on-failed']).execute();
      assert.deepEqual(written, []);
      const events = await r.store.db.selectFrom('outbox').select('id').where('subject_arn', 'like', '%/on-%').execute();
      assert.deepEqual(events, []);
    });
  });
}
