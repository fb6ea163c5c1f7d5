/**
 * Work teams and workers in the console: `/console/teams` (teams, create, invite a worker),
 * `/console/teams/:name` (members with answered tasks, median time per task and skips;
 * deactivate, activate, new invite link; the tasks each worker holds now and when each lease
 * expires). Teams go through CreateWorkteam; workers through the
 * same operations as `tandem workers` and the admin API.
 */
import type { FastifyInstance } from 'fastify';
import { recordAudit } from '../../operations/admins.js';
import { activateWorker, addWorker, deactivateWorker, listWorkers, reissueInvite } from '../../operations/workers.js';
import type { Resources } from '../../resources.js';
import { heldTasks, workerStats, type HeldTask } from '../../store/console-stats.js';
import { findWorkteam } from '../../store/workteams.js';
import { isTandemError, NotFoundError } from '../aws/errors.js';
import { callerOf, consoleSession } from './guard.js';
import { actionButton, csrfField, escapeHtml, notice, table, time } from './layout.js';
import { age } from './queues.js';
import { sendConsolePage } from './respond.js';
import { callSageMaker } from './task-uis.js';

const SECTION = '/console/teams';
type Form = Record<string, string | undefined>;

export async function registerTeamPages(app: FastifyInstance, resources: Resources) {
  const teamsPage = async (accountId: string, csrf: string, isAdmin: boolean, message?: { text: string; kind: 'error' | 'info' }, inviteUrl?: string) => {
    const db = resources.store.db;
    const [teams, members] = await Promise.all([
      db.selectFrom('workteams').select(['name', 'description']).where('account_id', '=', accountId).orderBy('name').execute(),
      db
        .selectFrom('workteam_members')
        .innerJoin('workers', 'workers.id', 'workteam_members.worker_id')
        .select(['workteam_members.workteam_name as team', 'workers.status'])
        .where('workteam_members.account_id', '=', accountId)
        .execute(),
    ]);
    const count = (team: string, active: boolean) => members.filter((m) => m.team === team && (!active || m.status === 'active')).length;
    const forms = isAdmin
      ? `<div class="editor-grid">
<form method="post" action="/console/teams" class="stack"><h2>Create a work team</h2>${csrfField(csrf)}
<label for="team-name">Name</label><input id="team-name" name="name" type="text" required maxlength="63" pattern="[a-zA-Z0-9](-*[a-zA-Z0-9])*">
<label for="team-description">Description</label><input id="team-description" name="description" type="text" required maxlength="200">
<button type="submit">Create team</button></form>
<form method="post" action="/console/workers" class="stack"><h2>Invite a worker</h2>${csrfField(csrf)}
<label for="worker-email">Email</label><input id="worker-email" name="email" type="email" required>
<label for="worker-team">Work team</label><select id="worker-team" name="team" required>${teams.map((t) => `<option>${escapeHtml(t.name)}</option>`).join('')}</select>
<button type="submit">Invite worker</button></form></div>`
      : '';
    return `<h1>Work teams and workers</h1>
${message ? notice(message.text, message.kind) : ''}
${inviteUrl ? `<section class="panel" aria-labelledby="invite-h"><h2 id="invite-h">Invite link</h2><p>Send this link to the worker; it works once, for 7 days, and is not shown again:</p><p><code id="invite-url">${escapeHtml(inviteUrl)}</code></p></section>` : ''}
${table(
  'Work teams',
  ['Team', 'Description', 'Active workers', 'All workers'],
  teams.map((t) => [
    `<a href="/console/teams/${escapeHtml(encodeURIComponent(t.name))}">${escapeHtml(t.name)}</a>`,
    escapeHtml(t.description),
    String(count(t.name, true)),
    String(count(t.name, false)),
  ]),
  'No work team yet.',
)}
${forms}`;
  };

  app.get('/teams', async (request, reply) => {
    const session = consoleSession(request);
    const body = await teamsPage(session.accountId, session.csrfToken, session.admin.role === 'admin');
    return sendConsolePage(resources, request, reply, { title: 'Teams & workers', body, section: SECTION });
  });

  app.post<{ Body: Form }>('/teams', async (request, reply) => {
    const session = consoleSession(request);
    const caller = callerOf(resources, request);
    const name = String(request.body?.name ?? '').trim();
    try {
      await callSageMaker(resources, caller, 'CreateWorkteam', {
        WorkteamName: name,
        Description: String(request.body?.description ?? ''),
        MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: `${caller.region}_tandem`, UserGroup: name, ClientId: 'tandem-portal' } }],
      });
    } catch (error) {
      if (!isTandemError(error)) throw error;
      const body = await teamsPage(session.accountId, session.csrfToken, true, { text: error.message, kind: 'error' });
      return sendConsolePage(resources, request, reply, { title: 'Teams & workers', body, section: SECTION }, 400);
    }
    await recordAudit(resources, session, request.ip, { action: 'workteam.create', target: name });
    return reply.redirect(`/console/teams/${encodeURIComponent(name)}`, 303);
  });

  app.post<{ Body: Form }>('/workers', async (request, reply) => {
    const session = consoleSession(request);
    const email = String(request.body?.email ?? '');
    let inviteUrl: string | undefined;
    try {
      ({ inviteUrl } = await addWorker(resources, { accountId: session.accountId, email, teams: [String(request.body?.team ?? '')] }));
    } catch (error) {
      if (!isTandemError(error)) throw error;
      const body = await teamsPage(session.accountId, session.csrfToken, true, { text: error.message, kind: 'error' });
      return sendConsolePage(resources, request, reply, { title: 'Teams & workers', body, section: SECTION }, 400);
    }
    await recordAudit(resources, session, request.ip, { action: 'worker.invite', target: email, detail: `team ${request.body?.team ?? ''}` });
    const body = await teamsPage(session.accountId, session.csrfToken, true, { text: `Invited ${email}.`, kind: 'info' }, inviteUrl);
    return sendConsolePage(resources, request, reply, { title: 'Teams & workers', body, section: SECTION });
  });

  app.get<{ Params: { name: string } }>('/teams/:name', async (request, reply) => {
    const session = consoleSession(request);
    const team = await findWorkteam(resources.store.db, session.accountId, request.params.name);
    if (!team) throw new NotFoundError(`Work team '${request.params.name}' does not exist.`);
    const workers = (await listWorkers(resources, session.accountId)).filter((w) => w.teams.includes(team.name));
    const now = resources.clock.now();
    const [stats, held] = await Promise.all([
      workerStats(resources.store.db, session.accountId, workers.map((w) => w.workerId)),
      heldTasks(resources.store.db, session.accountId, team.name, now),
    ]);
    const body = `<p><a href="/console/teams">← All teams</a></p>
<h1>Work team ${escapeHtml(team.name)}</h1>
<p>${escapeHtml(team.description)}</p>
${table(
  'Workers',
  ['Email', 'Status', 'Sign-in', 'Answered', 'Median time per task', 'Skips', 'Actions'],
  workers.map((w) => {
    const s = stats.get(w.workerId)!;
    const id = encodeURIComponent(w.workerId);
    return [
      escapeHtml(w.email),
      escapeHtml(w.status),
      w.passwordSet ? 'password' : w.identityProvider === 'Oidc' ? 'single sign-on' : 'invited',
      String(s.answered),
      s.medianSeconds === null ? '–' : `${s.medianSeconds.toFixed(1)} s`,
      String(s.skips),
      [
        w.status === 'active'
          ? actionButton(session, `/console/workers/${id}/deactivate`, `Deactivate ${w.email}`, { team: team.name })
          : actionButton(session, `/console/workers/${id}/activate`, `Activate ${w.email}`, { team: team.name }),
        w.identityProvider === 'Tandem' ? actionButton(session, `/console/workers/${id}/invite`, `New invite link for ${w.email}`) : '',
      ].join(' '),
    ];
  }),
  'No worker in this team yet.',
)}
<h2>Tasks held now</h2>
${heldTasksTable(held, new Map(workers.map((w) => [w.workerId, w.email])), now)}`;
    return sendConsolePage(resources, request, reply, { title: `Team ${team.name}`, body, section: SECTION });
  });

  for (const action of ['deactivate', 'activate'] as const) {
    app.post<{ Params: { id: string }; Body: Form }>(`/workers/:id/${action}`, async (request, reply) => {
      const session = consoleSession(request);
      if (action === 'deactivate') await deactivateWorker(resources, session.accountId, request.params.id);
      else await activateWorker(resources, session.accountId, request.params.id);
      await recordAudit(resources, session, request.ip, { action: `worker.${action}`, target: request.params.id });
      const team = request.body?.team;
      return reply.redirect(team ? `/console/teams/${encodeURIComponent(team)}` : '/console/teams', 303);
    });
  }

  app.post<{ Params: { id: string } }>('/workers/:id/invite', async (request, reply) => {
    const session = consoleSession(request);
    const url = await reissueInvite(resources, session.accountId, request.params.id);
    await recordAudit(resources, session, request.ip, { action: 'worker.reinvite', target: request.params.id });
    const body = await teamsPage(session.accountId, session.csrfToken, true, { text: 'New invite link made; earlier links stop working.', kind: 'info' }, url);
    return sendConsolePage(resources, request, reply, { title: 'Teams & workers', body, section: SECTION });
  });
}

/** Per worker, each task they hold: the loop, when the lease expires and when a quiet page would give it back. */
function heldTasksTable(held: HeldTask[], emails: Map<string, string>, now: number): string {
  const until = (at: number | null) => (at === null ? '–' : `${time(at)} (in ${age(at - now)})`);
  return table(
    'Tasks held by workers of this team, soonest expiry first per worker',
    ['Worker', 'Human loop', 'Flow definition', 'Leased', 'Lease expires', 'Released if the task page goes quiet'],
    held.map((h) => [
      escapeHtml(emails.get(h.workerId) ?? h.workerId),
      `<a href="/console/loops/${escapeHtml(encodeURIComponent(h.loopName))}">${escapeHtml(h.loopName)}</a>`,
      escapeHtml(h.flowName),
      time(h.leasedAt),
      until(h.leaseExpiresAt),
      until(h.idleReleaseAt),
    ]),
    'No worker of this team holds a task.',
  );
}
