/**
 * Submit → next task in the worker portal (issue 14): 100 reviewers answering at once from
 * 100,000 waiting tasks, on SQLite and on PostgreSQL, against a real Tandem in its own process.
 *
 * - **Server time**: what the page waits for between Submit and the next task's data: the answer
 *   call (`POST /portal/api/tasks/:id/answer`) plus the next-task call (`POST /portal/api/tasks/next`,
 *   which claims and renders the next template), as 100 API clients with their own sessions run
 *   them back to back, each p50/p99.
 * - **In Chromium**: while that load runs, a few real task pages (Debian Chromium) click the
 *   template's Submit and wait until the next task's content is visible in the frame.
 * - **Baseline**: `GET /healthz` from the same 100 clients on the same server, just before.
 *
 *   npm run bench -- portal-next-task [--reviewers=100] [--tasks=100000] [--duration=10]
 *        [--browsers=3] [--browser-samples=5] [--baseline-duration=3] [--dialects=sqlite,postgres]
 *
 * Tasks go in by direct store writes (the rows StartHumanLoop writes, one review slot per loop);
 * reviewers get sessions from the real sign-in operation. After the run, every answer is checked
 * to be stored once (no double answers).
 */
import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildArn } from '../src/domain/arns.js';
import { createFlowDefinition } from '../src/operations/flow-definitions.js';
import { createHumanTaskUi } from '../src/operations/human-task-uis.js';
import { startSession } from '../src/operations/worker-sessions.js';
import { addWorker } from '../src/operations/workers.js';
import { createWorkteam } from '../src/operations/workteams.js';
import { findWorkerById } from '../src/store/workers.js';
import type { HumanLoopRow, TaskRow } from '../src/store/schema.js';
import { ensureWebBundles } from '../test/portal/web-bundles.js';
import { launchChromium } from '../test/support/environment.js';
import { BENCH_CALLER, openBenchResources, type BenchResources } from './support/bench-flow.js';
import { createBenchDatabase, postgresServerUrl, postgresUnavailableReason, type BenchDialect } from './support/databases.js';
import { LatencySamples, round, type LatencySummary } from './support/latency.js';
import { machineInfo, sourceState, writeResults } from './support/results.js';
import { BENCH_CREDENTIALS, startTandemServer } from './support/servers.js';
import { formatCount, formatMs, formatRatio, formatTable } from './support/table.js';

