import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Tandem's whole configuration, validated once at start-up.
 *
 * Precedence, as MinIO and LocalStack do it: command-line flag > environment variable >
 * config file (`tandem.config.json` in the working directory, or the path in `TANDEM_CONFIG`)
 * > default. Invalid configuration stops start-up with one line naming the setting.
 */
export interface TandemConfig {
  /** Interface to listen on. @defaultValue `127.0.0.1` */
  host: string;
  /** TCP port. @defaultValue `8080` */
  port: number;
  /** Holds `tandem.db` (SQLite), `master.key` and `output/`. @defaultValue `./data` */
  dataDir: string;
  /** `postgres://…` to use PostgreSQL; unset means SQLite at `{dataDir}/tandem.db`. */
  databaseUrl: string | undefined;
  /** The region in every ARN. @defaultValue `us-east-1` */
  region: string;
  /** The default account's id; generated on first start when unset. */
  accountId: string | undefined;
  /** A root access key for the default account, created or reused at start (both or neither). */
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** 32-byte key (hex or base64) that encrypts stored secrets; `{dataDir}/master.key` when unset. */
  masterKey: string | undefined;
  /** Where `s3://bucket/prefix` output paths land locally. @defaultValue `{dataDir}/output` */
  outputDir: string;
  /** URL workers and clients use to reach this server (links, invite URLs). */
  publicUrl: string;
  /** pino level. @defaultValue `info` */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Seed the demo work team, task UI and flow definition in a new account. @defaultValue `true` */
  seedDemo: boolean;
  /**
   * Server processes sharing the port (node:cluster), to use more than one core; `auto` in the
   * sources means one per available core. @defaultValue `1`
   */
  processes: number;
  /**
   * Issuer URL of the OpenID Connect provider workers sign in with (single sign-on); unset turns
   * single sign-on off. Its discovery document is `{issuer}/.well-known/openid-configuration`.
   * @example `https://login.example.com/realms/reviewers`
   */
  oidcIssuer: string | undefined;
  /** Tandem's client id at the provider; required with `oidcIssuer`. */
  oidcClientId: string | undefined;
  /** The client secret (sent with HTTP Basic); unset for a public client, which relies on PKCE alone. */
  oidcClientSecret: string | undefined;
  /** The claim that lists a worker's groups, matched against OidcMemberDefinition Groups. @defaultValue `sagemaker:groups` */
  oidcGroupsClaim: string;
  /** Scopes requested at sign-in, space-separated; must include `openid`. @defaultValue `openid email profile` */
  oidcScopes: string;
  /**
   * The provider group whose members may sign in to the console as role `admin` (single sign-on
   * for admins is on when this or the viewer group is set, with the provider configured).
   * @example `tandem-admins`
   */
  oidcAdminGroup: string | undefined;
  /** The provider group whose members sign in to the console as role `viewer`. */
  oidcViewerGroup: string | undefined;
  /**
   * Days a Completed, Failed or Stopped human loop is kept after it ended; older ones are
   * removed with their review slots and answers (output.json stays). Unset keeps every loop.
   * @example `90`
   */
  retentionDays: number | undefined;
  /**
   * SQLite's `synchronous` setting: `full` (an acknowledged write survives power loss and an
   * OS crash) or `normal` (it survives a process crash; an OS crash or power loss may lose the
   * last transactions). Ignored with PostgreSQL. @defaultValue `normal`: FULL cost 32% of
   * StartHumanLoop throughput under the group commit (bench/README.md, sqlite-synchronous),
   * above the 20% that would have made it the default.
   */
  sqliteSynchronous: 'full' | 'normal';
  /**
   * Seconds without a heartbeat from an open task page after which the reviewer's lease goes back
   * to the queue, before its TaskTimeLimitInSeconds. @defaultValue `300`
   */
  leaseIdleTimeoutSeconds: number;
  /**
   * Buckets an operator gives to accounts, bucket name → 12-digit account id; these win over
   * ownership recorded in the store (a bucket is otherwise owned by the account that used it first).
   * From `TANDEM_BUCKETS` as a JSON object, or the config file's `buckets` object.
   * @example `{"acme-results": "111122223333"}`
   */
  buckets: Record<string, string>;
  /**
   * How long a loop whose answers are all in may wait for its output.json to be written (store
   * unreachable) before it becomes Failed. @defaultValue `3600`
   */
  outputDeadlineSeconds: number;
  /**
   * Where Textract AnalyzeDocument requests sent to Tandem are forwarded (proxy mode), signed
   * with credentials from the standard AWS chain. @defaultValue `https://textract.{region}.amazonaws.com`
   */
  textractEndpoint: string;
  /** The same for Rekognition DetectModerationLabels. @defaultValue `https://rekognition.{region}.amazonaws.com` */
  rekognitionEndpoint: string;
  /** Milliseconds Tandem waits for the upstream AI service before answering 503. @defaultValue `30000` */
  upstreamTimeoutMs: number;
  /** Milliseconds a webhook endpoint has to answer a delivery. @defaultValue `10000` */
  webhookTimeoutMs: number;
  /** Hours a failing webhook delivery is retried (backoff with jitter) before it is dead-lettered. @defaultValue `24` */
  webhookRetryHours: number;
  /**
   * Lets webhooks target loopback, private and link-local addresses (refused by default: a
   * webhook URL must not reach into the network Tandem runs in). @defaultValue `false`
   */
  webhookAllowPrivateTargets: boolean;
  /** Hours events stay readable (`GET /events` resume) once every webhook has them. @defaultValue `72` */
  eventRetentionHours: number;
  /**
   * Bearer token that `GET /metrics` on the main port requires. Unset, the main port does not
   * serve metrics (see `metricsListen`). At least 16 characters.
   */
  metricsToken: string | undefined;
  /**
   * `host:port` of a second listener that serves `GET /metrics` without authentication, for a
   * scraper on a private network. @example `127.0.0.1:9464`
   */
  metricsListen: { host: string; port: number } | undefined;
  /**
   * Log lines as JSON (one object a line, for a log collector) or pretty (one readable line per
   * event). `auto`: pretty when standard output is a terminal, JSON otherwise. @defaultValue `auto`
   */
  logFormat: 'json' | 'pretty' | 'auto';
  /**
   * Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto / X-Forwarded-Host are believed:
   * addresses or CIDR ranges (or `loopback`, `linklocal`, `uniquelocal`), comma-separated in
   * TANDEM_TRUSTED_PROXIES. Empty: those headers are ignored and the client is the socket's peer.
   * @example `127.0.0.1,10.0.0.0/8`
   */
  trustedProxies: string[];
  /**
   * Largest object Tandem's S3 API accepts in one PutObject, in bytes (S3's own limit is 5 GiB).
   * @defaultValue `5368709120`
   */
  s3MaxObjectBytes: number;
  /**
   * Where objects (output.json, uploaded inputs) live: `local`, files under `outputDir`; `s3`, an
   * external S3-compatible store (AWS S3, MinIO, Ceph RGW, R2…) reached with @aws-sdk/client-s3.
   * Bucket names are the same in both; Tandem still decides which account owns each.
   * @defaultValue `local`
   */
  objectStore: 'local' | 's3';
  /** The external store's URL (`s3` mode); unset means AWS S3 in `s3Region`. @example `http://minio.internal:9000` */
  s3Endpoint: string | undefined;
  /** The external store's region (`s3` mode). @defaultValue the value of `region` */
  s3Region: string;
  /** Path-style addressing (`{endpoint}/{bucket}/{key}`), which MinIO and most self-hosted stores need. @defaultValue `false` */
  s3ForcePathStyle: boolean;
  /**
   * Credentials for the external store (both or neither); unset means the standard AWS chain
   * (environment, shared files, SSO, web identity, container and instance roles).
   */
  s3AccessKeyId: string | undefined;
  s3SecretAccessKey: string | undefined;
}

