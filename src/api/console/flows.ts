/**
 * Flow definitions in the console: list with loops by status and warnings, detail, create
 * (form or pasted CreateFlowDefinition JSON, both through the SageMaker operation and its
 * validation), delete (with the API's rules).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { buildArn } from '../../domain/arns.js';
import { exceedsJsonDepth, jsonTooDeepMessage } from '../../domain/json-text.js';
import { recordAudit } from '../../operations/admins.js';
import { flowWarnings } from '../../operations/flow-warnings.js';
import type { Caller, Resources } from '../../resources.js';
import { loopCountsByFlow } from '../../store/console-loops.js';
import { findFlowDefinition } from '../../store/flow-definitions.js';
import { isTandemError, NotFoundError, ValidationError } from '../aws/errors.js';
import { flowDetailPage, flowFormPage, flowListPage, type FlowFormValues } from './flow-pages.js';
import { callerOf, consoleSession } from './guard.js';
import { sendConsolePage } from './respond.js';
import { callSageMaker } from './task-uis.js';

const SECTION = '/console/flows';

export async function registerFlowPages(app: FastifyInstance, resources: Resources) {
  app.get('/flows', async (request, reply) => {
    const accountId = callerOf(resources, request).accountId;
    const [rows, counts] = await Promise.all([
      resources.store.db.selectFrom('flow_definitions').selectAll().where('account_id', '=', accountId).orderBy('name').limit(500).execute(),
      loopCountsByFlow(resources.store.db, accountId),
    ]);
    const flows = await Promise.all(rows.map(async (row) => ({ row, counts: counts.get(row.name) ?? {}, warnings: await flowWarnings(resources, row) })));
    return sendConsolePage(resources, request, reply, { title: 'Flow definitions', body: flowListPage(consoleSession(request), flows), section: SECTION });
  });

  app.get('/flows/new', { config: { access: 'admin' } }, async (request, reply) => {
    const values: FlowFormValues = { taskCount: '1', timeLimit: '3600', lifetime: '864000', outputPath: 's3://tandem-output/reviews' };
    return sendForm(resources, request, reply, values);
  });

  app.get<{ Params: { name: string } }>('/flows/:name', async (request, reply) => {
    const caller = callerOf(resources, request);
    const row = await findFlowDefinition(resources.store.db, caller.accountId, request.params.name);
    if (!row) throw new NotFoundError(`Flow definition '${request.params.name}' does not exist.`);
    const counts = (await loopCountsByFlow(resources.store.db, caller.accountId)).get(row.name) ?? {};
    const body = flowDetailPage(consoleSession(request), row, counts, await flowWarnings(resources, row));
    return sendConsolePage(resources, request, reply, { title: `Flow definition ${row.name}`, body, section: SECTION });
  });

  app.post<{ Body: FlowFormValues }>('/flows', async (request, reply) => {
    const caller = callerOf(resources, request);
    const values = request.body ?? {};
    let name: string;
    try {
      const input = values.json?.trim() ? parsePasted(values.json) : fromForm(caller, values);
      name = String(input.FlowDefinitionName ?? '');
      await callSageMaker(resources, caller, 'CreateFlowDefinition', input);
    } catch (error) {
      if (!isTandemError(error)) throw error;
      return sendForm(resources, request, reply, values, error.message);
    }
    await recordAudit(resources, consoleSession(request), request.ip, { action: 'flow-definition.create', target: name });
    return reply.redirect(`/console/flows/${encodeURIComponent(name)}`, 303);
  });

  app.post<{ Params: { name: string } }>('/flows/:name/delete', async (request, reply) => {
    await callSageMaker(resources, callerOf(resources, request), 'DeleteFlowDefinition', { FlowDefinitionName: request.params.name });
    await recordAudit(resources, consoleSession(request), request.ip, { action: 'flow-definition.delete', target: request.params.name });
    return reply.redirect('/console/flows', 303);
  });
}

async function sendForm(
  resources: Resources,
  request: FastifyRequest,
  reply: Parameters<typeof sendConsolePage>[2],
  values: FlowFormValues,
  error?: string,
) {
  const accountId = callerOf(resources, request).accountId;
  const db = resources.store.db;
  const [teams, uis] = await Promise.all([
    db.selectFrom('workteams').select('name').where('account_id', '=', accountId).orderBy('name').execute(),
    db.selectFrom('human_task_uis').select('name').where('account_id', '=', accountId).orderBy('name').limit(1000).execute(),
  ]);
  const body = flowFormPage(consoleSession(request), { teams: teams.map((t) => t.name), uis: uis.map((u) => u.name), values, error });
  return sendConsolePage(resources, request, reply, { title: 'New flow definition', body, section: SECTION }, error ? 400 : 200);
}

function parsePasted(json: string): Record<string, unknown> {
  if (exceedsJsonDepth(json)) throw new ValidationError(jsonTooDeepMessage('The pasted text'));
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new ValidationError(`The pasted text is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError('Paste a CreateFlowDefinition request: a JSON object.');
  return value as Record<string, unknown>;
}

function fromForm(caller: Caller, v: FlowFormValues): Record<string, unknown> {
  const number = (text: string | undefined, label: string) => {
    const n = Number(text);
    if (!text || !Number.isInteger(n)) throw new ValidationError(`${label} must be a whole number.`);
    return n;
  };
  let conditions: string | undefined;
  if (v.activationConditions?.trim()) {
    if (exceedsJsonDepth(v.activationConditions)) throw new ValidationError(jsonTooDeepMessage('The activation conditions'));
    try {
      conditions = JSON.stringify(JSON.parse(v.activationConditions));
    } catch (error) {
      throw new ValidationError(`The activation conditions are not valid JSON: ${(error as Error).message}`);
    }
  }
  const keywords = (v.keywords ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  return {
    FlowDefinitionName: (v.name ?? '').trim(),
    RoleArn: `arn:aws:iam::${caller.accountId}:role/tandem-console`,
    OutputConfig: { S3OutputPath: (v.outputPath ?? '').trim() },
    HumanLoopConfig: {
      WorkteamArn: buildArn('workteam', caller, v.team ?? ''),
      HumanTaskUiArn: buildArn('human-task-ui', caller, v.ui ?? ''),
      TaskTitle: v.title ?? '',
      TaskDescription: v.description ?? '',
      ...(keywords.length > 0 ? { TaskKeywords: keywords } : {}),
      TaskCount: number(v.taskCount, 'Workers per loop'),
      TaskTimeLimitInSeconds: number(v.timeLimit, 'The time limit'),
      TaskAvailabilityLifetimeInSeconds: number(v.lifetime, 'The availability lifetime'),
    },
    ...(conditions ? { HumanLoopActivationConfig: { HumanLoopActivationConditionsConfig: { HumanLoopActivationConditions: conditions } } } : {}),
  };
}
