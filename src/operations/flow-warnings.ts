/**
 * Where a flow definition cannot work as configured, said before loops pile up: TaskCount larger
 * than the team's active workers, a task UI that does not render, an output path that cannot be
 * written. Read-only.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { splitS3Uri } from '../domain/s3-locations.js';
import { LocalObjectStore } from '../objects/local-object-store.js';
import type { Resources } from '../resources.js';
import { findHumanTaskUi } from '../store/human-task-uis.js';
import type { FlowDefinitionRow } from '../store/schema.js';
import { findTemplateSyntaxErrors, renderWorkerTemplate } from '../templates/render-worker-template.js';
import { grantReadAccessForAccount } from './signed-urls.js';

export async function activeWorkersOfTeam(resources: Resources, accountId: string, team: string): Promise<number> {
  const row = await resources.store.db
    .selectFrom('workteam_members')
    .innerJoin('workers', 'workers.id', 'workteam_members.worker_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workteam_members.account_id', '=', accountId)
    .where('workteam_members.workteam_name', '=', team)
    .where('workers.status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function flowWarnings(resources: Resources, flow: FlowDefinitionRow): Promise<string[]> {
  const warnings: string[] = [];
  const active = await activeWorkersOfTeam(resources, flow.account_id, flow.workteam_name);
  if (active < flow.task_count) {
    warnings.push(
      `TaskCount is ${flow.task_count} but work team ${flow.workteam_name} has ${active} active worker${active === 1 ? '' : 's'}: no loop can complete until more join.`,
    );
  }
  const ui = await findHumanTaskUi(resources.store.db, flow.account_id, flow.human_task_ui_name);
  if (!ui) warnings.push(`Task UI ${flow.human_task_ui_name} no longer exists.`);
  else {
    const syntax = findTemplateSyntaxErrors(ui.template);
    const rendered = syntax.length > 0 ? { errors: syntax } : await renderWorkerTemplate(ui.template, {}, { grantReadAccess: await grantReadAccessForAccount(resources, flow.account_id) });
    const first = rendered.errors[0];
    if (first) warnings.push(`Task UI ${ui.name} fails to render: ${first.Code}: ${first.Message}`);
  }
  const outputPath = (JSON.parse(flow.output_config) as { S3OutputPath?: string }).S3OutputPath ?? '';
  // An external store is not probed here (no calls from a read-only page); its refusals name
  // themselves in the loop's FailureReason.
  const problem = resources.config.objectStore === 'local' ? await outputPathProblem(resources.config.outputDir, outputPath) : undefined;
  if (problem) warnings.push(problem);
  return warnings;
}

/** Why output.json files under `s3Uri` could not be written to the local output directory, or undefined. */
async function outputPathProblem(outputDir: string, s3Uri: string): Promise<string | undefined> {
  let directory: string;
  try {
    const location = splitS3Uri(`${s3Uri.replace(/\/+$/, '')}/probe`);
    if (!location) throw new Error('it is not an s3://bucket/prefix URI');
    directory = dirname(new LocalObjectStore(outputDir).pathOf(location.bucket, location.key));
  } catch (error) {
    return `The output path ${s3Uri} cannot be used: ${(error as Error).message}.`;
  }
  // The nearest directory that exists must be writable (the rest is created on the first write).
  for (let dir = directory; ; dir = dirname(dir)) {
    const info = await stat(dir).catch(() => undefined);
    if (info) {
      if (!info.isDirectory()) return `The output path ${s3Uri} cannot be written: ${dir} is a file, not a directory.`;
      const writable = await access(dir, constants.W_OK).then(
        () => true,
        () => false,
      );
      return writable ? undefined : `The output path ${s3Uri} cannot be written: ${dir} is not writable by Tandem.`;
    }
    if (dirname(dir) === dir) return `The output path ${s3Uri} cannot be written.`;
  }
}
