import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import type { Caller, Clock, Resources } from '../../src/resources.js';
import { SecretBox } from '../../src/security/secret-box.js';
import { ensureAccount } from '../../src/store/accounts.js';
import { openStore } from '../../src/store/database.js';
import { createTestDatabase, type TestDatabase, type TestDialect } from './databases.js';
import { join } from 'node:path';

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
