/**
 * `tandem serve --processes 2`, run as a user runs it (a child process through
 * test/cli/run-cli.ts), on a store of each dialect: one banner, the demo seeded once, both server
 * processes answering the real SDK on one port, a killed server process replaced, and Ctrl-C
 * (SIGINT) stopping everything cleanly.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListWorkteamsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ListHumanLoopsCommand, SageMakerA2IRuntimeClient, StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { cliArgs } from '../support/cli.js';
import { createTestDatabase, DIALECTS, dialectSkip, type TestDatabase } from '../support/databases.js';

const ACCOUNT_ID = '444455556666';
const CREDENTIALS = { accessKeyId: 'TNDMPROCESSESKEY0001', secretAccessKey: 'processes-test-secret-0123456789abcdef' };
const REGION = 'us-east-1';

interface Served {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

async function serve(database: TestDatabase): Promise<Served> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TANDEM_')) env[name] = value;
  Object.assign(env, {
    TANDEM_DATA_DIR: database.dataDir,
    TANDEM_PORT: '0',
    TANDEM_PROCESSES: '2',
    TANDEM_ACCOUNT_ID: ACCOUNT_ID,
    TANDEM_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    TANDEM_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    TANDEM_LOG_LEVEL: 'info',
    ...(database.databaseUrl ? { TANDEM_DATABASE_URL: database.databaseUrl } : {}),
  });
  const child = spawn(process.execPath, await cliArgs('serve'), { cwd: database.dataDir, env });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!/Press Ctrl-C to stop/.test(output)) {
    if (child.exitCode !== null) throw new Error(`tandem serve exited ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`no banner within 60 s:\n${output}`);
    await sleep(50);
  }
  const url = /Tandem is listening on (\S+)/.exec(output)![1]!;
  return { child, url, output: () => output, exited };
}

/** Pids of the processes whose parent is `pid` (Linux /proc). */
function childPids(pid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids.sort();
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

for (const dialect of DIALECTS) {
  describe(`tandem serve --processes 2 on ${dialect}`, { skip: dialectSkip(dialect) }, () => {
    let database: TestDatabase;
    let served: Served;
    let a2i: SageMakerA2IRuntimeClient;
    let sagemaker: SageMakerClient;
    const flowArn = `arn:aws:sagemaker:${REGION}:${ACCOUNT_ID}:flow-definition/demo-flow`;

    before(async () => {
      database = await createTestDatabase(dialect);
      served = await serve(database);
      const common = { endpoint: served.url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
      a2i = new SageMakerA2IRuntimeClient(common);
      sagemaker = new SageMakerClient(common);
    });
    after(async () => {
      if (served.child.exitCode === null) served.child.kill('SIGKILL');
      await database.drop();
    });

    test('one banner; the demo is seeded once; two server processes under the primary', async () => {
      assert.equal(served.output().match(/Tandem is listening on/g)?.length, 1);
      assert.match(served.output(), /Processes {10}2 server processes on one port/);
      const teams = await sagemaker.send(new ListWorkteamsCommand({}));
      assert.deepEqual(teams.Workteams?.map((team) => team.WorkteamName), ['demo']);
      assert.equal(childPids(served.child.pid!).length, 2);
    });

    test('loops started concurrently through both processes are all stored, and pages follow across processes', async () => {
      const names = Array.from({ length: 60 }, (_, i) => `spread-${i}`);
      const started = await Promise.all(
        names.map((name) =>
          a2i.send(new StartHumanLoopCommand({ HumanLoopName: name, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: '{"n":1}' } })),
        ),
      );
      assert.equal(new Set(started.map((s) => s.HumanLoopArn)).size, 60);
      const listed: string[] = [];
      let token: string | undefined;
      do {
        const page = await a2i.send(new ListHumanLoopsCommand({ FlowDefinitionArn: flowArn, MaxResults: 7, NextToken: token }));
        listed.push(...(page.HumanLoopSummaries ?? []).map((s) => s.HumanLoopName!));
        token = page.NextToken;
      } while (token);
      assert.deepEqual(listed.sort(), [...names].sort());
    });

    test('a server process that dies is replaced, and the port keeps answering', async () => {
      const [victim] = childPids(served.child.pid!);
      process.kill(victim!, 'SIGKILL');
      await waitFor('the replacement to serve', () => (/server process \d is serving again/.test(served.output()) ? true : undefined));
      const replaced = childPids(served.child.pid!);
      assert.equal(replaced.length, 2);
      assert.ok(!replaced.includes(victim!));
      // Enough requests that both processes (the replacement included) serve some.
      const started = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          a2i.send(new StartHumanLoopCommand({ HumanLoopName: `after-${i}`, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: '{}' } })),
        ),
      );
      assert.equal(started.length, 20);
      assert.match(served.output(), /server process \d exited; starting it again/);
    });

    test('SIGINT stops every process cleanly', async () => {
      const servers = childPids(served.child.pid!);
      served.child.kill('SIGINT');
      assert.equal(await served.exited, 0);
      assert.match(served.output(), /Tandem stopped cleanly\./);
      for (const pid of servers) assert.throws(() => process.kill(pid, 0), /ESRCH/, `server process ${pid} is gone`);
    });
  });
}
