/**
 * Everything the console shows about one human loop: its row, the answers with their workers,
 * the review slots, output.json, the event timeline from the outbox, and why it is not
 * progressing. Read-only; scoped to the caller's account like every lookup.
 */
import { text } from 'node:stream/consumers';
import { NotFoundError } from '../api/aws/errors.js';
import { builtInReviewView, type BuiltInReviewView } from '../domain/built-in-review-view.js';
import { templateTaskInput } from '../domain/built-in-input.js';
import { diagnoseLoop } from '../domain/loop-diagnosis.js';
import { splitS3Uri } from '../domain/s3-locations.js';
import { objectStoreOf } from '../objects/stores.js';
import type { Caller, Resources } from '../resources.js';
import { answersOfLoop } from '../store/answers.js';
import { findFlowDefinition } from '../store/flow-definitions.js';
import { findHumanTaskUi } from '../store/human-task-uis.js';
import { findHumanLoop } from '../store/human-loops.js';
import { listEvents } from '../store/outbox.js';
import type { AnswerRow, HumanLoopRow, OutboxRow, TaskRow } from '../store/schema.js';
import { renderWorkerTemplate } from '../templates/render-worker-template.js';
import { grantReadAccessForAccount } from './signed-urls.js';

export interface LoopInspection {
  loop: HumanLoopRow;
  answers: Array<AnswerRow & { workerEmail: string | null }>;
  tasks: TaskRow[];
  events: OutboxRow[];
  /** The output.json text when it can be read from the output directory. */
  output?: string | undefined;
  blockers: string[];
  /** For Textract and Rekognition reviews: the key-values or labels, and what was selected. */
  builtIn?: BuiltInReviewView | undefined;
  /** A short-lived link to the reviewed image, when the document is one a browser shows. */
  documentUrl?: string | undefined;
}

const IMAGE_NAME = /\.(png|jpe?g|gif|webp)$/i;

export async function inspectLoop(resources: Resources, caller: Caller, name: string): Promise<LoopInspection> {
  const db = resources.store.db;
  const loop = await findHumanLoop(db, caller.accountId, name);
  if (!loop) throw new NotFoundError(`Human loop '${name}' does not exist.`);
  const [answerRows, tasks, events, flow] = await Promise.all([
    answersOfLoop(db, loop.id),
    db.selectFrom('tasks').selectAll().where('human_loop_id', '=', loop.id).orderBy('slot').execute(),
    listEvents(db, loop.arn),
    findFlowDefinition(db, caller.accountId, loop.flow_definition_name),
  ]);
  const workerIds = [...new Set(answerRows.map((a) => a.worker_id))];
  const emails = new Map(
    workerIds.length === 0
      ? []
      : (await db.selectFrom('workers').select(['id', 'email']).where('account_id', '=', caller.accountId).where('id', 'in', workerIds).execute()).map(
          (w) => [w.id, w.email] as const,
        ),
  );
  const answers = answerRows.map((a) => ({ ...a, workerEmail: emails.get(a.worker_id) ?? null }));

  let output: string | undefined;
  const location = loop.output_s3_uri ? splitS3Uri(loop.output_s3_uri) : undefined;
  if (location) {
    // Unreadable output (not written yet, store down) is shown as absent, not as an error page.
    const stored = await objectStoreOf(resources).getObject(location.bucket, location.key).catch(() => undefined);
    if (stored) output = await text(stored.body).catch(() => undefined);
  }

  let blockers: string[] = [];
  if (loop.status === 'InProgress') {
    const team = flow?.workteam_name ?? tasks[0]?.workteam_name ?? '';
    const members = await db
      .selectFrom('workteam_members')
      .innerJoin('workers', 'workers.id', 'workteam_members.worker_id')
      .select('workers.id')
      .where('workteam_members.account_id', '=', caller.accountId)
      .where('workteam_members.workteam_name', '=', team)
      .where('workers.status', '=', 'active')
      .execute();
    const skipped = new Set(
      (await db.selectFrom('task_skips').select('worker_id').where('human_loop_id', '=', loop.id).execute()).map((s) => s.worker_id),
    );
    const answered = new Set(answerRows.map((a) => a.worker_id));
    let templateError: string | undefined;
    const ui = flow ? await findHumanTaskUi(db, caller.accountId, flow.human_task_ui_name) : undefined;
    if (ui) {
      const { errors } = await renderWorkerTemplate(ui.template, templateTaskInput(loop.input_content, loop.human_loop_context), { grantReadAccess: await grantReadAccessForAccount(resources, caller.accountId) });
      if (errors[0]) templateError = `${errors[0].Code}: ${errors[0].Message}`;
    }
    blockers = diagnoseLoop({
      status: loop.status,
      taskCount: flow?.task_count ?? tasks.length,
      tasks: tasks.filter((t) => t.status !== 'cancelled').map((t) => ({ status: t.status, availableUntil: t.available_until })),
      answers: answerRows.length,
      activeTeamWorkers: members.length,
      eligibleWorkers: members.filter((m) => !answered.has(m.id) && !skipped.has(m.id)).length,
      templateError,
      answersCompleteAt: loop.answers_complete_at,
      flowExists: flow !== undefined,
      now: resources.clock.now(),
    });
  }
  const builtIn = builtInReviewView(JSON.parse(loop.input_content));
  const document = builtIn?.kind === 'textract' ? builtIn.document : builtIn?.image;
  let documentUrl: string | undefined;
  if (document && IMAGE_NAME.test(document.name)) {
    // A bucket the account no longer owns gets no link; the rest of the page still shows.
    const grant = await grantReadAccessForAccount(resources, caller.accountId);
    try {
      documentUrl = grant(`s3://${document.bucket}/${document.name}`) || undefined;
    } catch {
      documentUrl = undefined;
    }
  }
  return { loop, answers, tasks, events, output, blockers, builtIn, documentUrl };
}
