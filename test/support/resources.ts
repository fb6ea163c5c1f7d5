import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import type { Caller, Clock, Resources } from '../../src/resources.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { ensureAccount } from '../../src/store/accounts.js';
import { openStore } from '../../src/store/database.js';
import { createTestDatabase, type TestDatabase, type TestDialect } from './databases.js';
import { join } from 'node:path';
import { buildArn } from '../../src/domain/arns.js';
import { createFlowDefinition } from '../../src/operations/flow-definitions.js';
import { createHumanTaskUi } from '../../src/operations/human-task-uis.js';
import { createWorkteam } from '../../src/operations/workteams.js';

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current = Date.parse('2026-11-25T12:00:00.000Z')) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export interface TestResources extends Resources {
  clock: ManualClock;
  database: TestDatabase;
  caller: Caller;
  dispose(): Promise<void>;
}

/** Resources on a private database, without an HTTP server: for store and operation tests. */
export async function openTestResources(dialect: TestDialect, options: { poolSize?: number } = {}): Promise<TestResources> {
  const database = await createTestDatabase(dialect);
  const store = await openStore({
    databaseUrl: database.databaseUrl,
    sqliteFile: join(database.dataDir, 'tandem.db'),
    poolSize: options.poolSize ?? 10,
  });
  const config = { ...loadConfig({}, {}, database.dataDir), dataDir: database.dataDir, databaseUrl: database.databaseUrl };
  const clock = new ManualClock();
  const caller: Caller = { accountId: '111122223333', region: 'us-east-1' };
  await ensureAccount(store.db, caller.accountId, clock.now());
  return {
    config,
    store,
    clock,
    secrets: new SecretBox(randomBytes(32)),
    logger: pino({ level: 'silent' }),
    database,
    caller,
    async dispose() {
      await store.close();
      await database.drop();
    },
  };
}

export interface TestFlowOptions {
  taskCount: number;
  timeLimitSeconds: number;
  lifetimeSeconds: number;
  template: string;
  /** @defaultValue `s3://bucket/out` */
  s3OutputPath?: string;
}

/** A work team `{name}-team`, a task UI `{name}-ui` and an Active flow definition `{name}`, through the operations. */
export async function createTestFlow(r: TestResources, name: string, options: TestFlowOptions): Promise<string> {
  await createWorkteam(r, r.caller, {
    WorkteamName: `${name}-team`,
    Description: 'team',
    MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'us-east-1_t', UserGroup: name, ClientId: 'c' } }],
  });
  await createHumanTaskUi(r, r.caller, { HumanTaskUiName: `${name}-ui`, UiTemplate: { Content: options.template } });
  const { FlowDefinitionArn } = await createFlowDefinition(r, r.caller, {
    FlowDefinitionName: name,
    RoleArn: 'arn:aws:iam::111122223333:role/r',
    OutputConfig: { S3OutputPath: options.s3OutputPath ?? 's3://bucket/out' },
    HumanLoopConfig: {
      WorkteamArn: buildArn('workteam', r.caller, `${name}-team`),
      HumanTaskUiArn: buildArn('human-task-ui', r.caller, `${name}-ui`),
      TaskTitle: `Review ${name}`,
      TaskDescription: 'Check it',
      TaskCount: options.taskCount,
      TaskTimeLimitInSeconds: options.timeLimitSeconds,
      TaskAvailabilityLifetimeInSeconds: options.lifetimeSeconds,
    },
  });
  return FlowDefinitionArn;
}