const { values: flags } = parseArgs({
  options: {
    reviewers: { type: 'string', default: '100' },
    tasks: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    browsers: { type: 'string', default: '3' },
    'browser-samples': { type: 'string', default: '5' },
    'baseline-duration': { type: 'string', default: '3' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
  },
});
const REVIEWERS = Number(flags.reviewers);
const TASKS = Number(flags.tasks);
const DURATION_MS = Number(flags.duration) * 1000;
const BROWSERS = Number(flags.browsers);
const BASELINE_MS = Number(flags['baseline-duration']) * 1000;
const DIALECTS = flags.dialects.split(',') as BenchDialect[];
const FLOW = 'portal-bench';
const TEAM = `${FLOW}-team`;
const TEMPLATE = `<crowd-form>
  <p id="item">{{ task.input.text }}</p>
  <crowd-input name="note" label="Note"></crowd-input>
</crowd-form>`;
const BATCH = 1_000;

const say = (line = '') => process.stdout.write(`${line}\n`);
const seconds = (from: number) => round((performance.now() - from) / 1000, 2);

interface Reviewer {
  email: string;
  cookie: string;
  csrfToken: string;
}

async function prepare(r: BenchResources): Promise<{ reviewers: Reviewer[]; fillSeconds: number }> {
  const cognito = { UserPool: 'us-east-1_bench', UserGroup: FLOW, ClientId: 'bench' };
  await createWorkteam(r, BENCH_CALLER, { WorkteamName: TEAM, Description: 'bench', MemberDefinitions: [{ CognitoMemberDefinition: cognito }] });
  await createHumanTaskUi(r, BENCH_CALLER, { HumanTaskUiName: `${FLOW}-ui`, UiTemplate: { Content: TEMPLATE } });
  const { FlowDefinitionArn } = await createFlowDefinition(r, BENCH_CALLER, {
    FlowDefinitionName: FLOW,
    RoleArn: `arn:aws:iam::${BENCH_CALLER.accountId}:role/bench`,
    OutputConfig: { S3OutputPath: 's3://bench/out' },
    HumanLoopConfig: {
      WorkteamArn: buildArn('workteam', BENCH_CALLER, TEAM),
      HumanTaskUiArn: buildArn('human-task-ui', BENCH_CALLER, `${FLOW}-ui`),
      TaskTitle: 'Classify',
      TaskDescription: 'Cat or dog',
      TaskCount: 1,
      TaskTimeLimitInSeconds: 3_600,
      TaskAvailabilityLifetimeInSeconds: 86_400,
    },
  });
  const reviewers: Reviewer[] = [];
  for (let i = 0; i < REVIEWERS + BROWSERS; i++) {
    const email = `reviewer-${i}@bench.example`;
    const { worker } = await addWorker(r, { accountId: BENCH_CALLER.accountId, email, teams: [TEAM] });
    const session = await startSession(r, (await findWorkerById(r.store.db, worker.workerId))!);
    reviewers.push({ email, cookie: session.token, csrfToken: session.csrfToken });
  }

  const fillStart = performance.now();
  const base = Date.now() - TASKS - 60_000; // every loop a distinct millisecond, all in the past
  for (let first = 0; first < TASKS; first += BATCH) {
    const loops: HumanLoopRow[] = [];
    const slots: TaskRow[] = [];
    for (let i = first; i < Math.min(TASKS, first + BATCH); i++) {
      const name = `loop-${String(i).padStart(7, '0')}`;
      const input = JSON.stringify({ text: `Item ${i}: cat or dog?` });
      const createdAt = base + i;
      const loop: HumanLoopRow = {
        id: randomUUID(), account_id: BENCH_CALLER.accountId, name, arn: buildArn('human-loop', BENCH_CALLER, name),
        flow_definition_name: FLOW, flow_definition_arn: FlowDefinitionArn, status: 'InProgress',
        input_content: input, input_sha256: createHash('sha256').update(input).digest('hex'), content_classifiers: '[]',
        failure_reason: null, failure_code: null, output_s3_uri: null, created_at: createdAt,
        stop_requested_at: null, stopped_at: null, completed_at: null, failed_at: null, answers_complete_at: null,
      };
      loops.push(loop);
      slots.push({
        id: randomUUID(), account_id: loop.account_id, human_loop_id: loop.id, workteam_name: TEAM, slot: 0,
        status: 'open', worker_id: null, leased_at: null, lease_expires_at: null, time_limit_seconds: 3_600,
        available_until: createdAt + 86_400_000, created_at: createdAt, done_at: null,
      });
    }
    await r.store.db.transaction().execute(async (tx) => {
      await tx.insertInto('human_loops').values(loops).execute();
      await tx.insertInto('tasks').values(slots).execute();
    });
  }
  return { reviewers, fillSeconds: seconds(fillStart) };
}

/** One reviewer's portal calls, as the task page makes them. */
class PortalClient {
  constructor(
    private readonly url: string,
    private readonly reviewer: Reviewer,
  ) {}

  async post<T>(path: string, body: unknown = {}): Promise<T> {
    const response = await fetch(`${this.url}/portal/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': this.reviewer.csrfToken, cookie: `tandem_session=${this.reviewer.cookie}` },
      body: JSON.stringify(body),
    });
    const payload = (await response.json()) as T & { message?: string };
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${payload.message ?? ''}`);
    return payload;
  }

  next(): Promise<{ task: { taskId: string } | null }> {
    return this.post('/tasks/next');
  }

  answer(taskId: string): Promise<unknown> {
    return this.post(`/tasks/${encodeURIComponent(taskId)}/answer`, { answer: { note: 'bench' }, submissionId: randomUUID().replaceAll('-', '') });
  }
}

async function baseline(url: string): Promise<LatencySummary> {
  const samples = new LatencySamples();
  const end = performance.now() + BASELINE_MS;
  await Promise.all(
    Array.from({ length: REVIEWERS }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        const response = await fetch(`${url}/healthz`);
        await response.arrayBuffer();
        samples.add(performance.now() - started);
      }
    }),
  );
  return samples.summary();
}

interface ApiRun {
  answer: LatencySamples;
  next: LatencySamples;
  submitToNext: LatencySamples;
  errors: string[];
}

