/**
 * The README's webhook receivers ("Receiving events"), run as a reader runs them, against real
 * deliveries from a listening Tandem: each verifies the signature of what Tandem sends, prints
 * the event, and refuses a request signed with another secret.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { StartHumanLoopCommand, StopHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { addWebhook, removeWebhook } from '../../src/operations/webhooks.js';
import { existsSync } from 'node:fs';
import { SYSTEM_PYTHON } from '../support/environment.js';
import { createReviewSetup } from '../support/fixtures.js';
import { startTestTandem, type TestTandem } from '../support/tandem.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const SECRET = 'readme-receiver-secret-0123456789';

/** The README's fenced blocks of one language inside the "Receiving events" section. */
async function receiverSnippet(language: string): Promise<string> {
  const text = await readFile(join(ROOT, 'README.md'), 'utf8');
  const start = text.indexOf('## Receiving events');
  const section = text.slice(start, text.indexOf('\n## ', start + 1));
  const block = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(section)?.[1];
  assert.ok(block, `README "Receiving events" has a ${language} block`);
  return block;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function signed(body: string, secret: string): Record<string, string> {
  const t = Math.floor(Date.now() / 1000);
  return { 'content-type': 'application/json', 'tandem-signature': `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}` };
}

describe('README webhook receivers verify real deliveries', () => {
  let tandem: TestTandem;
  let flowArn: string;
  before(async () => {
    tandem = await startTestTandem('sqlite', { webhookAllowPrivateTargets: true });
    flowArn = (await createReviewSetup(tandem, 'readme')).FlowDefinitionArn;
  });
  after(async () => tandem?.stop());

  async function exercise(name: string, command: string, args: string[], port: number): Promise<void> {
    const child: ChildProcess = spawn(command, args, { cwd: ROOT, env: { ...process.env, TANDEM_WEBHOOK_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = `http://127.0.0.1:${port}/`;
    try {
      // A request signed with another secret is refused (and tells us the receiver is up).
      const forged = JSON.stringify({ id: 'x', detail: {} });
      const deadline = Date.now() + 30_000;
      let status = 0;
      while (status === 0) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`receiver did not start:\n${output}`);
        status = await fetch(url, { method: 'POST', headers: signed(forged, 'some-other-secret-000000'), body: forged }).then((r) => r.status, () => 0);
        if (status === 0) await sleep(100);
      }
      assert.equal(status, 401);

      const { webhook } = await addWebhook(tandem.resources, { accountId: tandem.accountId }, { url, secret: SECRET });
      await tandem.a2i.send(new StartHumanLoopCommand({ HumanLoopName: name, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: '{"text":"x"}' } }));
      await tandem.a2i.send(new StopHumanLoopCommand({ HumanLoopName: name }));
      const until = Date.now() + 30_000;
      while (!output.includes(`${name} Stopped`)) {
        if (Date.now() > until) throw new Error(`no Stopped event printed:\n${output}`);
        await sleep(100);
      }
      assert.match(output, new RegExp(`^[0-9a-f-]{36} ${name} InProgress$`, 'm'));
      assert.match(output, new RegExp(`^[0-9a-f-]{36} ${name} Stopped$`, 'm'));
      await removeWebhook(tandem.resources, { accountId: tandem.accountId }, webhook.webhookId);
    } finally {
      child.kill();
    }
  }

  test('the TypeScript receiver (node:http)', async () => {
    const port = await freePort();
    const dir = join(ROOT, '.tmp');
    await mkdir(dir, { recursive: true });
    const file = join(dir, `readme-receiver-${process.pid}.mts`);
    await writeFile(file, (await receiverSnippet('ts')).replace('listen(9000)', `listen(${port}, '127.0.0.1')`));
    try {
      await exercise('readme-ts', process.execPath, ['--import', 'tsx', file], port);
    } finally {
      await rm(file, { force: true });
    }
  });

  test('the Python receiver (http.server + hmac)', { skip: existsSync(SYSTEM_PYTHON) ? false : `${SYSTEM_PYTHON} is missing` }, async () => {
    const port = await freePort();
    const snippet = (await receiverSnippet('python')).replace('("127.0.0.1", 9000)', `("127.0.0.1", ${port})`);
    await exercise('readme-py', SYSTEM_PYTHON, ['-c', snippet], port);
  });
});
