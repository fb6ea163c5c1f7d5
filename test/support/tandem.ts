import { after, before } from 'node:test';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerA2IRuntimeClient } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { loadConfig, type TandemConfig } from '../../src/config.js';
import { startTandem, type RunningTandem } from '../../src/main.js';
import { createAccessKey } from '../../src/security/access-keys.js';
import { ensureAccount } from '../../src/store/accounts.js';
import { createTestDatabase, type TestDatabase, type TestDialect } from './databases.js';

export const TEST_ACCOUNT_ID = '111122223333';
export const TEST_REGION = 'us-east-1';
export const TEST_ACCESS_KEY_ID = 'TNDMTESTROOTKEY00001';
export const TEST_SECRET_ACCESS_KEY = 'test-secret-access-key-0123456789abcdef';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A Tandem listening on a free loopback port with its own database, and real SDK clients for it. */
export interface TestTandem extends RunningTandem {
  database: TestDatabase;
  accountId: string;
  credentials: Credentials;
  a2i: SageMakerA2IRuntimeClient;
  sagemaker: SageMakerClient;
  /** Clients signed with other credentials (another account's key, a wrong secret…). */
  clientsFor(credentials: Credentials): { a2i: SageMakerA2IRuntimeClient; sagemaker: SageMakerClient };
  /** A new account with its own key. */
  createAccount(accountId: string): Promise<Credentials>;
  stop(): Promise<void>;
}

export async function startTestTandem(dialect: TestDialect, overrides: Partial<TandemConfig> = {}): Promise<TestTandem> {
  const database = await createTestDatabase(dialect);
  const config: TandemConfig = {
    ...loadConfig({}, {}, database.dataDir),
    host: '127.0.0.1',
    port: 0,
    dataDir: database.dataDir,
    databaseUrl: database.databaseUrl,
    accountId: TEST_ACCOUNT_ID,
    accessKeyId: TEST_ACCESS_KEY_ID,
    secretAccessKey: TEST_SECRET_ACCESS_KEY,
    logLevel: 'silent',
    seedDemo: false,
    ...overrides,
  };
  let tandem: RunningTandem;
  try {
    tandem = await startTandem(config);
  } catch (error) {
    await database.drop();
    throw error;
  }
  const clientsFor = (credentials: Credentials) => {
    const common = { endpoint: tandem.url, region: TEST_REGION, credentials, maxAttempts: 1 };
    return { a2i: new SageMakerA2IRuntimeClient(common), sagemaker: new SageMakerClient(common) };
  };
  const credentials = { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY };
  const clients = clientsFor(credentials);
  return {
    ...tandem,
    database,
    accountId: TEST_ACCOUNT_ID,
    credentials,
    ...clients,
    clientsFor,
    async createAccount(accountId: string) {
      await ensureAccount(tandem.resources.store.db, accountId, Date.now());
      const key = await createAccessKey(tandem.resources, accountId);
      return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
    },
    async stop() {
      clients.a2i.destroy();
      clients.sagemaker.destroy();
      await tandem.close();
      await database.drop();
    },
  };
}

/**
 * For a `describe` block: starts a {@link TestTandem} on `dialect` before the block's tests and
 * stops it after them. `started` receives it, to keep in the block's variable and to set up more.
 *
 * @example
 * ```ts
 * let tandem: TestTandem;
 * useTestTandem(dialect, (started) => (tandem = started));
 * ```
 */
export function useTestTandem(
  dialect: TestDialect,
  started: (tandem: TestTandem) => unknown,
  overrides: Partial<TandemConfig> = {},
): void {
  let tandem: TestTandem | undefined;
  before(async () => {
    tandem = await startTestTandem(dialect, overrides);
    await started(tandem);
  });
  after(async () => {
    await tandem?.stop();
  });
}