/** 100 reviewers: take a task, then answer + next, back to back, until the time is up. */
function apiLoad(url: string, reviewers: Reviewer[], until: () => boolean): { run: ApiRun; done: Promise<void> } {
  const run: ApiRun = { answer: new LatencySamples(), next: new LatencySamples(), submitToNext: new LatencySamples(), errors: [] };
  const done = Promise.all(
    reviewers.map(async (reviewer) => {
      const client = new PortalClient(url, reviewer);
      try {
        let task = (await client.next()).task;
        while (task && !until()) {
          const started = performance.now();
          await client.answer(task.taskId);
          const answered = performance.now();
          task = (await client.next()).task;
          const shown = performance.now();
          run.answer.add(answered - started);
          run.next.add(shown - answered);
          run.submitToNext.add(shown - started);
        }
      } catch (error) {
        run.errors.push((error as Error).message);
      }
    }),
  ).then(() => undefined);
  return { run, done };
}

/** Submit → next task samples each Chromium page takes at least, however long the load runs. */
const MIN_BROWSER_SAMPLES = Number(flags['browser-samples']);

/** A real task page, signed in, showing its first task. */
async function openTaskPage(browser: Browser, url: string, reviewer: Reviewer): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies([{ name: 'tandem_session', value: reviewer.cookie, url: `${url}/portal` }]);
  const page = await context.newPage();
  await page.goto(`${url}/portal/work`);
  await page.frameLocator('#frame-slot iframe').locator('#item').waitFor({ timeout: 60_000 });
  return { page, context };
}

/** Clicks the template's Submit and waits for the next item's text in the frame, until `timeUp` and at least {@link MIN_BROWSER_SAMPLES}. */
async function runTaskPage(page: Page, timeUp: () => boolean, samples: LatencySamples): Promise<void> {
  const frame = page.frameLocator('#frame-slot iframe');
  const item = frame.locator('#item');
  for (let taken = 0; taken < MIN_BROWSER_SAMPLES || !timeUp(); taken++) {
    await item.waitFor({ timeout: 60_000 });
    await page.locator('#submit-task[hidden]').waitFor({ state: 'attached', timeout: 60_000 }); // ready: the template's Submit shows
    const before = await item.textContent();
    const started = performance.now();
    await frame.getByRole('button', { name: 'Submit' }).click();
    await frame.locator('#item', { hasNotText: before ?? '' }).waitFor({ timeout: 60_000 });
    samples.add(performance.now() - started);
  }
}

interface DialectResult {
  dialect: BenchDialect;
  tasks: number;
  reviewers: number;
  browsers: number;
  fillSeconds: number;
  baselineHealthz: LatencySummary;
  server: { answer: LatencySummary; nextTask: LatencySummary; submitToNextTask: LatencySummary; cyclesPerSecond: number };
  chromium: LatencySummary;
  ratioServerP50ToBaselineP50: number;
  answersStored: number;
  answersCounted: number;
  doubleAnswers: number;
  errors: string[];
}

