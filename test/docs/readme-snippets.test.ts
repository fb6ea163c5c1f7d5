/**
 * The README's quick start, run as a reader runs it: `tandem serve` started the way `npm start`
 * starts it (a fresh folder, no TANDEM_* settings, so it creates `data/`, a key and the demo and
 * prints the banner), then every quick-start snippet pasted with the key the banner printed: the
 * JavaScript block as a plain `.mjs` file on this Node, the boto3 block under /usr/bin/python3, and
 * the AWS CLI line in a shell with no AWS configuration. The banner's own snippets run too.
 *
 * The snippets are read from README.md and the banner, so they cannot drift from what is tested.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { cliArgs } from '../support/cli.js';
import { skipReason, SYSTEM_PYTHON } from '../support/environment.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const README_ENDPOINT = 'http://127.0.0.1:8080';

/** The fenced blocks of one language in the README section that starts with `heading`. */
async function sectionBlocks(heading: string, language: string): Promise<string[]> {
  const text = await readFile(join(ROOT, 'README.md'), 'utf8');
  const start = text.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `README has a section "${heading}"`);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

/** Where `aws` is on PATH, if anywhere. */
function awsCli(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'aws'))) return join(dir, 'aws');
  }
  return undefined;
}

/**
 * The environment of a machine with no AWS configuration: no AWS_* variables, and the config and
 * credentials files pointed at a path that does not exist (HOME stays, since tools such as
 * pyenv's `aws` shim find themselves through it).
 */
function cleanAwsEnvironment(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_') && !name.startsWith('TANDEM_')) env[name] = value;
  env.AWS_CONFIG_FILE = join(dir, 'no-aws-config');
  env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'no-aws-credentials');
  env.AWS_EC2_METADATA_DISABLED = 'true';
  return env;
}

interface Banner {
  text: string;
  url: string;
  region: string;
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
}

function parseBanner(text: string): Banner {
  const field = (label: string) => {
    const value = new RegExp(`^  ${label}\\s+(\\S+)`, 'm').exec(text)?.[1];
    assert.ok(value, `the banner shows "${label}":\n${text}`);
    return value;
  };
  return {
    text,
    url: field('Endpoint'),
    region: field('Region'),
    accountId: field('Account id'),
    accessKeyId: field('Access key id'),
    secretAccessKey: field('Secret access key'),
  };
}

/** The lines under a banner heading, up to the next blank line after the first one. */
function bannerSnippet(banner: Banner, heading: string): string {
  const at = banner.text.indexOf(`\n${heading}\n\n`);
  assert.ok(at >= 0, `the banner has a "${heading}" snippet:\n${banner.text}`);
  const start = at + heading.length + 3;
  const end = banner.text.indexOf('\n\n', start);
  return banner.text.slice(start, end);
}

