import { InUseError, NotFoundError, ValidationError } from '../api/aws/errors.js';
import { checkActivationConditions, type RequestSource } from '../domain/activation-conditions.js';
import { belongsTo, buildArn, parseArn } from '../domain/arns.js';
import { outputPathProblem, splitS3Uri } from '../domain/s3-locations.js';
import type { Caller, Resources } from '../resources.js';
import * as flows from '../store/flow-definitions.js';
import { countActiveLoopsOfFlow } from '../store/human-loops.js';
import { findHumanTaskUi } from '../store/human-task-uis.js';
import type { FlowDefinitionRow } from '../store/schema.js';
import { findWorkteam, lockAccountControlPlane } from '../store/workteams.js';
import { claimBucketFor } from './buckets.js';
import { listPage, millis, type PageRequest } from './listing.js';
import type { Tag } from './workteams.js';

/** AWS's documented defaults and upper bounds for the two task timers. */
export const DEFAULT_TASK_AVAILABILITY_LIFETIME_SECONDS = 864_000;
export const MAX_TASK_AVAILABILITY_LIFETIME_SECONDS = 864_000;
export const DEFAULT_TASK_TIME_LIMIT_SECONDS = 3_600;
export const MAX_TASK_TIME_LIMIT_SECONDS = 28_800;

export interface HumanLoopConfig {
  WorkteamArn: string;
  HumanTaskUiArn: string;
  TaskTitle: string;
  TaskDescription: string;
  TaskCount: number;
  TaskAvailabilityLifetimeInSeconds?: number | undefined;
  TaskTimeLimitInSeconds?: number | undefined;
  TaskKeywords?: string[] | undefined;
  PublicWorkforceTaskPrice?: unknown;
}

export interface CreateFlowDefinitionRequest {
  FlowDefinitionName: string;
  HumanLoopRequestSource?: { AwsManagedHumanLoopRequestSource: string } | undefined;
  HumanLoopActivationConfig?: { HumanLoopActivationConditionsConfig: { HumanLoopActivationConditions: string } } | undefined;
  HumanLoopConfig?: HumanLoopConfig | undefined;
  OutputConfig: { S3OutputPath: string; KmsKeyId?: string | undefined };
  RoleArn: string;
  Tags?: Tag[] | undefined;
}

export interface ListFlowDefinitionsRequest extends PageRequest {
  CreationTimeAfter?: Date | undefined;
  CreationTimeBefore?: Date | undefined;
}

export async function createFlowDefinition(resources: Resources, caller: Caller, request: CreateFlowDefinitionRequest) {
  const config = request.HumanLoopConfig;
  if (!config) throw new ValidationError('HumanLoopConfig is required for a human review workflow.');
  const source = request.HumanLoopRequestSource?.AwsManagedHumanLoopRequestSource as RequestSource | undefined;
  const conditions = request.HumanLoopActivationConfig?.HumanLoopActivationConditionsConfig.HumanLoopActivationConditions;
  if (conditions !== undefined) {
    if (!source) {
      throw new ValidationError(
        'HumanLoopActivationConfig is only supported with a HumanLoopRequestSource (built-in task types); custom task types start human loops with StartHumanLoop.',
      );
    }
    const problems = checkActivationConditions(conditions, source);
    if (problems.length > 0) throw new ValidationError(`Invalid HumanLoopActivationConditions: ${problems.join(' ')}`);
  }
  const lifetime = config.TaskAvailabilityLifetimeInSeconds ?? DEFAULT_TASK_AVAILABILITY_LIFETIME_SECONDS;
  const timeLimit = config.TaskTimeLimitInSeconds ?? DEFAULT_TASK_TIME_LIMIT_SECONDS;
  if (lifetime > MAX_TASK_AVAILABILITY_LIFETIME_SECONDS) {
    throw new ValidationError(`TaskAvailabilityLifetimeInSeconds must be at most ${MAX_TASK_AVAILABILITY_LIFETIME_SECONDS}.`);
  }
  if (timeLimit > MAX_TASK_TIME_LIMIT_SECONDS) {
    throw new ValidationError(`TaskTimeLimitInSeconds must be at most ${MAX_TASK_TIME_LIMIT_SECONDS}.`);
  }
  const outputProblem = outputPathProblem(request.OutputConfig.S3OutputPath, request.FlowDefinitionName);
  if (outputProblem) {
    throw new ValidationError(`OutputConfig.S3OutputPath is not usable: ${outputProblem}.`);
  }
  const outputBucket = splitS3Uri(request.OutputConfig.S3OutputPath)!.bucket;
  const workteam = referencedName(caller, 'workteam', config.WorkteamArn, 'WorkteamArn');
  const ui = referencedName(caller, 'human-task-ui', config.HumanTaskUiArn, 'HumanTaskUiArn');
  const arn = buildArn('flow-definition', caller, request.FlowDefinitionName);

  await resources.store.db.transaction().execute(async (tx) => {
    await lockAccountControlPlane(tx, caller.accountId);
    if (await flows.findFlowDefinition(tx, caller.accountId, request.FlowDefinitionName)) {
      throw new InUseError(`Flow definition '${request.FlowDefinitionName}' already exists.`);
    }
    if (!(await findWorkteam(tx, caller.accountId, workteam))) {
      throw new ValidationError(`Workteam '${config.WorkteamArn}' does not exist.`);
    }
    if (!(await findHumanTaskUi(tx, caller.accountId, ui))) {
      throw new ValidationError(`HumanTaskUi '${config.HumanTaskUiArn}' does not exist.`);
    }
    if ((await claimBucketFor(resources, tx, outputBucket, caller.accountId)) !== caller.accountId) {
      throw new ValidationError(
        `OutputConfig.S3OutputPath names bucket '${outputBucket}', which belongs to another account; use a bucket of your own.`,
      );
    }
    await flows.insertFlowDefinition(tx, {
      account_id: caller.accountId,
      name: request.FlowDefinitionName,
      arn,
      status: 'Active',
      role_arn: request.RoleArn,
      request_source: source ?? null,
      activation_conditions: conditions ?? null,
      human_loop_config: JSON.stringify(config),
      output_config: JSON.stringify(request.OutputConfig),
      workteam_name: workteam,
      human_task_ui_name: ui,
      task_count: config.TaskCount,
      task_availability_lifetime_seconds: lifetime,
      task_time_limit_seconds: timeLimit,
      tags: JSON.stringify(request.Tags ?? []),
      failure_reason: null,
      created_at: resources.clock.now(),
    });
  });
  return { FlowDefinitionArn: arn };
}

