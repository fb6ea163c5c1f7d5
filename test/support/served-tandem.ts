/** Real `tandem serve` processes for event delivery tests (test/events/delivery-*.test.ts). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateFlowDefinitionCommand, CreateHumanTaskUiCommand, CreateWorkteamCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerA2IRuntimeClient, StartHumanLoopCommand, StopHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import type { EventEnvelope } from '../../src/domain/events.js';
import { cliArgs } from './cli.js';
import { after, before } from 'node:test';
import { createTestDatabase, type TestDatabase, type TestDialect } from './databases.js';
import { SIMPLE_TEMPLATE } from './fixtures.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

export const ACCOUNT_ID = '555566667777';
export const CREDENTIALS = { accessKeyId: 'TNDMEVENTPROCESSES01', secretAccessKey: 'event-processes-secret-0123456789abcdef' };
const REGION = 'us-east-1';

export interface Served {
  child: ChildProcess;
  url: string;
  exited: Promise<unknown>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `tandem serve` in a child process, one server process, ready once it answers HTTP; `env` adds or overrides variables. */
export async function serve(database: TestDatabase, extraEnv: Record<string, string> = {}): Promise<Served> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TANDEM_')) env[name] = value;
  Object.assign(env, {
    TANDEM_DATA_DIR: database.dataDir,
    TANDEM_PORT: String(port),
    TANDEM_ACCOUNT_ID: ACCOUNT_ID,
    TANDEM_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    TANDEM_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    TANDEM_SEED_DEMO: 'false',
    TANDEM_LOG_LEVEL: 'warn',
    TANDEM_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    TANDEM_WEBHOOK_TIMEOUT_MS: '1000',
    ...(database.databaseUrl ? { TANDEM_DATABASE_URL: database.databaseUrl } : {}),
    ...extraEnv,
  });
  const child = spawn(process.execPath, await cliArgs('serve'), { cwd: database.dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tandem serve exited ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`not listening within 60 s:\n${output}`);
    const answered = await fetch(`${url}/events`).then(
      (r) => r.status,
      () => 0,
    );
    if (answered === 403) break;
    await sleep(100);
  }
  return { child, url, exited };
}

export function clients(url: string) {
  const common = { endpoint: url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
  return { a2i: new SageMakerA2IRuntimeClient(common), sagemaker: new SageMakerClient(common) };
}

export async function createFlow(url: string): Promise<string> {
  const { sagemaker } = clients(url);
  const { WorkteamArn } = await sagemaker.send(
    new CreateWorkteamCommand({
      WorkteamName: 'proc-team',
      Description: 'd',
      MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'us-east-1_t', UserGroup: 'proc', ClientId: 'c' } }],
    }),
  );
  const { HumanTaskUiArn } = await sagemaker.send(new CreateHumanTaskUiCommand({ HumanTaskUiName: 'proc-ui', UiTemplate: { Content: SIMPLE_TEMPLATE } }));
  const { FlowDefinitionArn } = await sagemaker.send(
    new CreateFlowDefinitionCommand({
      FlowDefinitionName: 'proc-flow',
      RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/r`,
      OutputConfig: { S3OutputPath: 's3://proc-bucket/out' },
      HumanLoopConfig: {
        WorkteamArn: WorkteamArn!,
        HumanTaskUiArn: HumanTaskUiArn!,
        TaskTitle: 't',
        TaskDescription: 'd',
        TaskCount: 1,
        TaskTimeLimitInSeconds: 300,
        TaskAvailabilityLifetimeInSeconds: 3600,
      },
    }),
  );
  return FlowDefinitionArn!;
}

export async function startAndStop(url: string, flowArn: string, name: string): Promise<void> {
  const { a2i } = clients(url);
  await a2i.send(new StartHumanLoopCommand({ HumanLoopName: name, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: '{"text":"x"}' } }));
  await a2i.send(new StopHumanLoopCommand({ HumanLoopName: name }));
}

export function loopName(event: EventEnvelope): string {
  return event.resources[0]!.split('/').at(-1)!;
}


/** A database, a webhook receiver and the `tandem serve` processes a suite starts on them. */
export interface DeliveryRig {
  database: TestDatabase;
  receiver: WebhookReceiver;
  /** Starts a server on the rig's database; the suite's end kills whatever is still running. */
  serve(extraEnv?: Record<string, string>): Promise<Served>;
}

/** The suite's {@link DeliveryRig}, handed to `use` once it is ready; torn down after the suite. */
export function useDeliveryRig(dialect: TestDialect, use: (rig: DeliveryRig) => void): void {
  let database: TestDatabase | undefined;
  let receiver: WebhookReceiver | undefined;
  const servers: Served[] = [];
  before(async () => {
    const db = await createTestDatabase(dialect);
    database = db;
    const hooks = await startWebhookReceiver();
    receiver = hooks;
    use({
      database: db,
      receiver: hooks,
      async serve(extraEnv = {}) {
        const served = await serve(db, extraEnv);
        servers.push(served);
        return served;
      },
    });
  });
  after(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
    await receiver?.close();
    await database?.drop();
  });
}

/**
 * Makes `receiver` leave the first attempt at `loop`'s first event unanswered (the server that sent
 * it waits, or dies waiting) and answer everything else 200; resolves with that event.
 */
export function holdFirstAttempt(receiver: WebhookReceiver, loop: string): Promise<EventEnvelope> {
  return new Promise((resolve) => {
    receiver.answer = (event, attempt) => {
      if (attempt === 1 && loopName(event) === loop) {
        resolve(event);
        return new Promise<number>(() => {});
      }
      return 200;
    };
  });
}
