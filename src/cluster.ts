import cluster, { type Worker } from 'node:cluster';
import { ensureDefaultAccount, openResources, type DefaultAccount } from './bootstrap.js';
import type { TandemConfig } from './config.js';
import { deliverEventsTask } from './engine/events.js';
import { serveTandem, type ServingTandem } from './main.js';
import { ClusterMetrics, joinClusterMetrics } from './observability/cluster-metrics.js';
import { createLogger } from './observability/logger.js';
import { startMetricsListener, type MetricsListener } from './observability/metrics-listener.js';

/**
 * Tandem in several processes sharing one port (node:cluster), so that HTTP parsing, SigV4 and
 * validation use more than one core. The primary prepares the store once (migrations, default
 * account and key, demo), then forks `config.processes` server processes; it serves nothing
 * itself. Each server process opens its own store connection: on PostgreSQL that is the usual
 * scale-out, on SQLite the processes share the database file in WAL mode, and every write
 * transaction begins `immediate` (store/sqlite-dialect.ts, store/group-commit.ts) so that a
 * write never fails on another process's newer snapshot. The background engine (lease expiry,
 * lifetimes, output files) runs in server process 0 only; every server process delivers events
 * (webhooks claim their deliveries from the store, so each is attempted by one process at a time,
 * and a process that dies leaves its claims to the others once their lease runs out).
 *
 * A server process that dies is forked again; one that dies within {@link CRASH_WINDOW_MS} of
 * starting, {@link CRASH_LIMIT} times in a row, stops the whole cluster instead of looping.
 * In-memory state stays per process: the sign-in rate limit and the 5 s cache of access keys.
 *
 * @example
 * const running = await startTandemCluster(config); // config.processes > 1
 * await running.close();
 */
export interface RunningCluster {
  url: string;
  /** The metrics listener's `http://host:port` (TANDEM_METRICS_LISTEN), served by the primary. */
  metricsUrl?: string | undefined;
  account: DefaultAccount;
  /** Process ids of the server processes now running. */
  pids(): number[];
  /** Asks every server process to finish its in-flight requests and exit; resolves when all have. */
  close(): Promise<void>;
  /** Resolves with 0 after `close`, or 1 when the cluster gave up on a crashing server process. */
  stopped: Promise<number>;
}

const CRASH_WINDOW_MS = 10_000;
const CRASH_LIMIT = 3;
const STOP_TIMEOUT_MS = 30_000;
const INDEX_VARIABLE = 'TANDEM_PROCESS_INDEX';

type ToPrimary = { type: 'tandem-ready'; url: string } | { type: 'tandem-failed'; error: string; code?: string };
type ToServer = { type: 'tandem-stop' };

export function isClusterServerProcess(): boolean {
  return cluster.isWorker && process.env[INDEX_VARIABLE] !== undefined;
}

