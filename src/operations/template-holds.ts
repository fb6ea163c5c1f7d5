/**
 * Loops whose stored task template would lose answers are not offered to reviewers.
 *
 * CreateHumanTaskUi refuses such templates now, but a task UI stored by an earlier Tandem (or
 * whose crowd element a later Tandem stopped defining) may still use an unknown crowd element or
 * Liquid filter. When the portal claims a slot of such a loop, the loop's slots are held instead
 * (store/held-tasks.ts): the loop waits (and still expires on time), nobody sees a broken task,
 * and the reason is logged. `tandem templates check` lists these task UIs with the reason and the
 * number of waiting loops, and reopens held loops whose template has become usable.
 */
import type { Resources } from '../resources.js';
import { countHeldLoopsByTaskUi, heldKey, holdLoopTasks, reopenHeldTasksOfTaskUi } from '../store/held-tasks.js';
import type { TaskRow } from '../store/schema.js';
import type { RenderingError } from '../templates/render-worker-template.js';
import { findTemplateProblems } from '../templates/template-check.js';

/** Holds every slot of the claimed slot's loop, because its template has `problems`. */
export async function holdLoopForTemplate(
  resources: Resources,
  task: TaskRow,
  humanLoopName: string,
  problems: RenderingError[],
): Promise<void> {
  const held = await holdLoopTasks(resources.store.db, task.human_loop_id, resources.clock.now());
  resources.logger.warn(
    { humanLoopName, accountId: task.account_id, heldSlots: held, problems: problems.map((p) => p.Message) },
    'human loop held: its task template would lose answers (run `tandem templates check`)',
  );
}

export interface StoredTemplateReport {
  accountId: string;
  humanTaskUiName: string;
  humanTaskUiArn: string;
  problems: RenderingError[];
  /** Loops waiting because of these problems. */
  heldLoops: number;
  /** Held loops put back in the queue by this check because the template is now usable. */
  reopenedSlots: number;
}

/**
 * Checks every stored task UI of every account. Returns the ones with problems, plus any whose
 * held loops were reopened because the template is now usable.
 */
export async function checkStoredTemplates(resources: Resources): Promise<StoredTemplateReport[]> {
  const db = resources.store.db;
  const held = await countHeldLoopsByTaskUi(db);
  const rows = await db
    .selectFrom('human_task_uis')
    .select(['account_id', 'name', 'arn', 'template'])
    .orderBy('account_id')
    .orderBy('name')
    .execute();
  const reports: StoredTemplateReport[] = [];
  for (const row of rows) {
    const problems = findTemplateProblems(row.template);
    const heldLoops = held.get(heldKey(row.account_id, row.name)) ?? 0;
    let reopenedSlots = 0;
    if (problems.length === 0 && heldLoops > 0) reopenedSlots = await reopenHeldTasksOfTaskUi(db, row.account_id, row.name);
    if (problems.length === 0 && reopenedSlots === 0) continue;
    reports.push({
      accountId: row.account_id,
      humanTaskUiName: row.name,
      humanTaskUiArn: row.arn,
      problems,
      heldLoops: problems.length > 0 ? heldLoops : 0,
      reopenedSlots,
    });
  }
  return reports;
}
