import type { FastifyInstance } from 'fastify';
import { buildServer } from './api/server.js';
import { ensureDefaultAccount, openResources, type DefaultAccount } from './bootstrap.js';
import type { TandemConfig } from './config.js';
import { startEngine, type Engine } from './engine/engine.js';
import { ENGINE_TASKS } from './engine/tasks.js';
import type { Resources } from './resources.js';

export interface RunningTandem {
  resources: Resources;
  server: FastifyInstance;
  engine: Engine;
  account: DefaultAccount;
  /** `http://host:port` actually listened on (port 0 resolves to the chosen port). */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts Tandem: configuration → store → default account → HTTP server → background engine.
 * `close` stops accepting requests, lets in-flight ones finish, stops the engine, then closes
 * the store.
 */
export async function startTandem(config: TandemConfig): Promise<RunningTandem> {
  const resources = await openResources(config);
  try {
    const account = await ensureDefaultAccount(resources);
    const server = await buildServer(resources);
    await server.listen({ host: config.host, port: config.port });
    const address = server.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
    if (config.port === 0) resources.config = { ...config, publicUrl: url };
    const engine = startEngine(resources, ENGINE_TASKS);
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await server.close();
        await engine.stop();
        await resources.store.close();
      })());
    return { resources, server, engine, account, url, close };
  } catch (error) {
    await resources.store.close();
    throw error;
  }
}
