/**
 * The task page (`/portal/work`) and the task frame (`/portal/tasks/:taskId/frame`): the worker
 * template rendered on the server with `task.input` = the loop's input (and nothing else: later
 * reviewers never see earlier answers), with AWS's crowd-elements script replaced by Tandem's
 * bundle, served under the sandboxing CSP of security-headers.ts.
 */
import type { FastifyInstance } from 'fastify';
import { getLeasedTask, type AssignedTask } from '../../operations/reviews.js';
import { grantReadAccessForAccount } from '../../operations/signed-urls.js';
import { workerIdentity } from '../../operations/worker-sessions.js';
import type { Resources } from '../../resources.js';
import { renderWorkerTemplate } from '../../templates/render-worker-template.js';
import { isTandemError } from '../aws/errors.js';
import { pageContext } from './language.js';
import { frameErrorDocument, workPage } from './pages.js';
import { FRAME_HEADERS, PAGE_HEADERS } from './security-headers.js';
import { PortalError, requireSession, sessionOf } from './session-guard.js';

/** Where Tandem serves its crowd-elements bundle. */
export const BUNDLE_PATH = '/portal/assets/crowd-html-elements.js';
const AWS_BUNDLE_URL = /(?:https?:)?\/\/assets\.crowd\.aws\/crowd-html-elements\.js/gi;

export type RenderedTask = { ok: true; html: string } | { ok: false; message: string };

/** Renders the task's template into the frame's whole HTML document, or says why it cannot. */
export async function renderTaskDocument(resources: Resources, task: AssignedTask): Promise<RenderedTask> {
  const { renderedContent, errors } = await renderWorkerTemplate(task.template, task.input, {
    grantReadAccess: await grantReadAccessForAccount(resources, task.accountId),
  });
  const first = errors[0];
  if (first) {
    resources.logger.warn(
      { account: task.accountId, flowDefinition: task.flowDefinitionName, humanLoopName: task.humanLoopName, taskId: task.taskId, code: first.Code, problem: first.Message },
      'template render failed',
    );
    return { ok: false, message: `This task's template could not be shown (${first.Code}: ${first.Message}). Skip it; your administrator has to fix the template.` };
  }
  return { ok: true, html: taskDocument(renderedContent) };
}

/**
 * A whole document around the rendered template. AWS's bundle URL becomes Tandem's; a template
 * that does not load the bundle gets it anyway (the bundle ignores a second copy).
 */
export function taskDocument(renderedContent: string): string {
  const body = renderedContent.replace(AWS_BUNDLE_URL, BUNDLE_PATH);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Task</title>
<script src="${BUNDLE_PATH}"></script>
</head>
<body>
${body}
</body>
</html>
`;
}

export async function registerTaskPages(app: FastifyInstance, resources: Resources) {
  app.get('/work', async (request, reply) => {
    const session = await sessionOf(resources, request);
    if (!session) return reply.redirect('/portal?ended', 303);
    return reply
      .headers(PAGE_HEADERS)
      .type('text/html; charset=utf-8')
      .send(workPage({ email: session.worker.email, csrfToken: session.csrfToken, workerId: session.worker.id }, pageContext(request)));
  });

  app.get<{ Params: { taskId: string } }>('/tasks/:taskId/frame', async (request, reply) => {
    const ctx = pageContext(request);
    const frame = (status: number, html: string) => reply.code(status).headers(FRAME_HEADERS).type('text/html; charset=utf-8').send(html);
    let task: AssignedTask;
    try {
      const session = await requireSession(resources, request);
      task = await getLeasedTask(resources, workerIdentity(session.worker), request.params.taskId);
    } catch (error) {
      if (error instanceof PortalError) return frame(error.status, frameErrorDocument(error.messageKey ? ctx.t(error.messageKey, error.messageParams) : error.message, ctx));
      if (isTandemError(error) && error.kind === 'NotFound') return frame(404, frameErrorDocument(error.message, ctx));
      throw error;
    }
    const rendered = await renderTaskDocument(resources, task);
    return rendered.ok ? frame(200, rendered.html) : frame(422, frameErrorDocument(rendered.message, ctx));
  });
}
