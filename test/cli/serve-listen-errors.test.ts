/**
 * `tandem serve` on a port another program holds: one line naming the setting to change and
 * exit code 1, with one server process and with several, instead of a stack trace.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliArgs } from '../support/cli.js';

interface Exit {
  code: number | null;
  stderr: string;
}

async function serve(dataDir: string, env: Record<string, string>): Promise<Exit> {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TANDEM_')) clean[name] = value;
  const child = spawn(process.execPath, await cliArgs('serve'), {
    cwd: dataDir,
    env: { ...clean, TANDEM_DATA_DIR: dataDir, TANDEM_LOG_LEVEL: 'silent', ...env },
    timeout: 60_000,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  return { code, stderr };
}

describe('tandem serve on a port in use', () => {
  let holder: Server;
  let port: number;
  let dataDir: string;

  before(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as { port: number }).port;
    dataDir = await mkdtemp(join(tmpdir(), 'tandem-listen-'));
  });
  after(async () => {
    await new Promise<void>((resolve) => holder.close(() => resolve()));
    await rm(dataDir, { recursive: true, force: true });
  });

  for (const processes of ['1', '2']) {
    test(`with ${processes} server process(es): one line naming TANDEM_PORT, exit code 1`, async () => {
      const { code, stderr } = await serve(dataDir, { TANDEM_PORT: String(port), TANDEM_PROCESSES: processes });
      assert.equal(code, 1);
      assert.equal(stderr.trim(), `Cannot listen on 127.0.0.1:${port}: the port is in use. Choose another with TANDEM_PORT (--port).`);
    });
  }
});
