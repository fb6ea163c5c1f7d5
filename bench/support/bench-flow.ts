/**
 * In-process Tandem resources on a benchmark database, and one review flow (work team, task UI,
 * flow definition) created through the real operations.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { buildArn } from '../../src/domain/arns.js';
import { createFlowDefinition } from '../../src/operations/flow-definitions.js';
import { createHumanTaskUi } from '../../src/operations/human-task-uis.js';
import { createWorkteam } from '../../src/operations/workteams.js';
import type { Caller, Clock, Resources } from '../../src/resources.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { ensureAccount } from '../../src/store/accounts.js';
import { openStore, type StoreLocation } from '../../src/store/database.js';
import type { BenchDatabase } from './databases.js';

export const BENCH_CALLER: Caller = { accountId: '111122223333', region: 'us-east-1' };

/** The system clock, which a benchmark may pin to place rows in the past. */
export class PinnableClock implements Clock {
  pinned: number | undefined;
  now(): number {
    return this.pinned ?? Date.now();
  }
}

export type BenchResources = Resources & { clock: PinnableClock };

export async function openBenchResources(
  database: BenchDatabase,
  options: Pick<StoreLocation, 'poolSize' | 'sqliteSynchronous'> = {},
): Promise<BenchResources> {
  const store = await openStore({ databaseUrl: database.databaseUrl, sqliteFile: join(database.dataDir, 'tandem.db'), ...options });
  const config = { ...loadConfig({}, {}, database.dataDir), dataDir: database.dataDir, databaseUrl: database.databaseUrl };
  await ensureAccount(store.db, BENCH_CALLER.accountId, Date.now());
  return { config, store, clock: new PinnableClock(), secrets: new SecretBox(randomBytes(32)), logger: pino({ level: 'silent' }) };
}

/** Team `{name}-team`, UI `{name}-ui`, flow `{name}`; returns the flow definition's ARN. */
export async function createBenchFlow(r: Resources, name: string, taskCount = 1): Promise<string> {
  const cognito = { UserPool: 'us-east-1_bench', UserGroup: name, ClientId: 'bench' };
  await createWorkteam(r, BENCH_CALLER, { WorkteamName: `${name}-team`, Description: 'bench', MemberDefinitions: [{ CognitoMemberDefinition: cognito }] });
  const template = '<crowd-form><crowd-input name="note"></crowd-input></crowd-form>';
  await createHumanTaskUi(r, BENCH_CALLER, { HumanTaskUiName: `${name}-ui`, UiTemplate: { Content: template } });
  const { FlowDefinitionArn } = await createFlowDefinition(r, BENCH_CALLER, {
    FlowDefinitionName: name,
    RoleArn: `arn:aws:iam::${BENCH_CALLER.accountId}:role/bench`,
    OutputConfig: { S3OutputPath: 's3://bench/out' },
    HumanLoopConfig: {
      WorkteamArn: buildArn('workteam', BENCH_CALLER, `${name}-team`),
      HumanTaskUiArn: buildArn('human-task-ui', BENCH_CALLER, `${name}-ui`),
      TaskTitle: 'Classify',
      TaskDescription: 'Cat or dog',
      TaskCount: taskCount,
      TaskTimeLimitInSeconds: 3_600,
      TaskAvailabilityLifetimeInSeconds: 86_400,
    },
  });
  return FlowDefinitionArn;
}
