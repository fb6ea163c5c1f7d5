/**
 * A stand-in portal for browser tests of the crowd-element bundle: a node:http server on
 * 127.0.0.1 serving the bundle (built in memory with the project's build function), task
 * templates under a strict CSP, and a parent page that embeds each template in an iframe with
 * `sandbox="allow-scripts allow-forms"` and records what the template posts (`window.messages`,
 * `window.answers`). Chromium is Debian's, driven by playwright-core; nothing is downloaded.
 *
 * Test files skip with `skipReason('chromium')` from test/support/environment.ts, which fails
 * instead of skipping when the run must have every dependency (`TANDEM_TEST_REQUIRE_ALL=1`, set
 * by scripts/run-tests.mjs under CI).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, Frame, FrameLocator, Page } from 'playwright-core';
import { launchChromium } from '../support/environment.js';

interface BuildWebModule {
  buildWeb(options: { write: boolean }): Promise<Array<{ outputFiles?: Array<{ path: string; contents: Uint8Array }> }>>;
}

/** The bundle and its source map, built in memory by `scripts/build-web.mjs`. */
export async function buildBundle(): Promise<Map<string, Uint8Array>> {
  // A computed specifier: the build script is plain JavaScript without type declarations.
  const script = new URL('../../scripts/build-web.mjs', import.meta.url).href;
  const { buildWeb } = (await import(script)) as BuildWebModule;
  const files = new Map<string, Uint8Array>();
  for (const result of await buildWeb({ write: false })) {
    for (const file of result.outputFiles ?? []) files.set(`/${file.path.split('/').pop()}`, file.contents);
  }
  if (!files.has('/crowd-html-elements.js')) throw new Error('build-web produced no crowd-html-elements.js');
  return files;
}

const CAT_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="120" height="80" fill="#e8a33d"/><circle cx="60" cy="40" r="25" fill="#7a4b12"/></svg>';

export interface Portal {
  origin: string;
  /** Opens a parent page whose sandboxed iframe shows `templateBody` after the bundle's script tag. */
  openTask(templateBody: string): Promise<TaskPage>;
  close(): Promise<void>;
}

