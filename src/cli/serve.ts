import { isClusterServerProcess, runClusterServerProcess, startTandemCluster } from '../cluster.js';
import { startTandem } from '../main.js';
import { startBanner } from './banner.js';
import { configFrom } from './main.js';

export async function runServe(options: Record<string, unknown>): Promise<void> {
  const config = configFrom(options);
  // A forked server process of a multi-process Tandem re-runs this command (cluster.ts).
  if (isClusterServerProcess()) return runClusterServerProcess(config);

  const running = config.processes > 1 ? await startTandemCluster(config) : await startTandem(config);
  process.stdout.write(startBanner(running.url, config.region, running.account, config.processes));
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
    process.stdout.write(`\n${signal} received: finishing in-flight requests (Ctrl-C again to force)…\n`);
    running.close().then(
      () => {
        process.stdout.write('Tandem stopped cleanly.\n');
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
