/**
 * Child-process entry: a Tandem server started exactly as `tandem serve` would run it, on the
 * data directory / database the parent prepared: `startTandem` for one process, or, with
 * `processes` above 1, `startTandemCluster` (this child is then the primary, and node:cluster
 * re-runs this file for each server process). Options arrive as JSON in `BENCH_TANDEM_OPTIONS`
 * (see `TandemServerOptions` in servers.ts). Logging is off (`silent`), the demo is not seeded,
 * and the root key is the one the parent signs with.
 */
import { isClusterServerProcess, runClusterServerProcess, startTandemCluster } from '../../src/cluster.js';
import { loadConfig, type TandemConfig } from '../../src/config.js';
import { startTandem } from '../../src/main.js';
import { announceReady, failStartup, onStopRequested } from './child-server.js';
import type { TandemServerOptions } from './servers.js';

try {
  const options = JSON.parse(process.env.BENCH_TANDEM_OPTIONS ?? '') as TandemServerOptions;
  const config: TandemConfig = {
    ...loadConfig({}, {}, options.dataDir),
    host: '127.0.0.1',
    port: 0,
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    region: options.credentials.region,
    accountId: options.credentials.accountId,
    accessKeyId: options.credentials.accessKeyId,
    secretAccessKey: options.credentials.secretAccessKey,
    logLevel: 'silent',
    seedDemo: false,
    processes: options.processes ?? 1,
  };
  const dialect = options.databaseUrl ? 'postgres' : 'sqlite';
  if (isClusterServerProcess()) {
    await runClusterServerProcess(config);
  } else if (config.processes > 1) {
    const cluster = await startTandemCluster(config);
    onStopRequested(() => cluster.close());
    announceReady(cluster.url, { dialect, serverPids: cluster.pids() });
  } else {
    const tandem = await startTandem(config);
    onStopRequested(() => tandem.close());
    announceReady(tandem.url, { dialect });
  }
} catch (error) {
  failStartup(error);
}
