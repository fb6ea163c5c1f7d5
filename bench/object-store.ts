/**
 * Tandem's S3 API against a plain S3-compatible server, in the same run: PutObject and GetObject
 * of 100 KB objects with the real @aws-sdk/client-s3, through
 *   - `s3rver`: the s3rver package on loopback (the baseline, a file-backed S3 server),
 *   - `tandem-local`: Tandem's S3 API with its embedded store (SigV4 check, account scoping,
 *     streamed and fsynced atomic write, metadata file),
 *   - `tandem-proxy`: Tandem's S3 API with TANDEM_OBJECT_STORE=s3 pointed at the same s3rver
 *     (Tandem's checks, then the object streamed on to s3rver with the SDK).
 * Calls are sequential (latency), modes alternate in rounds so each sees the same machine. Client,
 * Tandem and s3rver share this one process and its event loop; the ratios are the result.
 *
 *   npm run bench -- object-store [--calls=60] [--rounds=3] [--size=102400]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { loadConfig, type TandemConfig } from '../src/config.js';
import { startTandem, type RunningTandem } from '../src/main.js';
import { startS3rver, S3RVER_CREDENTIALS } from '../test/support/s3rver.js';
import { percentile, round } from './support/latency.js';
import { machineInfo, writeResults } from './support/results.js';
import { formatRatio, formatTable } from './support/table.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const CALLS = Number(args.calls ?? 60);
const ROUNDS = Number(args.rounds ?? 3);
const SIZE = Number(args.size ?? 100 * 1024);
const REGION = 'us-east-1';
const KEY = { accessKeyId: 'TNDMBENCHOBJECTS0001', secretAccessKey: 'bench-objects-secret-0123456789abcdef' };
const BUCKET = 'bench-objects';

type Mode = 's3rver' | 'tandem-local' | 'tandem-proxy';
type Operation = 'put' | 'get';

async function tandemWith(dataDir: string, overrides: Partial<TandemConfig>): Promise<RunningTandem> {
  return startTandem({
    ...loadConfig({}, {}, dataDir),
    host: '127.0.0.1',
    port: 0,
    dataDir,
    databaseUrl: undefined,
    accountId: '111122223333',
    ...KEY,
    logLevel: 'silent',
    seedDemo: false,
    ...overrides,
  });
}

async function main() {
  const machine = machineInfo();
  console.log(`object-store: ${SIZE}-byte objects, ${CALLS} calls × ${ROUNDS} rounds per mode and operation, load average ${machine.loadAverage.join(' ')}`);
  const s3rver = await startS3rver([BUCKET]);
  const localDir = await mkdtemp(join(tmpdir(), 'tandem-bench-objects-local-'));
  const proxyDir = await mkdtemp(join(tmpdir(), 'tandem-bench-objects-proxy-'));
  const local = await tandemWith(localDir, {});
  const proxy = await tandemWith(proxyDir, {
    objectStore: 's3',
    s3Endpoint: s3rver.endpoint,
    s3ForcePathStyle: true,
    s3AccessKeyId: S3RVER_CREDENTIALS.accessKeyId,
    s3SecretAccessKey: S3RVER_CREDENTIALS.secretAccessKey,
  });
  const client = (endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) =>
    new S3Client({ endpoint, region: REGION, forcePathStyle: true, credentials, maxAttempts: 1 });
  const clients: Record<Mode, S3Client> = {
    s3rver: s3rver.client(),
    'tandem-local': client(local.url, KEY),
    'tandem-proxy': client(proxy.url, KEY),
  };
  try {
    const body = randomBytes(SIZE);
    const modes = Object.keys(clients) as Mode[];
    let n = 0;
    const calls: Record<Operation, (mode: Mode) => Promise<unknown>> = {
      // A new key each time: S3 clients upload new objects far more often than they overwrite.
      put: (mode) => clients[mode].send(new PutObjectCommand({ Bucket: BUCKET, Key: `put/${n++}.bin`, Body: body, ContentType: 'application/octet-stream' })),
      get: async (mode) => {
        const got = await clients[mode].send(new GetObjectCommand({ Bucket: BUCKET, Key: 'get/object.bin' }));
        const bytes = await got.Body!.transformToByteArray();
        if (bytes.length !== SIZE) throw new Error(`${mode}: read ${bytes.length} bytes, not ${SIZE}`);
      },
    };
    for (const mode of modes) {
      await clients[mode].send(new PutObjectCommand({ Bucket: BUCKET, Key: 'get/object.bin', Body: body }));
      for (let i = 0; i < 10; i++) for (const operation of ['put', 'get'] as const) await calls[operation](mode); // warm-up
    }
    const samples = Object.fromEntries(modes.map((mode) => [mode, { put: [] as number[], get: [] as number[] }])) as Record<Mode, Record<Operation, number[]>>;
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? modes : [...modes].reverse();
      for (const operation of ['put', 'get'] as const) {
        for (const mode of order) {
          for (let i = 0; i < CALLS; i++) {
            const started = process.hrtime.bigint();
            await calls[operation](mode);
            samples[mode][operation].push(Number(process.hrtime.bigint() - started) / 1e6);
          }
        }
      }
    }
    const stats = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return { calls: sorted.length, medianMs: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)) };
    };
    const results = Object.fromEntries(
      modes.map((mode) => [mode, Object.fromEntries((['put', 'get'] as const).map((op) => [op, stats(samples[mode][op])]))]),
    ) as Record<Mode, Record<Operation, { calls: number; medianMs: number; p99Ms: number }>>;
    const rows: string[][] = [];
    for (const operation of ['put', 'get'] as const) {
      const baseline = results.s3rver[operation].medianMs;
      for (const mode of modes) {
        const s = results[mode][operation];
        rows.push([operation === 'put' ? 'PutObject' : 'GetObject', mode, s.medianMs.toFixed(2), s.p99Ms.toFixed(2), formatRatio(s.medianMs / baseline)]);
      }
    }
    console.log(formatTable(['operation', 'mode', 'median ms', 'p99 ms', '× s3rver'], rows));
    const files = await writeResults('object-store', {
      machine: { ...machine, loadAverageAtEnd: machineInfo().loadAverage },
      settings: { calls: CALLS, rounds: ROUNDS, objectBytes: SIZE, store: 'sqlite' },
      baseline: 's3rver',
      results: Object.fromEntries(
        modes.map((mode) => [
          mode,
          Object.fromEntries(
            (['put', 'get'] as const).map((op) => [op, { ...results[mode][op], ratioToS3rver: round(results[mode][op].medianMs / results.s3rver[op].medianMs) }]),
          ),
        ]),
      ),
    });
    console.log(`wrote ${files.join(', ')}`);
  } finally {
    clients['tandem-local'].destroy();
    clients['tandem-proxy'].destroy();
    await local.close();
    await proxy.close();
    await s3rver.dispose();
    await rm(localDir, { recursive: true, force: true });
    await rm(proxyDir, { recursive: true, force: true });
  }
}

await main();
