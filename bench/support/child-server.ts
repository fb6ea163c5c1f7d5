/**
 * Servers under test run in child processes, so the load generator (autocannon, in the parent)
 * never shares their event loop. A child entry file starts its server, calls
 * {@link announceReady} with the URL it listens on, and registers its shutdown with
 * {@link onStopRequested}; the parent forks it with {@link startChildServer} and later calls
 * `stop()`, which lets the child close cleanly (so `--cpu-prof` can write its profile).
 *
 * Every child runs with `--import tsx`, the loader the benchmarks themselves use: echo baseline
 * and Tandem pay the same loader costs, all of them at start-up.
 *
 * @example
 * // parent
 * const echo = await startChildServer(entryPath('echo-server-process.ts'), { label: 'echo' });
 * // … drive echo.url …
 * await echo.stop();
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ChildServerOptions {
  /** Shown in error messages. */
  label: string;
  /** Environment of the child. @defaultValue the parent's */
  env?: NodeJS.ProcessEnv;
  /** Extra node flags, e.g. `['--cpu-prof', '--cpu-prof-dir=/tmp/prof']`. */
  execArgv?: string[];
  /** Give up when the child has not announced its URL by then. @defaultValue `60000` */
  startTimeoutMs?: number;
}

/** What a child sends once it listens. `info` carries whatever else the parent needs. */
export interface ReadyMessage {
  type: 'ready';
  url: string;
  info?: Record<string, unknown>;
}

export interface ChildServer {
  label: string;
  pid: number;
  url: string;
  info: Record<string, unknown>;
  /** Asks the child to close and waits for it to exit (SIGKILL after `timeoutMs`); its exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
}

/** Absolute path of a file beside this one (child entries live in bench/support/). */
export function entryPath(fileName: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), fileName);
}

export async function startChildServer(entry: string, options: ChildServerOptions): Promise<ChildServer> {
  const child = fork(entry, [], {
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    env: options.env ?? process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await waitForReady(child, exited, options);
  let stopping: Promise<number | null> | undefined;
  return {
    label: options.label,
    pid: child.pid ?? -1,
    url: ready.url,
    info: ready.info ?? {},
    stop: (timeoutMs = 30_000) =>
      (stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
        if (child.connected) child.send({ type: 'stop' });
        else child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      })()),
  };
}

function waitForReady(child: ChildProcess, exited: Promise<number | null>, options: ChildServerOptions): Promise<ReadyMessage> {
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.label}: did not announce its URL within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', (message: unknown) => {
      const m = message as { type?: string; url?: string; error?: string; info?: Record<string, unknown> };
      if (m.type === 'ready' && typeof m.url === 'string') {
        clearTimeout(timer);
        resolve({ type: 'ready', url: m.url, ...(m.info ? { info: m.info } : {}) });
      } else if (m.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${options.label}: failed to start: ${m.error ?? 'unknown error'}`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${options.label}: exited with code ${code} before it was ready`));
    });
  });
}

// ---- child side ---------------------------------------------------------------------------------

/** Tells the parent the server listens at `url`. */
export function announceReady(url: string, info?: Record<string, unknown>): void {
  process.send?.({ type: 'ready', url, ...(info ? { info } : {}) });
}

/** Tells the parent start-up failed, then exits with code 1. */
export function failStartup(error: unknown): never {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.send?.({ type: 'failed', error: text });
  process.stderr.write(`${text}\n`);
  process.exit(1);
}

/**
 * Runs `close` once when the parent asks (IPC `stop`), on SIGTERM/SIGINT, or when the parent
 * goes away, then exits 0 — a normal exit, so `--cpu-prof` writes its file.
 */
export function onStopRequested(close: () => Promise<void>): void {
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`close failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('message', (message: unknown) => {
    if ((message as { type?: string }).type === 'stop') shutdown();
  });
  process.on('disconnect', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
