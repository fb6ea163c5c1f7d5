/**
 * claimNextTask under load (issue 4): 100 workers claiming at once from 100,000 open review
 * slots, on SQLite and on PostgreSQL (pool sizes 10, 20, 50), with claim latency p50/p99,
 * claims per second as a ratio to the cheapest write measured on the same database and pool in
 * the same run, and the number of double assignments (must be 0).
 *
 *   npm run bench -- claim-next-task [--workers=100] [--tasks=100000] [--task-count=2]
 *        [--duration=10] [--max-claims=20000] [--baseline-duration=3] [--pools=10,20,50]
 *        [--postgres=URL] [--sqlite-only | --dialects=sqlite,postgres]
 *
 * Workers claim and hold (no answers): each claim leases one more slot. With TaskCount 2 two
 * workers share each loop, so the one-slot-per-worker rule is exercised on every loop. Claims go
 * through the real operation, so the statement measured is the one in src/store/tasks.ts.
 * See bench/README.md (section claim-next-task) for what each figure means.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect, type CompiledQuery, type LogEvent } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { REVIEW_HOOKS } from '../src/api/review-hooks.js';
import { loadConfig } from '../src/config.js';
import { buildArn } from '../src/domain/arns.js';
import { createFlowDefinition } from '../src/operations/flow-definitions.js';
import { createHumanTaskUi } from '../src/operations/human-task-uis.js';
import { loopEvent, startHumanLoop } from '../src/operations/human-loops.js';
import { claimNextTask, type WorkerIdentity } from '../src/operations/reviews.js';
import { addWorker } from '../src/operations/workers.js';
import { createWorkteam } from '../src/operations/workteams.js';
import type { Caller, Clock, Resources } from '../src/resources.js';
import { SecretBox } from '../src/security/secret-box.js';
import { ensureAccount } from '../src/store/accounts.js';
import { openStore, type Store } from '../src/store/database.js';
import { findFlowDefinition } from '../src/store/flow-definitions.js';
import type { Database, FlowDefinitionRow, HumanLoopRow, TaskRow } from '../src/store/schema.js';
import * as taskStore from '../src/store/tasks.js';
import { createBenchDatabase, postgresServerUrl, postgresUnavailableReason, type BenchDatabase, type BenchDialect } from './support/databases.js';
import { LatencySamples, round, type LatencySummary } from './support/latency.js';
import { machineInfo, sourceState, writeResults } from './support/results.js';
import { formatCount, formatMs, formatRatio, formatTable } from './support/table.js';

const { values: flags } = parseArgs({
  options: {
    workers: { type: 'string', default: '100' },
    tasks: { type: 'string', default: '100000' },
    'task-count': { type: 'string', default: '2' },
    duration: { type: 'string', default: '10' },
    'max-claims': { type: 'string', default: '20000' },
    'baseline-duration': { type: 'string', default: '3' },
    pools: { type: 'string', default: '10,20,50' },
    postgres: { type: 'string' },
    'sqlite-only': { type: 'boolean', default: false },
    dialects: { type: 'string', default: 'sqlite,postgres' },
  },
});
const WORKERS = Number(flags.workers);
const TASKS = Number(flags.tasks);
const TASK_COUNT = Number(flags['task-count']);
const DURATION_MS = Number(flags.duration) * 1000;
const MAX_CLAIMS = Number(flags['max-claims']);
const BASELINE_MS = Number(flags['baseline-duration']) * 1000;
const POOLS = flags.pools.split(',').map(Number);
/** The PostgreSQL pool after whose run the plans are compared again. */
const FOCUS_POOL = POOLS.includes(20) ? 20 : POOLS[0]!;
const LOOPS_PER_TRANSACTION = 1_000;
/** The newest slots, which the baseline writes; claims (oldest first) must never reach them. */
const TAIL = Math.min(20_000, Math.floor(TASKS / 5));
if (MAX_CLAIMS > TASKS - TAIL) throw new Error(`--max-claims must be at most ${TASKS - TAIL}: the baseline writes the newest ${TAIL} slots`);
const ROOT = join(import.meta.dirname, '..');
const CALLER: Caller = { accountId: '111122223333', region: 'us-east-1' };
const TEAM = 'bench-team';
const FLOW = 'bench-flow';