export interface TaskPage {
  page: Page;
  /** The template's frame, for locators (they pierce open shadow roots). */
  task: FrameLocator;
  /** The template's frame, for `evaluate`. */
  frame: Frame;
  /** Every message the template posted, in order. */
  messages(): Promise<Array<{ type: string; [key: string]: unknown }>>;
  /** The types of those messages. */
  messageTypes(): Promise<string[]>;
  /** Waits until the template has posted a message of `type`, and returns the first one. */
  waitForMessage(type: string): Promise<{ type: string; [key: string]: unknown }>;
  /** Waits for the first `tandem:submit` and returns its answer. */
  waitForAnswer(): Promise<unknown>;
  /** Waits until `count` answers have been posted and returns them all. */
  waitForAnswers(count: number): Promise<unknown[]>;
  /** Every answer posted so far. */
  answers(): Promise<unknown[]>;
  /** Lets pending work in the frame run, before asserting that something did *not* happen. */
  settle(): Promise<void>;
  /** Posts `message` from the parent page to the template, as the portal does. */
  postToTask(message: unknown): Promise<void>;
  /** Console errors, CSP violations and uncaught exceptions seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * Starts the server and the browser (one each, shared by a test file). The browser is
 * test/support/environment.ts's {@link launchChromium}: Debian's Chromium with the test flags.
 */
export async function startPortal(): Promise<Portal> {
  const bundle = await buildBundle();
  const templates = new Map<string, string>();
  let nextId = 1;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const asset = bundle.get(url.pathname);
    if (asset) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(asset);
      return;
    }
    if (url.pathname === '/cat.svg') {
      res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(CAT_SVG);
      return;
    }
    const [, kind, id = ''] = url.pathname.split('/');
    const template = templates.get(id);
    if (template === undefined) {
      res.writeHead(404).end();
      return;
    }
    if (kind === 'task') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(parentPage(id));
    } else if (kind === 'template') {
      const self = `http://${req.headers.host ?? ''}`;
      res
        .writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          // What a strict portal allows a template: inline scripts (templates have them), the
          // bundle, and images; no inline styles, no network access.
          'content-security-policy': `default-src 'none'; script-src ${self} 'unsafe-inline'; style-src ${self}; img-src ${self} data:`,
        })
        .end(`<script src="/crowd-html-elements.js"></script>\n${template}`);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  const context = await browser.newContext();
  // A waiting limit, not a speed check: a loaded 2-core machine takes tens of seconds to lay out a frame.
  context.setDefaultTimeout(45_000);

  return {
    origin,
    async openTask(templateBody) {
      const id = String(nextId++);
      templates.set(id, templateBody);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || /Content Security Policy|Refused to/.test(message.text())) {
          problems.push(`console: ${message.text()}`);
        }
      });
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      await page.goto(`${origin}/task/${id}`, { waitUntil: 'commit' });
      await page.waitForFunction(() => (window as unknown as PortalWindow).messages.some((m) => m.type === 'tandem:ready'));
      const frame = page.frames().find((f) => f.url().endsWith(`/template/${id}`));
      if (!frame) throw new Error('the task frame did not load');
      return {
        page,
        task: page.frameLocator('#task'),
        frame,
        problems,
        // `tandem:height` (frame sizing) is layout chatter, left out of the message log.
        messages: () => page.evaluate(() => (window as unknown as PortalWindow).messages.filter((m) => m.type !== 'tandem:height')),
        messageTypes: () =>
          page.evaluate(() => (window as unknown as PortalWindow).messages.filter((m) => m.type !== 'tandem:height').map((m) => m.type)),
        async waitForMessage(type) {
          const handle = await page.waitForFunction((t) => (window as unknown as PortalWindow).messages.find((m) => m.type === t), type);
          return (await handle.jsonValue()) as { type: string };
        },
        async waitForAnswer() {
          await page.waitForFunction(() => (window as unknown as PortalWindow).answers.length > 0);
          return page.evaluate(() => (window as unknown as PortalWindow).answers[0]);
        },
        async waitForAnswers(count) {
          await page.waitForFunction((n) => (window as unknown as PortalWindow).answers.length >= n, count);
          return page.evaluate(() => (window as unknown as PortalWindow).answers);
        },
        answers: () => page.evaluate(() => (window as unknown as PortalWindow).answers),
        settle: () => page.waitForTimeout(250),
        postToTask: (message) =>
          page.evaluate((m) => (document.getElementById('task') as HTMLIFrameElement).contentWindow?.postMessage(m, '*'), message),
        close: () => page.close(),
      };
    },
    async close() {
      await browser.close();
      await closeServer(server);
    },
  };
}

/**
 * For a `describe` block: starts one portal (server + browser) before its tests, closes it after,
 * and returns `withTask(template, steps)`, which opens the template in a fresh page, runs the
 * steps, and fails the test if the page logged an error, a CSP violation or an exception.
 */
export function usePortal(): (template: string, steps: (task: TaskPage) => Promise<void>) => Promise<void> {
  let portal: Portal | undefined;
  before(async () => {
    portal = await startPortal();
  });
  after(async () => {
    await portal?.close();
  });
  return async (template, steps) => {
    if (!portal) throw new Error('the portal did not start');
    const task = await portal.openTask(template);
    try {
      await steps(task);
      assert.deepEqual(task.problems, [], 'no console errors, CSP violations or exceptions');
    } finally {
      await task.close();
    }
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The portal stand-in: records the frame's messages; accepts them only from that frame. */
function parentPage(id: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Portal</title><link rel="icon" href="data:,">
<script>
  window.messages = [];
  window.answers = [];
  addEventListener('message', (event) => {
    const frame = document.getElementById('task');
    if (!frame || event.source !== frame.contentWindow) return;
    window.messages.push(event.data);
    if (event.data && event.data.type === 'tandem:submit') window.answers.push(event.data.answer);
  });
</script></head>
<body style="margin:0">
<iframe id="task" title="Task" sandbox="allow-scripts allow-forms" src="/template/${id}" style="width:100%;height:95vh;border:0"></iframe>
</body></html>`;
}

/** What the parent page keeps on its window. */
interface PortalWindow {
  messages: Array<{ type: string; [key: string]: unknown }>;
  answers: unknown[];
}