/** Settings by their names in each source: flag, env var, config-file key. `cli: false`: no command-line flag (environment and config file only). */
const SETTINGS = {
  host: { env: 'TANDEM_HOST', flag: 'host' },
  port: { env: 'TANDEM_PORT', flag: 'port' },
  dataDir: { env: 'TANDEM_DATA_DIR', flag: 'dataDir' },
  databaseUrl: { env: 'TANDEM_DATABASE_URL', flag: 'databaseUrl' },
  region: { env: 'TANDEM_REGION', flag: 'region' },
  accountId: { env: 'TANDEM_ACCOUNT_ID', flag: 'accountId' },
  accessKeyId: { env: 'TANDEM_ACCESS_KEY_ID', flag: 'accessKeyId' },
  secretAccessKey: { env: 'TANDEM_SECRET_ACCESS_KEY', flag: 'secretAccessKey' },
  masterKey: { env: 'TANDEM_MASTER_KEY', flag: 'masterKey' },
  outputDir: { env: 'TANDEM_OUTPUT_DIR', flag: 'outputDir' },
  publicUrl: { env: 'TANDEM_PUBLIC_URL', flag: 'publicUrl' },
  logLevel: { env: 'TANDEM_LOG_LEVEL', flag: 'logLevel' },
  seedDemo: { env: 'TANDEM_SEED_DEMO', flag: 'seedDemo' },
  processes: { env: 'TANDEM_PROCESSES', flag: 'processes' },
  oidcIssuer: { env: 'TANDEM_OIDC_ISSUER', flag: 'oidcIssuer', cli: false },
  oidcClientId: { env: 'TANDEM_OIDC_CLIENT_ID', flag: 'oidcClientId', cli: false },
  oidcClientSecret: { env: 'TANDEM_OIDC_CLIENT_SECRET', flag: 'oidcClientSecret', cli: false },
  oidcGroupsClaim: { env: 'TANDEM_OIDC_GROUPS_CLAIM', flag: 'oidcGroupsClaim', cli: false },
  oidcScopes: { env: 'TANDEM_OIDC_SCOPES', flag: 'oidcScopes', cli: false },
  oidcAdminGroup: { env: 'TANDEM_OIDC_ADMIN_GROUP', flag: 'oidcAdminGroup', cli: false },
  oidcViewerGroup: { env: 'TANDEM_OIDC_VIEWER_GROUP', flag: 'oidcViewerGroup', cli: false },
  retentionDays: { env: 'TANDEM_RETENTION_DAYS', flag: 'retentionDays', cli: false },
  sqliteSynchronous: { env: 'TANDEM_SQLITE_SYNCHRONOUS', flag: 'sqliteSynchronous', cli: false },
  leaseIdleTimeoutSeconds: { env: 'TANDEM_LEASE_IDLE_TIMEOUT', flag: 'leaseIdleTimeoutSeconds', cli: false },
  buckets: { env: 'TANDEM_BUCKETS', flag: 'buckets', cli: false },
  outputDeadlineSeconds: { env: 'TANDEM_OUTPUT_DEADLINE_SECONDS', flag: 'outputDeadlineSeconds', cli: false },
  textractEndpoint: { env: 'TANDEM_TEXTRACT_ENDPOINT', flag: 'textractEndpoint', cli: false },
  rekognitionEndpoint: { env: 'TANDEM_REKOGNITION_ENDPOINT', flag: 'rekognitionEndpoint', cli: false },
  upstreamTimeoutMs: { env: 'TANDEM_UPSTREAM_TIMEOUT_MS', flag: 'upstreamTimeoutMs', cli: false },
  webhookTimeoutMs: { env: 'TANDEM_WEBHOOK_TIMEOUT_MS', flag: 'webhookTimeoutMs', cli: false },
  webhookRetryHours: { env: 'TANDEM_WEBHOOK_RETRY_HOURS', flag: 'webhookRetryHours', cli: false },
  webhookAllowPrivateTargets: { env: 'TANDEM_WEBHOOK_ALLOW_PRIVATE_TARGETS', flag: 'webhookAllowPrivateTargets', cli: false },
  eventRetentionHours: { env: 'TANDEM_EVENT_RETENTION_HOURS', flag: 'eventRetentionHours', cli: false },
  metricsToken: { env: 'TANDEM_METRICS_TOKEN', flag: 'metricsToken', cli: false },
  metricsListen: { env: 'TANDEM_METRICS_LISTEN', flag: 'metricsListen', cli: false },
  logFormat: { env: 'TANDEM_LOG_FORMAT', flag: 'logFormat', cli: false },
  trustedProxies: { env: 'TANDEM_TRUSTED_PROXIES', flag: 'trustedProxies', cli: false },
  s3MaxObjectBytes: { env: 'TANDEM_S3_MAX_OBJECT_BYTES', flag: 's3MaxObjectBytes', cli: false },
  objectStore: { env: 'TANDEM_OBJECT_STORE', flag: 'objectStore', cli: false },
  s3Endpoint: { env: 'TANDEM_S3_ENDPOINT', flag: 's3Endpoint', cli: false },
  s3Region: { env: 'TANDEM_S3_REGION', flag: 's3Region', cli: false },
  s3ForcePathStyle: { env: 'TANDEM_S3_FORCE_PATH_STYLE', flag: 's3ForcePathStyle', cli: false },
  s3AccessKeyId: { env: 'TANDEM_S3_ACCESS_KEY_ID', flag: 's3AccessKeyId', cli: false },
  s3SecretAccessKey: { env: 'TANDEM_S3_SECRET_ACCESS_KEY', flag: 's3SecretAccessKey', cli: false },
} as const satisfies Record<keyof TandemConfig, { env: string; flag: string; cli?: false }>;

