/**
 * Evidence for the store changes a slow StartHumanLoop points to, measured on Tandem's own schema
 * against the operation as it is, in interleaved batches on one store (A B, B A, …; the median
 * batch counts), so both sides see the same machine:
 *
 * - SQLite: the operation as is; the same with better-sqlite3 statements cached by SQL text
 *   (what a statement cache in the SQLite driver would give); the same writes as raw prepared
 *   statements without Kysely, reading the flow definition once.
 * - PostgreSQL: the operation as is (a round trip per statement) against the same writes in one statement
 *   (a CTE, autocommit: 1 round trip), 1 and 50 in flight, each with a pool of 10.
 *
 * The alternatives repeat the writes of `operations/human-loops.ts` and its review hook by hand;
 * when the schema moves on they may fail, and the caller reports the error instead of a figure.
 *
 * @example
 * const sqlite = await compareSqliteStatements(BENCH_CREDENTIALS, startHumanLoopBody);
 * sqlite.cachedStatements / sqlite.asIs; // < 1: the cache helps
 */
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { KyselyPlugin } from 'kysely';
import pg from 'pg';
import { startHumanLoopShape } from '../../src/api/a2i-runtime-shapes.js';
import { validateInput } from '../../src/api/aws/shape-validation.js';
import { REVIEW_HOOKS } from '../../src/api/review-hooks.js';
import { loadConfig } from '../../src/config.js';
import { startTandem, type RunningTandem } from '../../src/main.js';
import { startHumanLoop } from '../../src/operations/human-loops.js';
import { createBenchDatabase, type BenchDatabase, type BenchDialect } from './databases.js';
import { round } from './latency.js';
import { createReviewSetup } from './review-setup.js';
import type { BenchCredentials } from './servers.js';

type BodyFor = (flowDefinitionArn: string, name: string) => string;

/** µs per StartHumanLoop, median of the interleaved batches. */
export interface SqliteStatementComparison {
  /** Statements the operation as is runs per call, besides `begin` and `commit`. */
  statementsPerStart: number;
  asIs: number;
  cachedStatements: number;
  rawStatements: number;
}

export interface PostgresRoundTripComparison {
  /** Statements the operation as is runs per call, besides `begin` and `commit`: one round trip each. */
  statementsPerStart: number;
  asIs: number;
  oneStatement: number;
  asIs50InFlight: number;
  oneStatement50InFlight: number;
}

