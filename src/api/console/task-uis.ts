/**
 * Task UIs in the console: `/console/task-uis` (list), `/console/task-uis/new[?example=…]` and
 * `/console/task-uis/:name` (the editor, with live preview), `POST /console/task-uis` (create,
 * through the SageMaker CreateHumanTaskUi operation and its validation),
 * `POST …/:name/delete`, and `POST /console/task-uis/preview`: the template rendered with the
 * sample input as the portal's task frame renders it, under the same sandboxing CSP, into the
 * editor's preview frame. A2I has no UpdateHumanTaskUi; editing saves a new UI.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { exceedsJsonDepth, jsonTooDeepMessage } from '../../domain/json-text.js';
import { recordAudit } from '../../operations/admins.js';
import { grantReadAccessForAccount } from '../../operations/signed-urls.js';
import type { Caller, Resources } from '../../resources.js';
import { findHumanTaskUi } from '../../store/human-task-uis.js';
import { EXAMPLE_TEMPLATES } from '../../templates/example-templates.js';
import { renderWorkerTemplate } from '../../templates/render-worker-template.js';
import { findUnknownCrowdElements } from '../../templates/unknown-elements.js';
import { isTandemError, NotFoundError } from '../aws/errors.js';
import { frameErrorDocument } from '../portal/pages.js';
import { FRAME_HEADERS } from '../portal/security-headers.js';
import { taskDocument } from '../portal/task-frame.js';
import { dispatchSageMaker } from '../sagemaker.js';
import { callerOf, consoleSession } from './guard.js';
import { sendConsolePage } from './respond.js';
import { editorPage, taskUiListPage } from './task-ui-pages.js';

const SECTION = '/console/task-uis';
type Form = Record<string, string | undefined>;

/** Calls a SageMaker operation exactly as a signed request would (shape validation, then the operation). */
export function callSageMaker(resources: Resources, caller: Caller, operation: string, input: unknown): Promise<unknown> {
  return dispatchSageMaker(resources, caller, `SageMaker.${operation}`, Buffer.from(JSON.stringify(input)));
}