type SettingName = keyof typeof SETTINGS;

const booleanSetting = z.union(
  [z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v))],
  { error: 'must be true or false' },
);

const MAX_PROCESSES = 64;

const PORT_MESSAGE = 'must be a port number from 0 to 65535';
/**
 * A number, or a string of decimal digits. Not `z.coerce.number()`: that turns '', ' ' and null
 * into 0 (a random port, silently) and accepts '0x1F90' and '1e3'.
 */
const portSetting = z
  .union([z.number(), z.string()], { error: PORT_MESSAGE })
  .refine((v) => (typeof v === 'number' ? Number.isInteger(v) && v >= 0 && v <= 65535 : /^\d{1,5}$/.test(v) && Number(v) <= 65535), PORT_MESSAGE)
  .transform(Number);

/** What `loadMasterKey` accepts: 64 hex digits, or base64 of 32 bytes; checked here so a bad key is one line at start-up. */
function isMasterKey(text: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(text) || (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) && Buffer.from(text, 'base64').length === 32);
}

// At least 15 s: the page's heartbeat runs at a quarter of it, and a shorter one would release
// leases of reviewers whose browser merely throttled a background tab's timers.
const IDLE_TIMEOUT_MESSAGE = 'must be a whole number of seconds from 15 to 86400';