/** Primary side: prepare the store, fork the server processes, resolve once all listen. */
export async function startTandemCluster(config: TandemConfig): Promise<RunningCluster> {
  const account = await prepareStore(config);
  const log = createLogger(config, { bindings: { role: 'primary' } });
  const clusterMetrics = new ClusterMetrics();
  const servers = new Map<number, Worker>();
  const crashes = new Map<number, number>();
  let closing = false;
  let finish!: (code: number) => void;
  const stopped = new Promise<number>((resolve) => (finish = resolve));

  const fork = (index: number): Promise<string> => {
    const startedAt = Date.now();
    const server = cluster.fork({ [INDEX_VARIABLE]: String(index) });
    servers.set(index, server);
    clusterMetrics.answer(server);
    return new Promise<string>((resolve, reject) => {
      let ready = false;
      server.on('message', (message: ToPrimary) => {
        if (message.type === 'tandem-ready') {
          ready = true;
          resolve(message.url);
        } else if (message.type === 'tandem-failed') {
          // The code (EADDRINUSE…) lets `tandem serve` word the failure as it does for one process.
          reject(Object.assign(new Error(message.error), message.code ? { code: message.code } : {}));
        }
      });
      server.on('exit', (code, signal) => {
        servers.delete(index);
        if (!ready) reject(new Error(`server process ${index} exited (${signal ?? code}) before it listened`));
        if (closing) {
          if (servers.size === 0) finish(0);
          return;
        }
        if (!ready) return;
        const quick = Date.now() - startedAt < CRASH_WINDOW_MS;
        const count = quick ? (crashes.get(index) ?? 0) + 1 : 1;
        crashes.set(index, count);
        if (quick && count >= CRASH_LIMIT) {
          log.fatal({ index, code, signal }, `server process ${index} keeps exiting within ${CRASH_WINDOW_MS / 1000} s of starting; stopping Tandem`);
          void stopAll().then(() => finish(1));
          return;
        }
        log.error({ index, code, signal }, `server process ${index} exited; starting it again`);
        fork(index).then(
          () => log.info({ index }, `server process ${index} is serving again`),
          (error: unknown) => {
            log.fatal({ index, err: error }, `server process ${index} could not start again; stopping Tandem`);
            void stopAll().then(() => finish(1));
          },
        );
      });
    });
  };

  const stopAll = async (): Promise<void> => {
    closing = true;
    const exits = [...servers.values()].map((server) => new Promise<void>((resolve) => server.once('exit', () => resolve())));
    for (const server of servers.values()) askToStop(server);
    const timer = setTimeout(() => {
      for (const server of servers.values()) server.process.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    await Promise.all(exits);
    clearTimeout(timer);
  };

  let urls: string[];
  try {
    urls = await Promise.all(Array.from({ length: config.processes }, (_, index) => fork(index)));
  } catch (error) {
    await stopAll();
    throw error;
  }
  // One metrics listener for the whole Tandem, in the primary, answering with every process's sum.
  let metricsListener: MetricsListener | undefined;
  if (config.metricsListen) {
    try {
      metricsListener = await startMetricsListener(config.metricsListen, () => clusterMetrics.scrape(), (error) =>
        log.warn({ err: error }, 'metrics scrape failed'),
      );
    } catch (error) {
      await stopAll();
      throw error;
    }
  }
  let closed: Promise<void> | undefined;
  return {
    url: urls[0]!,
    metricsUrl: metricsListener?.url,
    account,
    pids: () => [...servers.values()].flatMap((server) => (server.process.pid === undefined ? [] : [server.process.pid])),
    close: () =>
      (closed ??= stopAll().then(async () => {
        await metricsListener?.close();
        finish(0);
      })),
    stopped,
  };
}

/**
 * Asks one server process to stop. A process that already exited (it failed to listen, or
 * crashed) may still look connected until its exit is processed; sending to it then fails with
 * EPIPE, which without a callback is an unhandled 'error' event that killed the primary. The
 * callback takes that failure and falls back to a signal, which is harmless for a gone process.
 */
export function askToStop(server: Worker): void {
  if (!server.isConnected()) {
    server.process.kill('SIGTERM');
    return;
  }
  server.send({ type: 'tandem-stop' } satisfies ToServer, undefined, (error: Error | null) => {
    if (error) server.process.kill('SIGTERM');
  });
}

/** Server-process side: serve the prepared store until the primary (or a signal) says stop. */
export async function runClusterServerProcess(config: TandemConfig): Promise<void> {
  const index = Number(process.env[INDEX_VARIABLE]);
  let serving: ServingTandem | undefined;
  let stopRequested = false;
  let closing = false;
  const stop = () => {
    stopRequested = true;
    // A stop that arrives while the process is still starting takes effect once it listens.
    if (!serving || closing) return;
    closing = true;
    serving.close().then(
      () => process.exit(0),
      (error: unknown) => {
        serving!.resources.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('message', (message: ToServer) => {
    if (message.type === 'tandem-stop') stop();
  });
  // Ctrl-C in a terminal signals the whole process group, primary and servers alike.
  let interrupts = 0;
  process.on('SIGINT', () => (++interrupts > 1 ? process.exit(130) : stop()));
  process.on('SIGTERM', stop);
  // The primary is gone: nobody would restart or stop this process.
  process.on('disconnect', stop);

  try {
    const resources = await openResources(config);
    if (resources.metrics) joinClusterMetrics(resources.metrics);
    serving = await serveTandem(resources, { engine: index === 0 ? true : [deliverEventsTask], metricsListener: false });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    process.send?.({
      type: 'tandem-failed',
      error: error instanceof Error ? error.message : String(error),
      ...(typeof code === 'string' ? { code } : {}),
    } satisfies ToPrimary);
    process.exit(1);
  }
  if (stopRequested) return stop();
  process.send?.({ type: 'tandem-ready', url: serving.url } satisfies ToPrimary);
}

async function prepareStore(config: TandemConfig): Promise<DefaultAccount> {
  const resources = await openResources(config);
  try {
    return await ensureDefaultAccount(resources);
  } finally {
    await resources.store.close();
  }
}