export async function compareSqliteStatements(credentials: BenchCredentials, bodyFor: BodyFor): Promise<SqliteStatementComparison> {
  return withTandem('sqlite', undefined, credentials, bodyFor, async (tandem, database, start, statementsPerStart) => {
    const prototype = SQLite.prototype as unknown as { prepare(sql: string): unknown };
    const prepare = prototype.prepare;
    const cache = new Map<string, unknown>();
    const cachingPrepare = function (this: unknown, sql: string) {
      let statement = cache.get(sql);
      if (statement === undefined) cache.set(sql, (statement = prepare.call(this, sql)));
      return statement;
    };

    const raw = new SQLite(join(database.dataDir, 'tandem.db'));
    try {
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = NORMAL');
      raw.pragma('busy_timeout = 5000');
      const findLoop = raw.prepare('select * from human_loops where account_id = ? and name = ?');
      const findFlow = raw.prepare('select * from flow_definitions where account_id = ? and name = ?');
      const insertLoop = raw.prepare(
        'insert into human_loops (id, account_id, name, arn, flow_definition_name, flow_definition_arn, status, ' +
          'input_content, input_sha256, content_classifiers, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const insertEvent = raw.prepare('insert into outbox (account_id, topic, subject_arn, payload, created_at) values (?, ?, ?, ?, ?)');
      const insertTask = raw.prepare(
        'insert into tasks (id, account_id, human_loop_id, workteam_name, slot, status, time_limit_seconds, available_until, created_at) ' +
          'values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const rawStart = raw.transaction((body: string) => {
        const input = JSON.parse(body) as { HumanLoopName: string; HumanLoopInput: { InputContent: string } };
        const content = input.HumanLoopInput.InputContent;
        JSON.parse(content);
        const name = input.HumanLoopName;
        if (findLoop.get(credentials.accountId, name)) throw new Error(`${name} exists`);
        const flow = findFlow.get(credentials.accountId, 'alt-flow') as {
          name: string; arn: string; workteam_name: string; task_count: number; task_time_limit_seconds: number; task_availability_lifetime_seconds: number;
        };
        const id = randomUUID();
        const now = Date.now();
        const arn = `arn:aws:sagemaker:${credentials.region}:${credentials.accountId}:human-loop/${name}`;
        const sha = createHash('sha256').update(content).digest('hex');
        insertLoop.run(id, credentials.accountId, name, arn, flow.name, flow.arn, 'InProgress', content, sha, '[]', now);
        insertEvent.run(credentials.accountId, 'human-loop.created', arn, JSON.stringify({ humanLoopName: name, humanLoopArn: arn }), now);
        for (let slot = 0; slot < flow.task_count; slot++) {
          insertTask.run(randomUUID(), credentials.accountId, id, flow.workteam_name, slot, 'open', flow.task_time_limit_seconds, now + flow.task_availability_lifetime_seconds * 1000, now);
        }
      });
      const perCall = await interleave(
        {
          asIs: (name) => start(name),
          cachedStatements: async (name) => {
            prototype.prepare = cachingPrepare;
            try {
              await start(name);
            } finally {
              prototype.prepare = prepare;
            }
          },
          rawStatements: async (name) => rawStart(bodyFor(tandem.flowDefinitionArn, name)),
        },
        { batch: 300, rounds: 7, inFlight: 1 },
      );
      return { statementsPerStart, ...perCall };
    } finally {
      raw.close();
    }
  });
}

export async function comparePostgresRoundTrips(
  postgresUrl: string,
  credentials: BenchCredentials,
  bodyFor: BodyFor,
): Promise<PostgresRoundTripComparison> {
  return withTandem('postgres', postgresUrl, credentials, bodyFor, async (tandem, database, start, statementsPerStart) => {
    const pool = new pg.Pool({ connectionString: database.databaseUrl, max: 10 });
    // `end()` resolves before the sockets close; dropping the database then terminates them, and
    // an unhandled pool error would end the process.
    pool.on('error', () => {});
    try {
      const oneStatement = async (name: string) => {
        const input = JSON.parse(bodyFor(tandem.flowDefinitionArn, name)) as { HumanLoopInput: { InputContent: string } };
        const content = input.HumanLoopInput.InputContent;
        JSON.parse(content);
        const arn = `arn:aws:sagemaker:${credentials.region}:${credentials.accountId}:human-loop/${name}`;
        const sha = createHash('sha256').update(content).digest('hex');
        const payload = JSON.stringify({ humanLoopName: name, humanLoopArn: arn });
        const { rows } = await pool.query<{ created: string }>(START_IN_ONE_STATEMENT, [
          credentials.accountId, 'alt-flow', randomUUID(), name, arn, content, sha, Date.now(), payload,
        ]);
        if (Number(rows[0]?.created) !== 1) throw new Error(`one statement did not create ${name}`);
      };
      const single = await interleave({ asIs: start, oneStatement }, { batch: 200, rounds: 5, inFlight: 1 });
      const many = await interleave({ asIs: start, oneStatement }, { batch: 500, rounds: 5, inFlight: 50 });
      return { statementsPerStart, asIs: single.asIs, oneStatement: single.oneStatement, asIs50InFlight: many.asIs, oneStatement50InFlight: many.oneStatement };
    } finally {
      await pool.end();
    }
  });
}