const say = (line = '') => process.stdout.write(`${line}\n`);
const load1 = () => round(os.loadavg()[0]!, 2);
const seconds = (from: number) => round((performance.now() - from) / 1000, 2);

/** The system clock, which setup pins for the parity loop. */
class PinnableClock implements Clock {
  pinned: number | undefined;
  now(): number {
    return this.pinned ?? Date.now();
  }
}
type BenchResources = Resources & { clock: PinnableClock };

async function openResources(database: BenchDatabase, poolSize: number): Promise<BenchResources> {
  const store = await openStore({ databaseUrl: database.databaseUrl, sqliteFile: join(database.dataDir, 'tandem.db'), poolSize });
  const config = { ...loadConfig({}, {}, database.dataDir), dataDir: database.dataDir, databaseUrl: database.databaseUrl };
  return { config, store, clock: new PinnableClock(), secrets: new SecretBox(randomBytes(32)), logger: pino({ level: 'silent' }) };
}

// ---- setup: account, team, UI, flow definition, workers, 100k open slots ------------------------------

const loopName = (index: number) => `loop-${String(index).padStart(7, '0')}`;
const inputOf = (index: number) => JSON.stringify({ text: `Is item ${index} a cat or a dog?`, item: index });

/**
 * The rows StartHumanLoop + createReviewSlots write for one loop (src/operations/human-loops.ts,
 * src/operations/reviews.ts), built here so 100k loops go in as multi-row inserts. setUp proves
 * the shapes equal by starting one loop through the real operation and comparing.
 */
function loopRows(flow: FlowDefinitionRow, index: number, createdAt: number) {
  const name = loopName(index);
  const input = inputOf(index);
  const loop: HumanLoopRow = {
    id: randomUUID(), account_id: CALLER.accountId, name, arn: buildArn('human-loop', CALLER, name),
    flow_definition_name: flow.name, flow_definition_arn: flow.arn, status: 'InProgress',
    input_content: input, input_sha256: createHash('sha256').update(input).digest('hex'), content_classifiers: JSON.stringify([]),
    failure_reason: null, failure_code: null, output_s3_uri: null, created_at: createdAt,
    stop_requested_at: null, stopped_at: null, completed_at: null, failed_at: null, answers_complete_at: null,
  };
  const event = loopEvent(loop, 'human-loop.created', createdAt);
  const outbox = {
    account_id: event.accountId, topic: event.topic, subject_arn: event.subjectArn,
    payload: JSON.stringify(event.payload), created_at: event.createdAt, dispatched_at: null,
  };
  const slots: TaskRow[] = Array.from({ length: flow.task_count }, (_, slot) => ({
    id: randomUUID(), account_id: loop.account_id, human_loop_id: loop.id, workteam_name: flow.workteam_name, slot,
    status: 'open', worker_id: null, leased_at: null, lease_expires_at: null, time_limit_seconds: flow.task_time_limit_seconds,
    available_until: loop.created_at + flow.task_availability_lifetime_seconds * 1000, created_at: loop.created_at, done_at: null,
  }));
  return { loop, outbox, slots };
}

async function storedLoop(db: Kysely<Database>, name: string) {
  const loop = await db.selectFrom('human_loops').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
  const outbox = await db.selectFrom('outbox').selectAll().where('subject_arn', '=', loop.arn).execute();
  const slots = await db.selectFrom('tasks').selectAll().where('human_loop_id', '=', loop.id).orderBy('slot').execute();
  return { loop, outbox, slots };
}

interface Setup {
  workers: WorkerIdentity[];
  /** Task ids at the end of the queue (newest), which claims never reach: the baseline writes them. */
  tailTaskIds: string[];
  seconds: { controlPlaneAndWorkers: number; loopsAndSlots: number; vacuumAnalyze: number; total: number };
  loops: number;
  openTasks: number;
}