// The snippets use their own loop names and only read what the others write, so they run side by side.
describe('README quick start, pasted after a first start', { concurrency: true }, () => {
  let folder: string;
  let server: ChildProcess;
  let exited: Promise<void>;
  let banner: Banner;

  /** A snippet with the README's endpoint and key placeholders replaced by what the banner printed. */
  function fillIn(snippet: string): string {
    return snippet
      .replaceAll(README_ENDPOINT, banner.url)
      .replaceAll("'TNDM…'", `'${banner.accessKeyId}'`)
      .replaceAll('"TNDM…"', `"${banner.accessKeyId}"`)
      .replaceAll("'…'", `'${banner.secretAccessKey}'`)
      .replaceAll('"…"', `"${banner.secretAccessKey}"`);
  }

  /** Runs a JavaScript snippet as the file `quickstart.mjs` that the README tells readers to save. */
  async function runModule(code: string): Promise<string> {
    // Inside the checkout, so the snippet's imports resolve as they do for a reader in the Tandem folder.
    await mkdir(join(ROOT, '.tmp'), { recursive: true });
    const dir = await mkdtemp(join(ROOT, '.tmp', 'readme-'));
    const file = join(dir, 'quickstart.mjs');
    await writeFile(file, code);
    try {
      const { stdout } = await run(process.execPath, [file], { cwd: folder, env: cleanAwsEnvironment(folder) });
      return stdout;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tandem-readme-'));
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TANDEM_')) env[name] = value;
    // The one difference from `npm start`: any free port instead of 8080.
    env.TANDEM_PORT = '0';
    server = spawn(process.execPath, await cliArgs('serve'), { cwd: folder, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    server.stdout!.resume();
    server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    exited = new Promise((resolve) => server.on('exit', () => resolve()));
    const deadline = Date.now() + 60_000;
    while (!stderr.includes('Press Ctrl-C to stop.')) {
      if (server.exitCode !== null) throw new Error(`tandem serve exited ${server.exitCode}:\n${stderr}`);
      if (Date.now() > deadline) throw new Error(`no banner within 60 s:\n${stderr}`);
      await sleep(50);
    }
    banner = parseBanner(stderr);
  });

  after(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await exited;
    }
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  test('the first start wrote data/credentials with profile tandem and the printed key', async () => {
    const text = await readFile(join(folder, 'data', 'credentials'), 'utf8');
    assert.match(text, /^\[tandem\]$/m);
    assert.match(text, new RegExp(`^aws_access_key_id = ${banner.accessKeyId}$`, 'm'));
    assert.match(text, new RegExp(`^aws_secret_access_key = ${banner.secretAccessKey}$`, 'm'));
    assert.match(banner.text, /Credentials file\s+\S*data\/credentials \(profile "tandem"\)/);
  });

  test('the JavaScript block is plain JavaScript: node runs it as quickstart.mjs and it starts a loop', async () => {
    const blocks = await sectionBlocks('Quick start with the AWS SDK for JavaScript v3', 'js');
    assert.equal(blocks.length, 1, 'one js block');
    const stdout = await runModule(fillIn(blocks[0]!));
    assert.match(stdout, /HumanLoopStatus: 'InProgress'/);
    assert.match(stdout, new RegExp(`HumanLoopArn: 'arn:aws:sagemaker:${banner.region}:${banner.accountId}:human-loop/review-1'`));
    assert.match(stdout, /FlowDefinitionArn: '[^']*:flow-definition\/demo-flow'/);
  });

  test('the boto3 block starts a loop and prints its status', { skip: skipReason('boto3') }, async () => {
    const blocks = await sectionBlocks('Quick start with boto3', 'python');
    assert.equal(blocks.length, 1, 'one python block');
    const { stdout } = await run(SYSTEM_PYTHON, ['-c', fillIn(blocks[0]!)], { cwd: folder, env: cleanAwsEnvironment(folder) });
    assert.equal(stdout.trim(), 'InProgress');
  });

  test('the AWS CLI line works as written in the folder of the first start, with no AWS configuration', async () => {
    const blocks = await sectionBlocks('Quick start with boto3', 'sh');
    const line = blocks.map((block) => block.trim()).find((block) => /\baws\b/.test(block));
    assert.ok(line, 'the quick start has an aws command');
    assert.ok(!line.includes('\n'), 'one line');
    const aws = awsCli();
    if (aws) {
      const { stdout } = await run('bash', ['-c', line.replaceAll(README_ENDPOINT, banner.url)], { cwd: folder, env: cleanAwsEnvironment(folder) });
      const listed = JSON.parse(stdout) as { FlowDefinitionSummaries: { FlowDefinitionName: string }[] };
      assert.deepEqual(
        listed.FlowDefinitionSummaries.map((summary) => summary.FlowDefinitionName),
        ['demo-flow'],
      );
      return;
    }
    // No AWS CLI here: its settings are resolved the way the CLI resolves them (botocore), and the
    // request it would send is sent with them.
    const match = /^AWS_SHARED_CREDENTIALS_FILE=(\S+) aws --profile (\S+) --region (\S+) --endpoint-url (\S+) sagemaker list-flow-definitions$/.exec(line);
    assert.ok(match, `the line has the expected shape: ${line}`);
    const [, credentialsFile, profile, region, endpoint] = match;
    assert.equal(endpoint, README_ENDPOINT);
    assert.ok(existsSync(join(folder, credentialsFile!)), `${credentialsFile} is where the first start wrote it`);
    assert.match(readFileSync(join(folder, credentialsFile!), 'utf8'), new RegExp(`^\\[${profile}\\]$`, 'm'));
    assert.equal(region, banner.region);
    if (skipReason('boto3')) return;
    const program = [
      'import botocore.session, sys',
      'session = botocore.session.Session(profile=sys.argv[1])',
      'client = session.create_client("sagemaker", region_name=sys.argv[2], endpoint_url=sys.argv[3])',
      'print(" ".join(s["FlowDefinitionName"] for s in client.list_flow_definitions()["FlowDefinitionSummaries"]))',
    ].join('\n');
    const env = { ...cleanAwsEnvironment(folder), AWS_SHARED_CREDENTIALS_FILE: credentialsFile! };
    const { stdout } = await run(SYSTEM_PYTHON, ['-c', program, profile!, region!, banner.url], { cwd: folder, env });
    assert.equal(stdout.trim(), 'demo-flow');
  });

  test("the banner's boto3 snippet runs as pasted and lists the demo flow", { skip: skipReason('boto3') }, async () => {
    const snippet = bannerSnippet(banner, 'boto3 (Python):');
    const { stdout } = await run(SYSTEM_PYTHON, ['-c', snippet], { cwd: folder, env: cleanAwsEnvironment(folder) });
    assert.match(stdout, /'FlowDefinitionName': 'demo-flow'/);
  });

  test("the banner's JavaScript snippet runs as pasted", async () => {
    const snippet = bannerSnippet(banner, 'AWS SDK for JavaScript v3:');
    // The snippet makes the client; the line after it is what a reader adds to use it.
    const flowArn = `arn:aws:sagemaker:${banner.region}:${banner.accountId}:flow-definition/demo-flow`;
    const use = `\nconsole.log((await a2i.send(new ListHumanLoopsCommand({ FlowDefinitionArn: '${flowArn}' }))).HumanLoopSummaries.length);\n`;
    const stdout = await runModule(snippet + use);
    assert.match(stdout.trim(), /^\d+$/);
  });

  test("the banner's AWS CLI command runs as pasted", async () => {
    const snippet = bannerSnippet(banner, 'AWS CLI:');
    assert.match(snippet, new RegExp(`--endpoint-url ${banner.url} --region ${banner.region} sagemaker list-flow-definitions`));
    if (!awsCli()) {
      // Without the CLI, the key it passes is checked to be the one that works.
      assert.ok(snippet.includes(`AWS_ACCESS_KEY_ID=${banner.accessKeyId} AWS_SECRET_ACCESS_KEY=${banner.secretAccessKey} `));
      return;
    }
    const { stdout } = await run('bash', ['-c', snippet], { cwd: folder, env: cleanAwsEnvironment(folder) });
    assert.match(stdout, /"FlowDefinitionName": "demo-flow"/);
  });
});