/** StartHumanLoop's writes (loop, created event, TaskCount open slots) in one round trip. */
const START_IN_ONE_STATEMENT = `
with flow as (
  select name, arn, workteam_name, task_count, task_time_limit_seconds, task_availability_lifetime_seconds
  from flow_definitions where account_id = $1 and name = $2 and status = 'Active'),
loop as (
  insert into human_loops (id, account_id, name, arn, flow_definition_name, flow_definition_arn, status,
                           input_content, input_sha256, content_classifiers, created_at)
  select $3, $1, $4, $5, flow.name, flow.arn, 'InProgress', $6, $7, '[]', $8 from flow
  on conflict (account_id, name) do nothing
  returning id),
event as (
  insert into outbox (account_id, topic, subject_arn, payload, created_at)
  select $1, 'human-loop.created', $5, $9, $8 from loop
  returning id),
slots as (
  insert into tasks (id, account_id, human_loop_id, workteam_name, slot, status, time_limit_seconds, available_until, created_at)
  select gen_random_uuid()::text, $1, loop.id, flow.workteam_name, s.slot, 'open', flow.task_time_limit_seconds,
         $8 + flow.task_availability_lifetime_seconds * 1000, $8
  from loop, flow, generate_series(0, flow.task_count - 1) as s(slot)
  returning id)
select (select count(*) from loop) as created`;

/**
 * An in-process Tandem on a fresh store with a flow definition `alt-flow`, its StartHumanLoop,
 * and how many statements one call runs (counted by a Kysely plugin over 50 calls; `begin` and
 * `commit` do not pass through plugins).
 */
async function withTandem<T>(
  dialect: BenchDialect,
  postgresUrl: string | undefined,
  credentials: BenchCredentials,
  bodyFor: BodyFor,
  measure: (
    tandem: RunningTandem & { flowDefinitionArn: string },
    database: BenchDatabase,
    start: (name: string) => Promise<void>,
    statementsPerStart: number,
  ) => Promise<T>,
): Promise<T> {
  const database = await createBenchDatabase(dialect, postgresUrl);
  try {
    const tandem = await startTandem({
      ...loadConfig({}, {}, database.dataDir),
      host: '127.0.0.1',
      port: 0,
      dataDir: database.dataDir,
      databaseUrl: database.databaseUrl,
      region: credentials.region,
      accountId: credentials.accountId,
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      logLevel: 'silent',
      seedDemo: false,
    });
    try {
      const { FlowDefinitionArn } = await createReviewSetup(tandem.url, credentials, 'alt');
      const caller = { accountId: credentials.accountId, region: credentials.region, accessKeyId: credentials.accessKeyId };
      const onStarted = REVIEW_HOOKS.onStarted;
      const start = async (name: string) => {
        const input = validateInput(startHumanLoopShape, JSON.parse(bodyFor(FlowDefinitionArn, name)));
        await startHumanLoop(tandem.resources, caller, input, onStarted);
      };
      let statements = 0;
      const counting: KyselyPlugin = {
        transformQuery: (args) => {
          statements++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      const store = tandem.resources.store;
      tandem.resources.store = {
        ...store,
        db: store.db.withPlugin(counting),
      };
      for (let i = 0; i < 50; i++) await start(`alt-count-${i}`);
      tandem.resources.store = store;
      return await measure({ ...tandem, flowDefinitionArn: FlowDefinitionArn }, database, start, Math.round(statements / 50));
    } finally {
      await tandem.close();
    }
  } finally {
    await database.drop();
  }
}

let nameCounter = 0;

/**
 * Runs `rounds` rounds of one batch per arm, arm order reversed every other round; the first
 * round warms up. Returns µs per call, the median batch of each arm.
 */
async function interleave<K extends string>(
  arms: Record<K, (name: string) => Promise<unknown>>,
  { batch, rounds, inFlight }: { batch: number; rounds: number; inFlight: number },
): Promise<Record<K, number>> {
  const names = Object.keys(arms) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const arm of round % 2 === 0 ? names : [...names].reverse()) {
      const started = process.hrtime.bigint();
      for (let done = 0; done < batch; done += inFlight) {
        await Promise.all(Array.from({ length: Math.min(inFlight, batch - done) }, () => arms[arm](`alt-${arm.toLowerCase()}-${nameCounter++}`)));
      }
      if (round > 0) samples[arm].push(Number(process.hrtime.bigint() - started) / 1000 / batch);
    }
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return Object.fromEntries(names.map((name) => [name, round(median(samples[name]), 1)])) as Record<K, number>;
}