async function setUp(r: BenchResources): Promise<Setup> {
  const start = performance.now();
  const db = r.store.db;
  await ensureAccount(db, CALLER.accountId, r.clock.now());
  const cognito = { UserPool: 'us-east-1_bench', UserGroup: 'bench', ClientId: 'bench' };
  await createWorkteam(r, CALLER, { WorkteamName: TEAM, Description: 'bench', MemberDefinitions: [{ CognitoMemberDefinition: cognito }] });
  const template = '<crowd-form><crowd-input name="note"></crowd-input></crowd-form>';
  await createHumanTaskUi(r, CALLER, { HumanTaskUiName: 'bench-ui', UiTemplate: { Content: template } });
  const { FlowDefinitionArn } = await createFlowDefinition(r, CALLER, {
    FlowDefinitionName: FLOW,
    RoleArn: `arn:aws:iam::${CALLER.accountId}:role/bench`,
    OutputConfig: { S3OutputPath: 's3://bench/out' },
    HumanLoopConfig: {
      WorkteamArn: buildArn('workteam', CALLER, TEAM), HumanTaskUiArn: buildArn('human-task-ui', CALLER, 'bench-ui'),
      TaskTitle: 'Classify', TaskDescription: 'Cat or dog', TaskCount: TASK_COUNT,
      TaskTimeLimitInSeconds: 3_600, TaskAvailabilityLifetimeInSeconds: 86_400,
    },
  });
  const workers: WorkerIdentity[] = [];
  for (let i = 0; i < WORKERS; i++) {
    const { worker } = await addWorker(r, { accountId: CALLER.accountId, email: `reviewer-${i}@bench.example`, teams: [TEAM] });
    workers.push({ id: worker.workerId, accountId: CALLER.accountId, identityProvider: 'Tandem' });
  }
  const controlPlaneAndWorkers = seconds(start);

  const loopsStart = performance.now();
  const flow = (await findFlowDefinition(db, CALLER.accountId, FLOW))!;
  const loops = Math.ceil(TASKS / TASK_COUNT);
  const base = Date.now() - loops - 60_000; // every loop a distinct millisecond, all in the past
  // Loop 0 through the real operation; its rows must equal what loopRows builds for it.
  r.clock.pinned = base;
  const request = { HumanLoopName: loopName(0), FlowDefinitionArn, HumanLoopInput: { InputContent: inputOf(0) } };
  await startHumanLoop(r, CALLER, request, REVIEW_HOOKS.onStarted);
  r.clock.pinned = undefined;
  const real = await storedLoop(db, loopName(0));
  const built = loopRows(flow, 0, base);
  const withoutIds = <T extends { id: unknown }>({ id: _id, ...rest }: T) => rest;
  const slotShape = ({ id: _id, human_loop_id: _loop, ...rest }: TaskRow) => rest;
  assert.deepEqual(withoutIds(real.loop), withoutIds(built.loop), 'human_loops row differs from StartHumanLoop');
  assert.deepEqual(real.outbox.map(({ id: _id, attempts: _a, ...rest }) => rest), [built.outbox], 'outbox row differs from StartHumanLoop');
  assert.deepEqual(real.slots.map(slotShape), built.slots.map(slotShape), 'tasks rows differ from createReviewSlots');

  for (let first = 1; first < loops; first += LOOPS_PER_TRANSACTION) {
    const size = Math.min(LOOPS_PER_TRANSACTION, loops - first);
    const batch = Array.from({ length: size }, (_, i) => loopRows(flow, first + i, base + first + i));
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('human_loops').values(batch.map((b) => b.loop)).execute();
      await tx.insertInto('outbox').values(batch.map((b) => b.outbox)).execute();
      await taskStore.insertTasks(tx, batch.flatMap((b) => b.slots));
    });
  }
  const loopsAndSlots = seconds(loopsStart);
  // PostgreSQL: what autovacuum would do within its first minute, done now so every run starts alike.
  const vacuumStart = performance.now();
  if (r.store.dialect === 'postgres') await sql`vacuum analyze`.execute(db);
  const vacuumAnalyze = seconds(vacuumStart);

  const count = await db.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow();
  const tail = await db.selectFrom('tasks').select('id').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(TAIL).execute();
  return {
    workers, tailTaskIds: tail.map((t) => t.id), loops, openTasks: Number(count.n),
    seconds: { controlPlaneAndWorkers, loopsAndSlots, vacuumAnalyze, total: seconds(start) },
  };
}