const PROCESSES_MESSAGE = `must be auto or a whole number from 1 to ${MAX_PROCESSES}`;
/** `auto` (one per core) or a count; far more processes than cores only adds contention. */
const processesSetting = z
  .union([z.number(), z.string()], { error: PROCESSES_MESSAGE })
  .transform((v) => (v === 'auto' ? availableParallelism() : typeof v === 'number' ? v : /^\d{1,3}$/.test(v) ? Number(v) : Number.NaN))
  .refine((v) => Number.isInteger(v) && v >= 1 && v <= MAX_PROCESSES, PROCESSES_MESSAGE);

const RETENTION_MESSAGE = 'must be a whole number of days from 1 to 36500';
const BUCKETS_MESSAGE = 'must be a JSON object of bucket name to 12-digit account id, e.g. {"acme-results":"111122223333"}';
/** Bucket → account: an object in the config file, the same object as JSON text in the environment. */
const bucketsSetting = z
  .union([z.string(), z.record(z.string(), z.unknown())], { error: BUCKETS_MESSAGE })
  .transform((v, ctx): Record<string, string> => {
    let value: unknown = v;
    if (typeof v === 'string') {
      try {
        value = JSON.parse(v);
      } catch {
        ctx.addIssue({ code: 'custom', message: BUCKETS_MESSAGE });
        return z.NEVER;
      }
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: BUCKETS_MESSAGE });
      return z.NEVER;
    }
    const entries = Object.entries(value);
    if (!entries.every(([bucket, account]) => /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) && typeof account === 'string' && /^\d{12}$/.test(account))) {
      ctx.addIssue({ code: 'custom', message: BUCKETS_MESSAGE });
      return z.NEVER;
    }
    return Object.fromEntries(entries) as Record<string, string>;
  });

