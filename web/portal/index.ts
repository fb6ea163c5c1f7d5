/**
 * The worker portal's browser script (`/portal/assets/portal.js`, bundled by
 * scripts/build-web.mjs), on every portal page: it clears form errors once fixed, and on the task
 * page it runs the task page. It speaks the page's language (`<html lang>`, chosen by the server).
 */
import { translator } from '../../src/i18n/portal-messages.js';
import { clearErrorsWhenFixed } from './form-errors.js';
import { PortalApi } from './portal-api.js';
import { SavedWork } from './saved-work.js';
import { TaskPage } from './task-page.js';

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the task page has no #${id}`);
  return element as T;
}

function meta(name: string): string | undefined {
  return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content;
}

function start(): void {
  clearErrorsWhenFixed();
  const t = translator(document.documentElement.lang);
  const csrfToken = meta('tandem-csrf-token');
  const workerId = meta('tandem-worker');
  if (!csrfToken || !workerId || !document.getElementById('task')) return;
  const saved = new SavedWork(workerId);
  const shortcuts = byId<HTMLDialogElement>('shortcuts');
  byId('close-shortcuts').addEventListener('click', () => shortcuts.close());
  // Signing out gives every lease back (the server does it), so the drafts have nothing to restore into.
  document.querySelector('form[action="/portal/sign-out"]')?.addEventListener('submit', () => saved.prune(0, true));
  const page = new TaskPage(
    new PortalApi(csrfToken, t),
    {
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
      undoBar: byId('undo-bar'),
      undo: byId('undo-skip'),
      shortcuts,
    },
    saved,
    t,
  );
  void page.start();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