// ---- timed runs ---------------------------------------------------------------------------------------

interface Claim { taskId: string; loop: string; workerId: string }

interface ClaimRun {
  claims: number;
  empty: number;
  seconds: number;
  claimsPerSecond: number;
  latency: LatencySummary;
  perWorker: { min: number; max: number };
  claimed: Claim[];
}

/** Every worker claims in a loop, one claim at a time, until the deadline or the claim budget is spent. */
type ClaimFunction = (worker: WorkerIdentity) => Promise<{ taskId: string; loop: string } | undefined>;

async function runClaims(workers: WorkerIdentity[], claim: ClaimFunction): Promise<ClaimRun> {
  const samples = new LatencySamples();
  const claimed: Claim[] = [];
  const perWorker = new Map<string, number>();
  let budget = MAX_CLAIMS;
  let empty = 0;
  const start = performance.now();
  const deadline = start + DURATION_MS;
  await Promise.all(
    workers.map(async (worker) => {
      while (budget > 0 && performance.now() < deadline) {
        budget--;
        const t = performance.now();
        const task = await claim(worker);
        samples.add(performance.now() - t);
        if (!task) empty++;
        else {
          claimed.push({ ...task, workerId: worker.id });
          perWorker.set(worker.id, (perWorker.get(worker.id) ?? 0) + 1);
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const counts = workers.map((w) => perWorker.get(w.id) ?? 0);
  return {
    claims: claimed.length, empty, seconds: round(elapsed, 2), claimsPerSecond: Math.round(claimed.length / elapsed), latency: samples.summary(),
    perWorker: { min: Math.min(...counts), max: Math.max(...counts) }, claimed,
  };
}

interface BaselineRun { ops: number; seconds: number; opsPerSecond: number; latency: LatencySummary }

/**
 * The cheapest write, at the same concurrency through the same Kysely and pool: a primary-key
 * `UPDATE tasks SET leased_at = ? WHERE id = ? RETURNING id` on slots at the end of the queue.
 * It writes leased_at's current value (NULL): a real one-row write that leaves the slot as
 * createReviewSlots made it, so the claims that follow see the same rows.
 */
async function runBaseline(db: Kysely<Database>, concurrency: number, taskIds: string[]): Promise<BaselineRun> {
  const samples = new LatencySamples();
  const share = Math.floor(taskIds.length / concurrency);
  const start = performance.now();
  const deadline = start + BASELINE_MS;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const id = taskIds[w * share + (i % share)]!;
        const t = performance.now();
        const { rows } = await sql<{ id: string }>`update tasks set leased_at = ${null} where id = ${id} returning id`.execute(db);
        samples.add(performance.now() - t);
        if (rows.length !== 1) throw new Error(`baseline update of ${id} touched ${rows.length} rows`);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const latency = samples.summary();
  return { ops: latency.count, seconds: round(elapsed, 2), opsPerSecond: Math.round(latency.count / elapsed), latency };
}

interface AssignmentCheck {
  claims: number;
  leasedInStore: number;
  /** Claims that returned a task id another claim also returned. */
  repeatedTaskIds: number;
  /** Claims whose slot the store shows leased to someone else (or not leased). */
  notHeldByClaimer: number;
  /** (loop, worker) pairs with more than one slot: in the store, and among the claims returned. */
  loopWorkerPairsInStore: number;
  loopWorkerPairsClaimed: number;
  doubleAssignments: number;
}

async function checkAssignments(db: Kysely<Database>, claimed: Claim[]): Promise<AssignmentCheck> {
  const leased = await db.selectFrom('tasks').select(['id', 'worker_id']).where('status', '=', 'leased').execute();
  const holder = new Map(leased.map((row) => [row.id, row.worker_id]));
  const repeatedTaskIds = claimed.length - new Set(claimed.map((c) => c.taskId)).size;
  const loopWorkerPairsClaimed = claimed.length - new Set(claimed.map((c) => `${c.loop}|${c.workerId}`)).size;
  const notHeldByClaimer = claimed.filter((c) => holder.get(c.taskId) !== c.workerId).length;
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from (select human_loop_id, worker_id from tasks
    where worker_id is not null group by human_loop_id, worker_id having count(*) > 1) pairs`.execute(db);
  const loopWorkerPairsInStore = Number(rows[0]!.n);
  const doubleAssignments =
    repeatedTaskIds + notHeldByClaimer + loopWorkerPairsInStore + loopWorkerPairsClaimed + Math.abs(leased.length - claimed.length);
  return {
    claims: claimed.length, leasedInStore: leased.length, repeatedTaskIds, notHeldByClaimer,
    loopWorkerPairsInStore, loopWorkerPairsClaimed, doubleAssignments,
  };
}

/** Every leased slot back to open (the shape createReviewSlots gives it); PostgreSQL vacuums the dead versions away. */
async function resetQueue(store: Store): Promise<void> {
  await sql`update tasks set status = 'open', worker_id = null, leased_at = null, lease_expires_at = null where status = 'leased'`.execute(store.db);
  if (store.dialect === 'postgres') await sql`vacuum analyze tasks`.execute(store.db);
}

// ---- plans ---------------------------------------------------------------------------------------------

/**
 * What-if, not in src/: one more partial index in claim order, measured with the statement as it
 * is (its plan and cost only; no claim run uses it).
 */
const INDEX_WHAT_IF = `create index tasks_open_by_age on tasks (account_id, created_at, id) where status = 'open'`;

class Rollback extends Error {}

/** The claim statement exactly as src/store/tasks.ts compiles it, captured through Kysely's log; its lease is rolled back. */
async function captureClaimStatement(database: BenchDatabase, worker: WorkerIdentity): Promise<CompiledQuery> {
  let captured: CompiledQuery | undefined;
  const dialect = database.dialect === 'postgres'
    ? new PostgresDialect({ pool: new pg.Pool({ connectionString: database.databaseUrl, max: 1 }) })
    : new SqliteDialect({ database: new SQLite(join(database.dataDir, 'tandem.db')) });
  const log = (event: LogEvent) => {
    if (/update tasks set status = 'leased'/.test(event.query.sql)) captured = event.query;
  };
  const db = new Kysely<Database>({ dialect, log });
  try {
    await db.transaction().execute(async (tx) => {
      await taskStore.claimNextTask(tx, database.dialect, worker, Date.now());
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  } finally {
    await db.destroy();
  }
  if (!captured) throw new Error('the claim statement was not captured');
  return captured;
}

interface Plan {
  variant: string;
  when: string;
  statement: string;
  plan: string[];
  /** One claim at a time, workers taken in turn, in a transaction rolled back afterwards. */
  msPerClaim: number;
  claimsTimed: number;
  /** PostgreSQL: EXPLAIN ANALYZE's execution time of one claim. */
  executionMs?: number;
  /** The slot the first claim chose: the index what-if must choose the one the statement alone chooses. */
  firstTaskId: string | undefined;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, EXPLAIN QUERY PLAN on SQLite, then the claim run
 * back to back (200 times or 2 s) by the workers in turn; all inside one transaction that is
 * rolled back, so the queue is left as it was. `ddl` runs first in that transaction.
 */
async function explainClaim(
  database: BenchDatabase,
  query: CompiledQuery,
  workers: WorkerIdentity[],
  variant: string,
  when: string,
  ddl?: string,
): Promise<Plan> {
  // The captured worker's id becomes each worker's in turn; every number (`now`) becomes the current time.
  const workerId = workers[0]!.id;
  const paramsFor = (i: number) =>
    query.parameters.map((p) => (p === workerId ? workers[i % workers.length]!.id : typeof p === 'number' ? Date.now() : p));
  const timed = async (run: (i: number) => Promise<Array<{ id: string }>> | Array<{ id: string }>) => {
    const start = performance.now();
    let count = 0;
    let first: string | undefined;
    while (count < 200 && performance.now() - start < 2_000) {
      const id = (await run(count++))[0]?.id;
      if (count === 1) first = id;
    }
    return { msPerClaim: round((performance.now() - start) / count), claimsTimed: count, firstTaskId: first };
  };
  if (database.dialect === 'postgres') {
    const client = new pg.Client({ connectionString: database.databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      if (ddl) await client.query(ddl);
      await client.query('savepoint explained');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${query.sql}`, paramsFor(0));
      await client.query('rollback to savepoint explained');
      const plan = rows.map((row) => row['QUERY PLAN']);
      const executionMs = Number(/Execution Time: ([\d.]+)/.exec(plan.join('\n'))?.[1]);
      const timing = await timed(async (i) => (await client.query<{ id: string }>(query.sql, paramsFor(i))).rows);
      return { variant, when, statement: query.sql, plan, executionMs, ...timing };
    } finally {
      await client.query('rollback').catch(() => {});
      await client.end();
    }
  }
  const connection = new SQLite(join(database.dataDir, 'tandem.db'));
  try {
    connection.exec('begin immediate');
    if (ddl) connection.exec(ddl);
    const rows = connection.prepare(`explain query plan ${query.sql}`).all(...paramsFor(0)) as Array<{ id: number; parent: number; detail: string }>;
    const depth = new Map<number, number>([[0, 0]]);
    const plan = rows.map((row) => {
      depth.set(row.id, (depth.get(row.parent) ?? 0) + 1);
      return `${'  '.repeat(depth.get(row.id)! - 1)}${row.detail}`;
    });
    const statement = connection.prepare(query.sql);
    const timing = await timed((i) => statement.all(...paramsFor(i)) as Array<{ id: string }>);
    return { variant, when, statement: query.sql, plan, ...timing };
  } finally {
    if (connection.inTransaction) connection.exec('rollback');
    connection.close();
  }
}

const STATEMENT = 'claim statement (src/store/tasks.ts)';

/** The claim statement alone, then with the index what-if, on the queue as it is now. */
async function comparePlans(database: BenchDatabase, workers: WorkerIdentity[], when: string): Promise<Plan[]> {
  const statement = await captureClaimStatement(database, workers[0]!);
  return [
    await explainClaim(database, statement, workers, STATEMENT, when),
    await explainClaim(database, statement, workers, 'what-if: same statement + index tasks_open_by_age', when, INDEX_WHAT_IF),
  ];
}

// ---- the run -------------------------------------------------------------------------------------------

interface RunResult {
  dialect: BenchDialect;
  pool: number | undefined;
  claims: Omit<ClaimRun, 'claimed'>;
  baseline: { opsPerSecond: number; runs: BaselineRun[]; spreadPercent: number };
  ratio: number;
  check: AssignmentCheck;
  loadAverage1m: number;
}

const machine = machineInfo();
const source = await sourceState(ROOT);
say(
  `claim-next-task: ${WORKERS} workers, ${formatCount(TASKS)} open slots (TaskCount ${TASK_COUNT}), claim and hold, ` +
    `up to ${DURATION_MS / 1000} s or ${formatCount(MAX_CLAIMS)} claims per run; baseline ${BASELINE_MS / 1000} s before and after`,
);
say(`machine: ${machine.cpus} × ${machine.cpuModel}, node ${machine.node}, load average ${machine.loadAverage.join(' ')}`);
say(`source: ${source.commit?.slice(0, 12) ?? 'unknown commit'}, src/ fingerprint ${source.fingerprint} (uncommitted edits included)`);
const wanted = flags.dialects.split(',') as BenchDialect[];
const postgresUrl = flags['sqlite-only'] || !wanted.includes('postgres') ? undefined : (flags.postgres ?? postgresServerUrl());
const postgresSkipped = flags['sqlite-only'] || !wanted.includes('postgres') ? 'skipped by the flags' : await postgresUnavailableReason(postgresUrl);
say(postgresSkipped ? `PostgreSQL: not measured (${postgresSkipped})` : `PostgreSQL: ${postgresUrl}`);

const results: RunResult[] = [];
const setups: Record<string, Omit<Setup, 'workers' | 'tailTaskIds'>> = {};
const plans: Record<string, Plan[]> = {};
const dialects = wanted.filter((d) => d === 'sqlite' || !postgresSkipped);

/** claimNextTask(resources, worker) from 100 workers at once, with the baseline before and after and the assignment check. */
async function measure(r: BenchResources, setup: Setup, pool: number | undefined): Promise<RunResult> {
  await resetQueue(r.store);
  const claim = async (w: WorkerIdentity) => {
    const task = await claimNextTask(r, w);
    return task && { taskId: task.taskId, loop: task.humanLoopName };
  };
  const before = await runBaseline(r.store.db, WORKERS, setup.tailTaskIds);
  const { claimed, ...claims } = await runClaims(setup.workers, claim);
  const after = await runBaseline(r.store.db, WORKERS, setup.tailTaskIds);
  const check = await checkAssignments(r.store.db, claimed);
  const baselineOps = (before.opsPerSecond + after.opsPerSecond) / 2;
  const spreadPercent = round((Math.abs(before.opsPerSecond - after.opsPerSecond) / baselineOps) * 100, 1);
  const result: RunResult = {
    dialect: r.store.dialect, pool, claims, baseline: { opsPerSecond: Math.round(baselineOps), runs: [before, after], spreadPercent },
    ratio: round(claims.claimsPerSecond / baselineOps, 4), check, loadAverage1m: load1(),
  };
  say(
    `  ${r.store.dialect}${pool ? ` pool ${pool}` : ''}: ${formatCount(claims.claims)} claims in ${claims.seconds} s = ${formatCount(claims.claimsPerSecond)}/s, ` +
      `p50 ${formatMs(claims.latency.p50Ms)}, p99 ${formatMs(claims.latency.p99Ms)}; baseline ${formatCount(before.opsPerSecond)} / ${formatCount(after.opsPerSecond)} ops/s; ` +
      `double assignments ${check.doubleAssignments}; claims per worker ${claims.perWorker.min}–${claims.perWorker.max}; load ${result.loadAverage1m}`,
  );
  return result;
}

for (const dialect of dialects) {
  const database = await createBenchDatabase(dialect, postgresUrl);
  try {
    const pools = dialect === 'postgres' ? POOLS : [undefined];
    let r = await openResources(database, pools[0] ?? 1);
    const setup = await setUp(r);
    const { workers: _w, tailTaskIds: _t, ...summary } = setup;
    setups[dialect] = summary;
    const vacuum = dialect === 'postgres' ? `; vacuum analyze ${setup.seconds.vacuumAnalyze} s` : '';
    say(
      `\n${dialect}: setup ${setup.seconds.total} s (team, UI, flow, ${WORKERS} workers: ${setup.seconds.controlPlaneAndWorkers} s; ` +
        `${formatCount(setup.loops)} loops + ${formatCount(setup.openTasks)} open slots: ${setup.seconds.loopsAndSlots} s${vacuum}); ` +
        `rows checked equal to StartHumanLoop's`,
    );
    const statement = await captureClaimStatement(database, setup.workers[0]!);
    plans[dialect] = [await explainClaim(database, statement, setup.workers, STATEMENT, 'fresh queue, before the runs')];
    for (const [index, pool] of pools.entries()) {
      if (index > 0) {
        await r.store.close();
        r = await openResources(database, pool ?? 1);
      }
      const result = await measure(r, setup, pool);
      results.push(result);
      if (pool === (dialect === 'postgres' ? FOCUS_POOL : undefined)) {
        const when = `after that run: ${formatCount(result.claims.claims)} slots leased, before the reset`;
        plans[dialect].push(...(await comparePlans(database, setup.workers, when)));
      }
    }
    await r.store.close();
  } finally {
    await database.drop();
  }
}

// ---- report ---------------------------------------------------------------------------------------------

const ratioText = (value: number) => (value >= 0.1 ? formatRatio(value) : `${value.toPrecision(2)}×`);
say();
say(
  formatTable(
    ['dialect', 'pool', 'claims', 'claims/s', 'p50', 'p99', 'baseline ops/s', 'ratio', 'double assignments', 'load 1m'],
    results.map((r) => [
      r.dialect, r.pool === undefined ? '1 conn' : String(r.pool),
      formatCount(r.claims.claims), formatCount(r.claims.claimsPerSecond), formatMs(r.claims.latency.p50Ms), formatMs(r.claims.latency.p99Ms),
      `${formatCount(r.baseline.opsPerSecond)} (±${r.baseline.spreadPercent}%)`, ratioText(r.ratio), String(r.check.doubleAssignments), String(r.loadAverage1m),
    ]),
  ),
);
say('claims = claimNextTask(resources, worker), src/operations/reviews.ts (the claim statement of src/store/tasks.ts + 3 reads for the assignment)');
say(
  `baseline = UPDATE tasks SET leased_at = ? WHERE id = ? RETURNING id, same store, pool and ${WORKERS}-way concurrency, ` +
    'mean of the runs before and after; ratio = claims/s ÷ baseline',
);
for (const [dialect, list] of Object.entries(plans)) {
  say(`\n${dialect}: one claim at a time (no contention), workers in turn, rolled back:`);
  say(
    formatTable(
      ['variant', 'when', 'ms per claim', 'claims timed', ...(dialect === 'postgres' ? ['EXPLAIN ANALYZE ms'] : []), 'same slot as statement alone'],
      list.map((plan) => [
        plan.variant, plan.when, plan.msPerClaim.toFixed(3), String(plan.claimsTimed), ...(dialect === 'postgres' ? [String(plan.executionMs)] : []),
        plan.firstTaskId === list.find((other) => other.when === plan.when)?.firstTaskId ? 'yes' : 'NO',
      ]),
    ),
  );
  for (const plan of list) {
    say(`\n${dialect} plan: ${plan.variant}, ${plan.when}:`);
    for (const line of plan.plan) say(`  ${line}`);
  }
}
const files = await writeResults('claim-next-task', {
  benchmark: 'claim-next-task',
  machine: { ...machine, loadAverageAtEnd: machineInfo().loadAverage },
  source,
  settings: {
    workers: WORKERS, openTasks: TASKS, taskCount: TASK_COUNT, durationSeconds: DURATION_MS / 1000, maxClaims: MAX_CLAIMS,
    baselineSeconds: BASELINE_MS / 1000, pools: POOLS, planPool: FOCUS_POOL,
    claim: 'claimNextTask(resources, worker): the claim statement of src/store/tasks.ts + 3 reads for the assignment',
    mode: `claim and hold (no answers); every run starts from the same ${TASKS} open slots`,
    baseline: 'UPDATE tasks SET leased_at = NULL (its value) WHERE id = ? RETURNING id on the newest slots, same Kysely store and pool, same concurrency',
  },
  postgres: postgresSkipped ? { measured: false, reason: postgresSkipped } : { measured: true },
  setup: setups,
  results,
  plans,
  indexWhatIf: INDEX_WHAT_IF,
});
say(`\nresults: ${files.join(', ')}`);
const failures =
  results.reduce((sum, r) => sum + r.check.doubleAssignments + r.claims.empty, 0) +
  Object.values(plans).flat().filter((p) => p.firstTaskId === undefined).length;
if (failures > 0) {
  say(`FAILED: ${failures} double assignments, empty claims or plans without a claimed slot`);
  process.exitCode = 1;
}
