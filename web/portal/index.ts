/**
 * The worker portal's browser script (`/portal/assets/portal.js`, bundled by
 * scripts/build-web.mjs). It runs on the task page only; sign-in and invite pages are plain forms.
 */
import { PortalApi } from './portal-api.js';
import { TaskPage } from './task-page.js';

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the task page has no #${id}`);
  return element as T;
}

function start(): void {
  const csrfToken = document.querySelector<HTMLMetaElement>('meta[name="tandem-csrf-token"]')?.content;
  if (!csrfToken || !document.getElementById('task')) return;
  const page = new TaskPage(new PortalApi(csrfToken), {
    status: byId('status'),
    waiting: byId('waiting'),
    checkAgain: byId('check-again'),
    taskPanel: byId('task'),
    title: byId('task-title'),
    description: byId('task-description'),
    timeLeft: byId('time-left'),
    frameSlot: byId('frame-slot'),
    submit: byId('submit-task'),
    skip: byId('skip-task'),
  });
  void page.start();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
