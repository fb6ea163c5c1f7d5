import { InUseError, LimitExceededError, NotFoundError, ValidationError } from '../api/aws/errors.js';
import { buildArn } from '../domain/arns.js';
import type { Caller, Resources } from '../resources.js';
import type { WorkteamRow } from '../store/schema.js';
import * as workteams from '../store/workteams.js';
import { listPage, type PageRequest } from './listing.js';

/** AWS: "You cannot create more than 25 work teams in an account and region." */
export const MAX_WORKTEAMS_PER_ACCOUNT = 25;

export interface MemberDefinition {
  CognitoMemberDefinition?: { UserPool: string; UserGroup: string; ClientId: string } | undefined;
  OidcMemberDefinition?: { Groups?: string[] | undefined } | undefined;
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface CreateWorkteamRequest {
  WorkteamName: string;
  WorkforceName?: string | undefined;
  MemberDefinitions: MemberDefinition[];
  Description: string;
  NotificationConfiguration?: Record<string, unknown> | undefined;
  WorkerAccessConfiguration?: Record<string, unknown> | undefined;
  Tags?: Tag[] | undefined;
}

export interface UpdateWorkteamRequest {
  WorkteamName: string;
  MemberDefinitions?: MemberDefinition[] | undefined;
  Description?: string | undefined;
  NotificationConfiguration?: Record<string, unknown> | undefined;
  WorkerAccessConfiguration?: Record<string, unknown> | undefined;
}

export interface ListWorkteamsRequest extends PageRequest {
  SortBy?: 'Name' | 'CreateDate' | undefined;
  NameContains?: string | undefined;
}

export async function createWorkteam(resources: Resources, caller: Caller, request: CreateWorkteamRequest) {
  checkMemberDefinitions(request.MemberDefinitions);
  const now = resources.clock.now();
  const arn = buildArn('workteam', caller, request.WorkteamName);
  await resources.store.db.transaction().execute(async (tx) => {
    await workteams.lockAccountControlPlane(tx, caller.accountId);
    if (await workteams.findWorkteam(tx, caller.accountId, request.WorkteamName)) {
      throw new InUseError(`Workteam '${request.WorkteamName}' already exists.`);
    }
    if ((await workteams.countWorkteams(tx, caller.accountId)) >= MAX_WORKTEAMS_PER_ACCOUNT) {
      throw new LimitExceededError(
        `You cannot create more than ${MAX_WORKTEAMS_PER_ACCOUNT} work teams in an account and region.`,
      );
    }
    await workteams.insertWorkteam(tx, {
      account_id: caller.accountId,
      name: request.WorkteamName,
      arn,
      description: request.Description,
      workforce_name: request.WorkforceName ?? null,
      member_definitions: JSON.stringify(request.MemberDefinitions),
      notification_configuration: jsonOrNull(request.NotificationConfiguration),
      worker_access_configuration: jsonOrNull(request.WorkerAccessConfiguration),
      tags: JSON.stringify(request.Tags ?? []),
      created_at: now,
      updated_at: now,
    });
  });
  return { WorkteamArn: arn };
}

export async function describeWorkteam(resources: Resources, caller: Caller, name: string) {
  return { Workteam: presentWorkteam(resources, caller, await requireWorkteam(resources, caller, name)) };
}

export async function listWorkteams(resources: Resources, caller: Caller, request: ListWorkteamsRequest) {
  const sortBy = request.SortBy ?? 'CreateDate';
  const column = sortBy === 'Name' ? 'name' : 'created_at';
  const page = await listPage(
    resources,
    `ListWorkteams|${caller.accountId}|${sortBy}|${request.NameContains ?? ''}`,
    request,
    { sortOrder: 'Ascending', maxResults: 10 },
    (keyset) => workteams.listWorkteams(resources.store.db, caller.accountId, column, request.NameContains, keyset),
    (row) => ({ value: sortBy === 'Name' ? row.name : row.created_at, id: row.name }),
  );
  return {
    Workteams: page.items.map((row) => presentWorkteam(resources, caller, row)),
    ...(page.NextToken ? { NextToken: page.NextToken } : {}),
  };
}

export async function updateWorkteam(resources: Resources, caller: Caller, request: UpdateWorkteamRequest) {
  if (request.MemberDefinitions) checkMemberDefinitions(request.MemberDefinitions);
  const row = await resources.store.db.transaction().execute(async (tx) => {
    await workteams.lockAccountControlPlane(tx, caller.accountId);
    const current = await workteams.findWorkteam(tx, caller.accountId, request.WorkteamName);
    if (!current) throw notFound(request.WorkteamName);
    const changes = {
      ...(request.MemberDefinitions ? { member_definitions: JSON.stringify(request.MemberDefinitions) } : {}),
      ...(request.Description !== undefined ? { description: request.Description } : {}),
      ...(request.NotificationConfiguration
        ? { notification_configuration: JSON.stringify(request.NotificationConfiguration) }
        : {}),
      ...(request.WorkerAccessConfiguration
        ? { worker_access_configuration: JSON.stringify(request.WorkerAccessConfiguration) }
        : {}),
      updated_at: resources.clock.now(),
    };
    await workteams.updateWorkteam(tx, caller.accountId, request.WorkteamName, changes);
    return { ...current, ...changes };
  });
  return { Workteam: presentWorkteam(resources, caller, row) };
}

export async function deleteWorkteam(resources: Resources, caller: Caller, name: string) {
  await resources.store.db.transaction().execute(async (tx) => {
    await workteams.lockAccountControlPlane(tx, caller.accountId);
    if (!(await workteams.findWorkteam(tx, caller.accountId, name))) throw notFound(name);
    const users = await workteams.flowDefinitionsUsingWorkteam(tx, caller.accountId, name);
    if (users.length > 0) {
      throw new InUseError(`Workteam '${name}' is used by flow definition(s) ${users.join(', ')}; delete them first.`);
    }
    await workteams.deleteWorkteam(tx, caller.accountId, name);
  });
  return { Success: true };
}

export async function requireWorkteam(resources: Resources, caller: Caller, name: string): Promise<WorkteamRow> {
  const row = await workteams.findWorkteam(resources.store.db, caller.accountId, name);
  if (!row) throw notFound(name);
  return row;
}

function notFound(name: string): NotFoundError {
  return new NotFoundError(`Workteam '${name}' does not exist.`);
}

/** AWS's rules: each member is Cognito xor OIDC, no mixing, one user pool and client per team. */
function checkMemberDefinitions(members: MemberDefinition[]): void {
  for (const member of members) {
    if (Boolean(member.CognitoMemberDefinition) === Boolean(member.OidcMemberDefinition)) {
      throw new ValidationError(
        'Each MemberDefinition must have exactly one of CognitoMemberDefinition or OidcMemberDefinition.',
      );
    }
  }
  const cognito = members.flatMap((m) => (m.CognitoMemberDefinition ? [m.CognitoMemberDefinition] : []));
  if (cognito.length > 0 && cognito.length !== members.length) {
    throw new ValidationError('MemberDefinitions cannot mix CognitoMemberDefinition and OidcMemberDefinition.');
  }
  const pools = new Set(cognito.map((c) => `${c.UserPool}\n${c.ClientId}`));
  if (pools.size > 1) {
    throw new ValidationError('All CognitoMemberDefinition items must have the same ClientId and UserPool values.');
  }
}

function presentWorkteam(resources: Resources, caller: Caller, row: WorkteamRow) {
  return {
    WorkteamName: row.name,
    MemberDefinitions: JSON.parse(row.member_definitions) as MemberDefinition[],
    WorkteamArn: row.arn,
    WorkforceArn: `arn:aws:sagemaker:${caller.region}:${caller.accountId}:workforce/${row.workforce_name ?? 'default'}`,
    ProductListingIds: [],
    Description: row.description,
    SubDomain: new URL(resources.config.publicUrl).host,
    CreateDate: new Date(row.created_at),
    LastUpdatedDate: new Date(row.updated_at),
    ...(row.notification_configuration
      ? { NotificationConfiguration: JSON.parse(row.notification_configuration) as unknown }
      : {}),
    ...(row.worker_access_configuration
      ? { WorkerAccessConfiguration: JSON.parse(row.worker_access_configuration) as unknown }
      : {}),
  };
}

function jsonOrNull(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
