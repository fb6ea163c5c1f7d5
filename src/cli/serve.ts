import { isClusterServerProcess, runClusterServerProcess, startTandemCluster, type RunningCluster } from '../cluster.js';
import { startTandem, type RunningTandem } from '../main.js';
import { startBanner } from './banner.js';
import type { TandemConfig } from '../config.js';
import { configFrom } from './main.js';

export async function runServe(options: Record<string, unknown>): Promise<void> {
  const config = configFrom(options);
  // A forked server process of a multi-process Tandem re-runs this command (cluster.ts).
  if (isClusterServerProcess()) return runClusterServerProcess(config);

  let running: RunningTandem | RunningCluster;
  try {
    running = config.processes > 1 ? await startTandemCluster(config) : await startTandem(config);
  } catch (error) {
    const line = listenFailure(error, config);
    if (!line) throw error;
    process.stderr.write(`${line}\n`);
    process.exit(1);
  }
  // For a person, on standard error: standard output carries the log stream only (JSON lines
  // for a collector, or pretty lines), so the two never mix in a pipe or a log file.
  process.stderr.write(startBanner(running.url, config.region, running.account, config.processes, running.metricsUrl));
  if ('stopped' in running) {
    void running.stopped.then((code) => {
      if (code !== 0) process.exit(code);
    });
  }

  let signals = 0;
  const shutdown = (signal: string) => {
    signals += 1;
    if (signals > 1) {
      process.stderr.write('Forced exit.\n');
      process.exit(130);
    }
    process.stderr.write(`\n${signal} received: finishing in-flight requests (Ctrl-C again to force)…\n`);
    running.close().then(
      () => {
        process.stderr.write('Tandem stopped cleanly.\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** One line for the listen failures a user fixes in the configuration; undefined for anything else. */
function listenFailure(error: unknown, config: TandemConfig): string | undefined {
  const where = `Cannot listen on ${config.host}:${config.port}`;
  switch ((error as { code?: unknown }).code) {
    case 'EADDRINUSE':
      return `${where}: the port is in use. Choose another with TANDEM_PORT (--port).`;
    case 'EACCES':
      return `${where}: permission denied (ports below 1024 need privileges). Choose another with TANDEM_PORT (--port).`;
    case 'EADDRNOTAVAIL':
      return `${where}: no interface of this machine has that address. Check TANDEM_HOST (--host).`;
    default:
      return undefined;
  }
}
