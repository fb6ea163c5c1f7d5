import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliArgs } from '../support/cli.js';
import type { TestDatabase } from '../support/databases.js';

export const ACCOUNT_ID = '777788889999';
export const CREDENTIALS = { accessKeyId: 'TNDMOBSERVEKEY000001', secretAccessKey: 'observe-test-secret-0123456789abcdef' };

/** `tandem serve` as a user runs it, its standard output and standard error kept apart. */
export interface Served {
  child: ChildProcess;
  url: string;
  metricsUrl: string | undefined;
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

export async function serve(database: TestDatabase, extraEnv: Record<string, string>): Promise<Served> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TANDEM_')) env[name] = value;
  Object.assign(env, {
    TANDEM_DATA_DIR: database.dataDir,
    TANDEM_PORT: '0',
    TANDEM_ACCOUNT_ID: ACCOUNT_ID,
    TANDEM_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    TANDEM_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    TANDEM_SEED_DEMO: 'false',
    ...(database.databaseUrl ? { TANDEM_DATABASE_URL: database.databaseUrl } : {}),
    ...extraEnv,
  });
  const child = spawn(process.execPath, await cliArgs('serve'), { cwd: database.dataDir, env });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!/Press Ctrl-C to stop/.test(stderr)) {
    if (child.exitCode !== null) throw new Error(`tandem serve exited ${child.exitCode}:\n${stderr}\n${stdout}`);
    if (Date.now() > deadline) throw new Error(`no banner within 60 s:\n${stderr}\n${stdout}`);
    await sleep(50);
  }
  return {
    child,
    url: /Tandem is listening on (\S+)/.exec(stderr)![1]!,
    metricsUrl: /Metrics\s+(\S+)\/metrics/.exec(stderr)?.[1],
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Waits until `probe` returns a value. */
export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