async function measure(dialect: BenchDialect, serverUrl: string | undefined, browser: Browser): Promise<DialectResult> {
  const database = await createBenchDatabase(dialect, serverUrl);
  try {
    const r = await openBenchResources(database);
    let prepared: Awaited<ReturnType<typeof prepare>>;
    try {
      prepared = await prepare(r);
    } finally {
      await r.store.close();
    }
    say(`${dialect}: ${formatCount(TASKS)} waiting tasks written in ${prepared.fillSeconds} s`);
    const server = await startTandemServer({ dataDir: database.dataDir, databaseUrl: database.databaseUrl, credentials: BENCH_CREDENTIALS });
    try {
      const baselineHealthz = await baseline(server.url);
      const api = prepared.reviewers.slice(0, REVIEWERS);
      const pages = await Promise.all(prepared.reviewers.slice(REVIEWERS).map((reviewer) => openTaskPage(browser, server.url, reviewer)));
      const end = { at: Number.POSITIVE_INFINITY, browsersDone: pages.length === 0 };
      const timeUp = () => performance.now() >= end.at;
      // The API load lasts as long as the Chromium pages need for their samples.
      const load = apiLoad(server.url, api, () => timeUp() && end.browsersDone);
      const started = performance.now();
      end.at = started + DURATION_MS;
      const chromium = new LatencySamples();
      await Promise.all([
        load.done,
        Promise.all(pages.map(({ page }) => runTaskPage(page, timeUp, chromium))).finally(() => (end.browsersDone = true)),
      ]);
      await Promise.all(pages.map(({ context }) => context.close()));
      const elapsed = (performance.now() - started) / 1000;
      const check = await database.open();
      let answersStored = 0;
      let doubleAnswers = 0;
      try {
        const counted = await check.db.selectFrom('answers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        answersStored = Number(counted.n);
        const doubles = await check.db
          .selectFrom('answers')
          .select('human_loop_id')
          .groupBy('human_loop_id')
          .having((eb) => eb.fn.countAll(), '>', 1)
          .execute();
        doubleAnswers = doubles.length;
      } finally {
        await check.close();
      }
      const submitToNext = load.run.submitToNext.summary();
      return {
        dialect,
        tasks: TASKS,
        reviewers: REVIEWERS,
        browsers: BROWSERS,
        fillSeconds: prepared.fillSeconds,
        baselineHealthz,
        server: {
          answer: load.run.answer.summary(),
          nextTask: load.run.next.summary(),
          submitToNextTask: submitToNext,
          cyclesPerSecond: round(submitToNext.count / elapsed, 1),
        },
        chromium: chromium.summary(),
        ratioServerP50ToBaselineP50: round(submitToNext.p50Ms / Math.max(baselineHealthz.p50Ms, 0.001), 2),
        answersStored,
        answersCounted: submitToNext.count + chromium.count,
        doubleAnswers,
        errors: load.run.errors.slice(0, 5),
      };
    } finally {
      await server.stop();
    }
  } finally {
    await database.drop();
  }
}

const machine = machineInfo();
say(`portal-next-task: ${REVIEWERS} API reviewers + ${BROWSERS} Chromium pages, ${formatCount(TASKS)} waiting tasks, ${DURATION_MS / 1000} s; load ${os.loadavg()[0]!.toFixed(2)}`);
await ensureWebBundles();
const pgServer = postgresServerUrl();
const pgProblem = DIALECTS.includes('postgres') ? await postgresUnavailableReason(pgServer) : undefined;
if (pgProblem) say(`PostgreSQL skipped: ${pgProblem}`);
const browser = await launchChromium();
const results: DialectResult[] = [];
const runDate = new Date();
try {
  for (const dialect of DIALECTS) {
    if (dialect === 'postgres' && pgProblem) continue;
    const started = performance.now();
    results.push(await measure(dialect, dialect === 'postgres' ? pgServer : undefined, browser));
    say(`${dialect}: done in ${seconds(started)} s`);
    // Written after each dialect, so a run cut short keeps what it measured.
    const files = await writeResults('portal-next-task', {
      machine,
      loadAverageAtEnd: os.loadavg().map((v) => round(v, 2)),
      source: await sourceState(fileURLToPath(new URL('..', import.meta.url)), ['src', 'web']),
      settings: { reviewers: REVIEWERS, tasks: TASKS, durationSeconds: DURATION_MS / 1000, browsers: BROWSERS, browserSamples: MIN_BROWSER_SAMPLES, baselineSeconds: BASELINE_MS / 1000 },
      results,
    }, { date: runDate });
    say(`results: ${files.join(', ')}`);
  }
} finally {
  await browser.close();
}

say();
say(
  formatTable(
    ['dialect', 'healthz p50/p99', 'answer p50/p99', 'next p50/p99', 'Submit→next (server) p50/p99', '× baseline p50', 'Chromium p50/p99 (n)', 'cycles/s', 'double answers'],
    results.map((x) => [
      x.dialect,
      `${formatMs(x.baselineHealthz.p50Ms)} / ${formatMs(x.baselineHealthz.p99Ms)}`,
      `${formatMs(x.server.answer.p50Ms)} / ${formatMs(x.server.answer.p99Ms)}`,
      `${formatMs(x.server.nextTask.p50Ms)} / ${formatMs(x.server.nextTask.p99Ms)}`,
      `${formatMs(x.server.submitToNextTask.p50Ms)} / ${formatMs(x.server.submitToNextTask.p99Ms)}`,
      formatRatio(x.ratioServerP50ToBaselineP50),
      `${formatMs(x.chromium.p50Ms)} / ${formatMs(x.chromium.p99Ms)} (${x.chromium.count})`,
      String(x.server.cyclesPerSecond),
      String(x.doubleAnswers),
    ]),
  ),
);
for (const x of results) {
  if (x.errors.length > 0) say(`${x.dialect} errors: ${x.errors.join('; ')}`);
  if (x.answersStored !== x.answersCounted) say(`${x.dialect}: ${x.answersStored} answers stored, ${x.answersCounted} submits counted`);
}