export async function registerTaskUiPages(app: FastifyInstance, resources: Resources) {
  app.get('/task-uis', async (request, reply) => {
    const accountId = callerOf(resources, request).accountId;
    const db = resources.store.db;
    const [uis, users] = await Promise.all([
      db.selectFrom('human_task_uis').select(['name', 'created_at']).where('account_id', '=', accountId).orderBy('name').limit(1000).execute(),
      db.selectFrom('flow_definitions').select(['name', 'human_task_ui_name']).where('account_id', '=', accountId).execute(),
    ]);
    const usedBy = (ui: string) => users.filter((f) => f.human_task_ui_name === ui).map((f) => f.name);
    const body = taskUiListPage(consoleSession(request), uis.map((u) => ({ name: u.name, createdAt: u.created_at, usedBy: usedBy(u.name) })));
    return sendConsolePage(resources, request, reply, { title: 'Task UIs', body, section: SECTION });
  });

  app.get<{ Querystring: { example?: string } }>('/task-uis/new', async (request, reply) => {
    const example = EXAMPLE_TEMPLATES.find((e) => e.id === request.query.example) ?? EXAMPLE_TEMPLATES[0]!;
    const body = editorPage(consoleSession(request), {
      name: '',
      template: example.template,
      sampleInput: JSON.stringify(example.sampleInput, null, 2),
      examples: EXAMPLE_TEMPLATES,
      current: example.id,
    });
    return sendConsolePage(resources, request, reply, { title: 'New task UI', body, section: SECTION });
  });

  app.get<{ Params: { name: string } }>('/task-uis/:name', async (request, reply) => {
    const ui = await findHumanTaskUi(resources.store.db, callerOf(resources, request).accountId, request.params.name);
    if (!ui) throw new NotFoundError(`HumanTaskUi '${request.params.name}' does not exist.`);
    const body = editorPage(consoleSession(request), { name: ui.name, existing: true, template: ui.template, sampleInput: '{\n  \n}', examples: EXAMPLE_TEMPLATES });
    return sendConsolePage(resources, request, reply, { title: `Task UI ${ui.name}`, body, section: SECTION });
  });

  app.post<{ Body: Form }>('/task-uis', async (request, reply) => {
    const caller = callerOf(resources, request);
    const name = String(request.body?.name ?? '').trim();
    const template = String(request.body?.template ?? '');
    try {
      await callSageMaker(resources, caller, 'CreateHumanTaskUi', { HumanTaskUiName: name, UiTemplate: { Content: template } });
    } catch (error) {
      if (!isTandemError(error)) throw error;
      const body = editorPage(consoleSession(request), {
        name,
        template,
        sampleInput: String(request.body?.input ?? '{}'),
        examples: EXAMPLE_TEMPLATES,
        error: error.message,
      });
      return sendConsolePage(resources, request, reply, { title: 'New task UI', body, section: SECTION }, 400);
    }
    await recordAudit(resources, consoleSession(request), request.ip, { action: 'human-task-ui.create', target: name });
    return reply.redirect(`/console/task-uis/${encodeURIComponent(name)}`, 303);
  });

  app.post<{ Params: { name: string } }>('/task-uis/:name/delete', async (request, reply) => {
    await callSageMaker(resources, callerOf(resources, request), 'DeleteHumanTaskUi', { HumanTaskUiName: request.params.name });
    await recordAudit(resources, consoleSession(request), request.ip, { action: 'human-task-ui.delete', target: request.params.name });
    return reply.redirect('/console/task-uis', 303);
  });

  // Rendering changes nothing stored, so viewers may preview too.
  app.post<{ Body: Form }>('/task-uis/preview', { config: { access: 'viewer' } }, async (request, reply) => {
    const frame = (status: number, html: string) => reply.code(status).headers(FRAME_HEADERS).type('text/html; charset=utf-8').send(html);
    const document = await previewDocument(resources, request);
    return frame(document.status, document.html);
  });
}

async function previewDocument(resources: Resources, request: FastifyRequest<{ Body: Form }>): Promise<{ status: number; html: string }> {
  const template = String(request.body?.template ?? '');
  const inputText = String(request.body?.input ?? '{}');
  if (exceedsJsonDepth(inputText)) return { status: 200, html: problemsDocument([jsonTooDeepMessage('The sample input')]) };
  let input: unknown;
  try {
    input = JSON.parse(inputText);
  } catch (error) {
    return { status: 200, html: problemsDocument([`The sample input is not valid JSON: ${(error as Error).message}`]) };
  }
  const { renderedContent, errors } = await renderWorkerTemplate(template, input, { grantReadAccess: await grantReadAccessForAccount(resources, callerOf(resources, request).accountId) });
  // A Set: the renderer may already report an unknown element that the element check finds too.
  const problems = [...new Set([...errors, ...findUnknownCrowdElements(template)].map((e) => `${e.Code}: ${e.Message}`))];
  if (errors.length > 0) return { status: 200, html: problemsDocument(problems) };
  const html = taskDocument(renderedContent);
  if (problems.length === 0) return { status: 200, html };
  // Warnings above the rendered task; the frame's CSP allows inline style.
  const banner = `<div role="alert" style="background:#fffaeb;border:1px solid #e0a800;padding:.5rem;margin-bottom:.5rem;font:14px system-ui">${problems
    .map((p) => `<p style="margin:0">${escapeText(p)}</p>`)
    .join('')}</div>`;
  return { status: 200, html: html.replace('<body>\n', `<body>\n${banner}\n`) };
}

function problemsDocument(problems: string[]): string {
  return frameErrorDocument(problems.join('\n')).replace('<p role="alert">', '<p role="alert" style="white-space:pre-wrap;color:#a1261b;font:14px system-ui">');
}

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