const UPSTREAM_TIMEOUT_MESSAGE = 'must be a whole number of milliseconds from 100 to 600000';
const UPSTREAM_ENDPOINT_MESSAGE = 'must be an http(s) URL such as https://textract.us-east-1.amazonaws.com';
/** An AI service endpoint: http(s), no query or fragment; a trailing slash is dropped. */
const upstreamEndpointSetting = z
  .string({ error: UPSTREAM_ENDPOINT_MESSAGE })
  .regex(/^https?:\/\/[^/\s?#]+[^\s?#]*$/i, UPSTREAM_ENDPOINT_MESSAGE)
  .url(UPSTREAM_ENDPOINT_MESSAGE)
  .transform((v) => v.replace(/\/+$/, ''));
const TRUSTED_PROXIES_MESSAGE = 'must be addresses or CIDR ranges (or loopback, linklocal, uniquelocal), comma-separated, e.g. 127.0.0.1,10.0.0.0/8';
/** One proxy entry: an IP address, an address/prefix, or one of proxy-addr's named ranges. */
function isProxyEntry(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address, prefix, extra] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
/** A comma-separated string (environment) or an array of strings (config file). */
const trustedProxiesSetting = z
  .union([z.string(), z.array(z.string())], { error: TRUSTED_PROXIES_MESSAGE })
  .transform((v) => (typeof v === 'string' ? v.split(',') : v).map((e) => e.trim()).filter((e) => e !== ''))
  .refine((entries) => entries.every(isProxyEntry), TRUSTED_PROXIES_MESSAGE);
const S3_ENDPOINT_MESSAGE = 'must be an http(s) URL without a path, such as http://minio.internal:9000';
const S3_MAX_OBJECT_MESSAGE = 'must be a whole number of bytes from 1 to 5497558138880 (5 TiB)';

const schema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: portSetting.default(8080),
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must look like us-east-1')
    .default('us-east-1'),
  accountId: z.string().regex(/^\d{12}$/, 'must be 12 digits').optional(),
  accessKeyId: z
    .string()
    .regex(/^[A-Za-z0-9]{16,128}$/, 'must be 16-128 letters and digits')
    .optional(),
  secretAccessKey: z.string().min(16, 'must be at least 16 characters').max(128).optional(),
  masterKey: z.string().refine(isMasterKey, 'must be a 32-byte key: 64 hex digits or base64').optional(),
  outputDir: z.string().min(1).optional(),
  publicUrl: z
    .string()
    .regex(/^https?:\/\/[^/\s]+/i, 'must be an http(s) URL such as http://tandem.example.com')
    .url('must be an http(s) URL such as http://tandem.example.com')
    .optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  seedDemo: booleanSetting.default(true),
  processes: processesSetting.default(1),
  oidcIssuer: z
    .string()
    .regex(/^https?:\/\/[^/\s]+/i, 'must be an http(s) URL such as https://login.example.com')
    .url('must be an http(s) URL such as https://login.example.com')
    .optional(),
  oidcClientId: z.string().min(1).optional(),
  oidcClientSecret: z.string().min(1).optional(),
  oidcGroupsClaim: z.string().trim().min(1, 'must name a claim').default('sagemaker:groups'),
  oidcScopes: z
    .string()
    .transform((v) => v.trim().split(/\s+/).join(' '))
    .refine((v) => v.split(' ').includes('openid'), 'must include openid')
    .default('openid email profile'),
  oidcAdminGroup: z.string().trim().min(1, 'must name a group').optional(),
  oidcViewerGroup: z.string().trim().min(1, 'must name a group').optional(),
  retentionDays: z
    .union([z.number(), z.string()], { error: RETENTION_MESSAGE })
    .transform((v) => (typeof v === 'number' ? v : /^\d{1,6}$/.test(v) ? Number(v) : Number.NaN))
    .refine((v) => Number.isInteger(v) && v >= 1 && v <= 36_500, RETENTION_MESSAGE)
    .optional(),
  sqliteSynchronous: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(['full', 'normal'], { error: 'must be full or normal' }))
    .default('normal'),
  leaseIdleTimeoutSeconds: z
    .union([z.number(), z.string()], { error: IDLE_TIMEOUT_MESSAGE })
    .transform((v) => (typeof v === 'number' ? v : /^\d{1,6}$/.test(v) ? Number(v) : Number.NaN))
    .refine((v) => Number.isInteger(v) && v >= 15 && v <= 86_400, IDLE_TIMEOUT_MESSAGE)
    .default(300),
  buckets: bucketsSetting.default({}),
  outputDeadlineSeconds: z
    .union([z.number(), z.string()], { error: 'must be a whole number of seconds from 1 to 2592000' })
    .transform(Number)
    .refine((v) => Number.isInteger(v) && v >= 1 && v <= 2_592_000, 'must be a whole number of seconds from 1 to 2592000')
    .default(3600),
  textractEndpoint: upstreamEndpointSetting.optional(),
  rekognitionEndpoint: upstreamEndpointSetting.optional(),
  upstreamTimeoutMs: z
    .union([z.number(), z.string()], { error: UPSTREAM_TIMEOUT_MESSAGE })
    .transform((v) => (typeof v === 'number' ? v : /^\d{1,7}$/.test(v) ? Number(v) : Number.NaN))
    .refine((v) => Number.isInteger(v) && v >= 100 && v <= 600_000, UPSTREAM_TIMEOUT_MESSAGE)
    .default(30_000),
  webhookTimeoutMs: wholeNumber(100, 120_000, 'milliseconds').default(10_000),
  webhookRetryHours: wholeNumber(24, 720, 'hours').default(24),
  webhookAllowPrivateTargets: booleanSetting.default(false),
  eventRetentionHours: wholeNumber(1, 8760, 'hours').default(72),
  metricsToken: z.string().min(16, 'must be at least 16 characters').max(512, 'must be at most 512 characters').optional(),
  metricsListen: z
    .string()
    .transform((v, ctx) => {
      const match = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(v.trim());
      if (!match || Number(match[2]) > 65535) {
        ctx.addIssue({ code: 'custom', message: 'must be host:port, e.g. 127.0.0.1:9464' });
        return z.NEVER;
      }
      return { host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) };
    })
    .optional(),
  logFormat: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(['json', 'pretty', 'auto'], { error: 'must be json, pretty or auto' }))
    .default('auto'),
  trustedProxies: trustedProxiesSetting.default([]),
  s3MaxObjectBytes: z
    .union([z.number(), z.string()], { error: S3_MAX_OBJECT_MESSAGE })
    .transform((v) => (typeof v === 'number' ? v : /^\d{1,13}$/.test(v) ? Number(v) : Number.NaN))
    .refine((v) => Number.isInteger(v) && v >= 1 && v <= 5 * 1024 ** 4, S3_MAX_OBJECT_MESSAGE)
    .default(5 * 1024 ** 3),
  objectStore: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(['local', 's3'], { error: 'must be local or s3' }))
    .default('local'),
  s3Endpoint: z
    .string({ error: S3_ENDPOINT_MESSAGE })
    .regex(/^https?:\/\/[^/\s?#]+\/?$/i, S3_ENDPOINT_MESSAGE)
    .url(S3_ENDPOINT_MESSAGE)
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  s3Region: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a region name such as us-east-1 (or auto)')
    .max(64)
    .optional(),
  s3ForcePathStyle: booleanSetting.default(false),
  s3AccessKeyId: z.string().min(1).max(256).optional(),
  s3SecretAccessKey: z.string().min(1).max(256).optional(),
});

