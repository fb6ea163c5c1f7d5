import { createHash } from 'node:crypto';
import { InUseError, NotFoundError, ValidationError } from '../api/aws/errors.js';
import { buildArn, parseArn, belongsTo } from '../domain/arns.js';
import { exceedsJsonDepth, jsonTooDeepMessage } from '../domain/json-text.js';
import type { Caller, Resources } from '../resources.js';
import * as uis from '../store/human-task-uis.js';
import type { HumanTaskUiRow } from '../store/schema.js';
import { lockAccountControlPlane } from '../store/workteams.js';
import { renderWorkerTemplate } from '../templates/render-worker-template.js';
import { findTemplateProblems } from '../templates/template-check.js';
import { grantReadAccessForAccount, signTemplateUrl } from './signed-urls.js';
import { listPage, millis, type PageRequest } from './listing.js';
import type { Tag } from './workteams.js';

export interface CreateHumanTaskUiRequest {
  HumanTaskUiName: string;
  UiTemplate: { Content: string };
  Tags?: Tag[] | undefined;
}

export interface ListHumanTaskUisRequest extends PageRequest {
  CreationTimeAfter?: Date | undefined;
  CreationTimeBefore?: Date | undefined;
}

export interface RenderUiTemplateRequest {
  UiTemplate?: { Content: string } | undefined;
  Task: { Input: string };
  RoleArn: string;
  HumanTaskUiArn?: string | undefined;
}

export async function createHumanTaskUi(resources: Resources, caller: Caller, request: CreateHumanTaskUiRequest) {
  // Unknown filters, tags and crowd elements are refused too: their answers would be lost.
  const errors = findTemplateProblems(request.UiTemplate.Content);
  if (errors.length > 0) {
    throw new ValidationError(`The UiTemplate is not valid (Liquid syntax, filters and tags, and crowd-* elements are checked): ${errors.map((e) => e.Message).join('; ')}`);
  }
  const arn = buildArn('human-task-ui', caller, request.HumanTaskUiName);
  await resources.store.db.transaction().execute(async (tx) => {
    await lockAccountControlPlane(tx, caller.accountId);
    if (await uis.findHumanTaskUi(tx, caller.accountId, request.HumanTaskUiName)) {
      throw new InUseError(`HumanTaskUi '${request.HumanTaskUiName}' already exists.`);
    }
    await uis.insertHumanTaskUi(tx, {
      account_id: caller.accountId,
      name: request.HumanTaskUiName,
      arn,
      template: request.UiTemplate.Content,
      template_sha256: createHash('sha256').update(request.UiTemplate.Content).digest('hex'),
      tags: JSON.stringify(request.Tags ?? []),
      created_at: resources.clock.now(),
    });
  });
  return { HumanTaskUiArn: arn };
}

export async function describeHumanTaskUi(resources: Resources, caller: Caller, name: string) {
  const row = await requireHumanTaskUi(resources, caller, name);
  return {
    HumanTaskUiArn: row.arn,
    HumanTaskUiName: row.name,
    HumanTaskUiStatus: 'Active',
    CreationTime: new Date(row.created_at),
    UiTemplate: { Url: signTemplateUrl(resources, row), ContentSha256: row.template_sha256 },
  };
}

export async function listHumanTaskUis(resources: Resources, caller: Caller, request: ListHumanTaskUisRequest) {
  const filter = { after: millis(request.CreationTimeAfter), before: millis(request.CreationTimeBefore) };
  const page = await listPage(
    resources,
    `ListHumanTaskUis|${caller.accountId}|${filter.after ?? ''}|${filter.before ?? ''}`,
    request,
    { sortOrder: 'Descending', maxResults: 10 },
    (keyset) => uis.listHumanTaskUis(resources.store.db, caller.accountId, filter, keyset),
    (row) => ({ value: row.created_at, id: row.name }),
  );
  return {
    HumanTaskUiSummaries: page.items.map((row) => ({
      HumanTaskUiName: row.name,
      HumanTaskUiArn: row.arn,
      CreationTime: new Date(row.created_at),
    })),
    ...(page.NextToken ? { NextToken: page.NextToken } : {}),
  };
}

export async function deleteHumanTaskUi(resources: Resources, caller: Caller, name: string) {
  await resources.store.db.transaction().execute(async (tx) => {
    await lockAccountControlPlane(tx, caller.accountId);
    if (!(await uis.findHumanTaskUi(tx, caller.accountId, name))) throw notFound(name);
    const users = await uis.flowDefinitionsUsingHumanTaskUi(tx, caller.accountId, name);
    if (users.length > 0) {
      throw new InUseError(`HumanTaskUi '${name}' is used by flow definition(s) ${users.join(', ')}; delete them first.`);
    }
    await uis.deleteHumanTaskUi(tx, caller.accountId, name);
  });
  return {};
}

/** RenderUiTemplate: a template (given, or a stored task UI's) rendered with `task.input`. */
export async function renderUiTemplate(resources: Resources, caller: Caller, request: RenderUiTemplateRequest) {
  if (Boolean(request.UiTemplate) === Boolean(request.HumanTaskUiArn)) {
    throw new ValidationError('Provide exactly one of UiTemplate or HumanTaskUiArn.');
  }
  let template = request.UiTemplate?.Content;
  if (request.HumanTaskUiArn) {
    const name = humanTaskUiNameFromArn(caller, request.HumanTaskUiArn);
    template = (await requireHumanTaskUi(resources, caller, name)).template;
  }
  if (exceedsJsonDepth(request.Task.Input)) throw new ValidationError(jsonTooDeepMessage('Task.Input'));
  let input: unknown;
  try {
    input = JSON.parse(request.Task.Input);
  } catch {
    throw new ValidationError('Task.Input must be a JSON document.');
  }
  const result = await renderWorkerTemplate(template ?? '', input, {
    grantReadAccess: await grantReadAccessForAccount(resources, caller.accountId),
  });
  return { RenderedContent: result.renderedContent, Errors: result.errors };
}

export async function requireHumanTaskUi(resources: Resources, caller: Caller, name: string): Promise<HumanTaskUiRow> {
  const row = await uis.findHumanTaskUi(resources.store.db, caller.accountId, name);
  if (!row) throw notFound(name);
  return row;
}

/** The task UI's name from its ARN; another account's or region's ARN is simply not found. */
export function humanTaskUiNameFromArn(caller: Caller, arn: string): string {
  const parsed = parseArn('human-task-ui', arn);
  if (!parsed || !belongsTo(parsed, caller)) throw new NotFoundError(`HumanTaskUi '${arn}' does not exist.`);
  return parsed.name;
}

function notFound(name: string): NotFoundError {
  return new NotFoundError(`HumanTaskUi '${name}' does not exist.`);
}