export async function describeFlowDefinition(resources: Resources, caller: Caller, name: string) {
  const row = await requireFlowDefinition(resources, caller, name);
  return {
    FlowDefinitionArn: row.arn,
    FlowDefinitionName: row.name,
    FlowDefinitionStatus: row.status,
    CreationTime: new Date(row.created_at),
    ...(row.request_source ? { HumanLoopRequestSource: { AwsManagedHumanLoopRequestSource: row.request_source } } : {}),
    ...(row.activation_conditions !== null
      ? {
          HumanLoopActivationConfig: {
            HumanLoopActivationConditionsConfig: { HumanLoopActivationConditions: row.activation_conditions },
          },
        }
      : {}),
    HumanLoopConfig: JSON.parse(row.human_loop_config) as HumanLoopConfig,
    OutputConfig: JSON.parse(row.output_config) as CreateFlowDefinitionRequest['OutputConfig'],
    RoleArn: row.role_arn,
    ...(row.failure_reason ? { FailureReason: row.failure_reason } : {}),
  };
}

export async function listFlowDefinitions(resources: Resources, caller: Caller, request: ListFlowDefinitionsRequest) {
  const filter = { after: millis(request.CreationTimeAfter), before: millis(request.CreationTimeBefore) };
  const page = await listPage(
    resources,
    `ListFlowDefinitions|${caller.accountId}|${filter.after ?? ''}|${filter.before ?? ''}`,
    request,
    { sortOrder: 'Descending', maxResults: 10 },
    (keyset) => flows.listFlowDefinitions(resources.store.db, caller.accountId, filter, keyset),
    (row) => ({ value: row.created_at, id: row.name }),
  );
  return {
    FlowDefinitionSummaries: page.items.map((row) => ({
      FlowDefinitionName: row.name,
      FlowDefinitionArn: row.arn,
      FlowDefinitionStatus: row.status,
      CreationTime: new Date(row.created_at),
      ...(row.failure_reason ? { FailureReason: row.failure_reason } : {}),
    })),
    ...(page.NextToken ? { NextToken: page.NextToken } : {}),
  };
}

/**
 * A flow definition with human loops still InProgress or Stopping cannot be deleted
 * (ResourceInUse); stop them first. Finished loops stay describable after the deletion.
 */
export async function deleteFlowDefinition(resources: Resources, caller: Caller, name: string) {
  await resources.store.db.transaction().execute(async (tx) => {
    await lockAccountControlPlane(tx, caller.accountId);
    // Before the count: a loop start in flight finishes first, and a later one sees no flow.
    await flows.holdLoopStarts(tx);
    if (!(await flows.findFlowDefinition(tx, caller.accountId, name, 'update'))) throw notFound(name);
    const active = await countActiveLoopsOfFlow(tx, caller.accountId, name);
    if (active > 0) {
      throw new InUseError(
        `Flow definition '${name}' has ${active} human loop(s) in progress; stop them before deleting it.`,
      );
    }
    await flows.deleteFlowDefinition(tx, caller.accountId, name);
  });
  return {};
}

export async function requireFlowDefinition(resources: Resources, caller: Caller, name: string): Promise<FlowDefinitionRow> {
  const row = await flows.findFlowDefinition(resources.store.db, caller.accountId, name);
  if (!row) throw notFound(name);
  return row;
}

function notFound(name: string): NotFoundError {
  return new NotFoundError(`Flow definition '${name}' does not exist.`);
}

function referencedName(caller: Caller, type: 'workteam' | 'human-task-ui', arn: string, member: string): string {
  const parsed = parseArn(type, arn);
  if (!parsed) throw new ValidationError(`HumanLoopConfig.${member} '${arn}' is not a ${type} ARN.`);
  if (!belongsTo(parsed, caller)) {
    throw new ValidationError(`HumanLoopConfig.${member} '${arn}' does not exist in this account and region.`);
  }
  return parsed.name;
}