/** A whole number within bounds, from a number (config file) or a string (environment). */
function wholeNumber(min: number, max: number, unit: string) {
  const message = `must be a whole number of ${unit} from ${min} to ${max}`;
  return z
    .union([z.number(), z.string()], { error: message })
    .transform((v) => (typeof v === 'number' ? v : /^\d{1,9}$/.test(v) ? Number(v) : Number.NaN))
    .refine((v) => Number.isInteger(v) && v >= min && v <= max, message);
}


export class ConfigError extends Error {}

export type ConfigFlags = Partial<Record<SettingName, string | number | boolean | undefined>> & {
  config?: string;
};

/**
 * Reads and validates the configuration.
 * @example
 * const config = loadConfig({ port: 9000 }, process.env);
 */
export function loadConfig(
  flags: ConfigFlags = {},
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): TandemConfig {
  const file = readConfigFile(flags.config ?? env.TANDEM_CONFIG, cwd);
  const merged: Record<string, unknown> = {};
  for (const [name, source] of Object.entries(SETTINGS) as [SettingName, (typeof SETTINGS)[SettingName]][]) {
    const value = flags[source.flag] ?? nonEmpty(env[source.env]) ?? file[name];
    if (value !== undefined) merged[name] = value;
  }
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? '') as SettingName;
    const source = SETTINGS[name];
    const label = !source ? name : 'cli' in source ? source.env : `${source.env} (--${kebab(source.flag)})`;
    throw new ConfigError(`Invalid configuration: ${label} ${issue.message}`);
  }
  const c = parsed.data;
  if ((c.accessKeyId === undefined) !== (c.secretAccessKey === undefined)) {
    throw new ConfigError(
      'Invalid configuration: TANDEM_ACCESS_KEY_ID and TANDEM_SECRET_ACCESS_KEY must be set together',
    );
  }
  if ((c.oidcIssuer === undefined) !== (c.oidcClientId === undefined)) {
    throw new ConfigError('Invalid configuration: TANDEM_OIDC_ISSUER and TANDEM_OIDC_CLIENT_ID must be set together');
  }
  if ((c.s3AccessKeyId === undefined) !== (c.s3SecretAccessKey === undefined)) {
    throw new ConfigError('Invalid configuration: TANDEM_S3_ACCESS_KEY_ID and TANDEM_S3_SECRET_ACCESS_KEY must be set together');
  }
  const dataDir = resolve(cwd, c.dataDir);
  const port = c.port;
  return {
    host: c.host,
    port,
    region: c.region,
    logLevel: c.logLevel,
    seedDemo: c.seedDemo,
    processes: c.processes,
    databaseUrl: c.databaseUrl,
    accountId: c.accountId,
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    masterKey: c.masterKey,
    dataDir,
    outputDir: resolve(cwd, c.outputDir ?? resolve(dataDir, 'output')),
    publicUrl: (c.publicUrl ?? `http://${urlHost(c.host)}:${port}`).replace(/\/+$/, ''),
    oidcIssuer: c.oidcIssuer,
    oidcClientId: c.oidcClientId,
    oidcClientSecret: c.oidcClientSecret,
    oidcGroupsClaim: c.oidcGroupsClaim,
    oidcScopes: c.oidcScopes,
    oidcAdminGroup: c.oidcAdminGroup,
    oidcViewerGroup: c.oidcViewerGroup,
    retentionDays: c.retentionDays,
    sqliteSynchronous: c.sqliteSynchronous,
    leaseIdleTimeoutSeconds: c.leaseIdleTimeoutSeconds,
    buckets: c.buckets,
    outputDeadlineSeconds: c.outputDeadlineSeconds,
    textractEndpoint: c.textractEndpoint ?? `https://textract.${c.region}.amazonaws.com`,
    rekognitionEndpoint: c.rekognitionEndpoint ?? `https://rekognition.${c.region}.amazonaws.com`,
    upstreamTimeoutMs: c.upstreamTimeoutMs,
    webhookTimeoutMs: c.webhookTimeoutMs,
    webhookRetryHours: c.webhookRetryHours,
    webhookAllowPrivateTargets: c.webhookAllowPrivateTargets,
    eventRetentionHours: c.eventRetentionHours,
    metricsToken: c.metricsToken,
    metricsListen: c.metricsListen,
    logFormat: c.logFormat,
    trustedProxies: c.trustedProxies,
    s3MaxObjectBytes: c.s3MaxObjectBytes,
    objectStore: c.objectStore,
    s3Endpoint: c.s3Endpoint,
    s3Region: c.s3Region ?? c.region,
    s3ForcePathStyle: c.s3ForcePathStyle,
    s3AccessKeyId: c.s3AccessKeyId,
    s3SecretAccessKey: c.s3SecretAccessKey,
  };
}

function readConfigFile(path: string | undefined, cwd: string): Record<string, unknown> {
  const file = resolve(cwd, path ?? 'tandem.config.json');
  if (!existsSync(file)) {
    if (path) throw new ConfigError(`Invalid configuration: config file ${file} does not exist`);
    return {};
  }
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`Invalid configuration: ${file} is not a JSON object (${(error as Error).message})`);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
