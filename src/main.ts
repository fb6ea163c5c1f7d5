import type { FastifyInstance } from 'fastify';
import { buildServer } from './api/server.js';
import { ensureDefaultAccount, openResources, type DefaultAccount } from './bootstrap.js';
import type { TandemConfig } from './config.js';
import { startEngine, type Engine, type EngineTask } from './engine/engine.js';
import { ENGINE_TASKS } from './engine/tasks.js';
import type { Resources } from './resources.js';
import { putSetting } from './store/accounts.js';
import { startMetricsListener, type MetricsListener } from './observability/metrics-listener.js';
import { scrapeMetrics } from './observability/scrape.js';

/** One serving process: its HTTP server and, where this process runs it, the background engine. */
export interface ServingTandem {
  resources: Resources;
  server: FastifyInstance;
  engine: Engine | undefined;
  /** `http://host:port` actually listened on (port 0 resolves to the chosen port). */
  url: string;
  /** The metrics listener's `http://host:port`, when this process runs it (TANDEM_METRICS_LISTEN). */
  metricsUrl?: string | undefined;
  /** Stops accepting requests, lets in-flight ones finish, stops the engine, closes the store. */
  close(): Promise<void>;
}

export interface RunningTandem extends ServingTandem {
  engine: Engine;
  account: DefaultAccount;
}

/**
 * Starts Tandem in this process: configuration → store → default account → HTTP server →
 * background engine.
 */
export async function startTandem(config: TandemConfig): Promise<RunningTandem> {
  const resources = await openResources(config);
  let account: DefaultAccount;
  try {
    account = await ensureDefaultAccount(resources);
  } catch (error) {
    await resources.store.close();
    throw error;
  }
  const serving = await serveTandem(resources, { engine: true });
  return { ...serving, engine: serving.engine!, account };
}

/**
 * Serves an already prepared store (migrated, default account in place): what each process of
 * a multi-process Tandem runs (cluster.ts). `engine`: every background task (true), none
 * (false), or the given ones (the other processes of a cluster deliver events only).
 */
export async function serveTandem(
  resources: Resources,
  options: { engine: boolean | EngineTask[]; metricsListener?: boolean },
): Promise<ServingTandem> {
  const { config } = resources;
  let metrics: MetricsListener | undefined;
  try {
    const server = await buildServer(resources);
    await server.listen({ host: config.host, port: config.port });
    const address = server.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
    if (config.port === 0) resources.config = { ...config, publicUrl: url };
    // Links the CLI prints (invites) must reach this server, not the shell's idea of it.
    await putSetting(resources.store.db, 'public_url', resources.config.publicUrl);
    // In a multi-process Tandem the primary serves the aggregated metrics instead (cluster.ts).
    if (config.metricsListen && (options.metricsListener ?? true)) {
      metrics = await startMetricsListener(config.metricsListen, () => scrapeMetrics(resources), (error) =>
        resources.logger.warn({ err: error }, 'metrics scrape failed'),
      );
    }
    const tasks = options.engine === true ? ENGINE_TASKS : options.engine === false ? [] : options.engine;
    const engine = tasks.length > 0 ? startEngine(resources, tasks) : undefined;
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await server.close();
        await metrics?.close();
        await engine?.stop();
        await resources.store.close();
      })());
    return { resources, server, engine, url, metricsUrl: metrics?.url, close };
  } catch (error) {
    await metrics?.close();
    await resources.store.close();
    throw error;
  }
}
