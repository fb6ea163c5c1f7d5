import { startTandem } from '../main.js';
import { startBanner } from './banner.js';
import { configFrom } from './main.js';

export async function runServe(options: Record<string, unknown>): Promise<void> {
  const config = configFrom(options);
  const tandem = await startTandem(config);
  process.stdout.write(startBanner(tandem.url, config.region, tandem.account));

  let signals = 0;
  const shutdown = (signal: string) => {
    signals += 1;
    if (signals > 1) {
      process.stderr.write('Forced exit.\n');
      process.exit(130);
    }
    process.stdout.write(`\n${signal} received: finishing in-flight requests (Ctrl-C again to force)…\n`);
    tandem.close().then(
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
