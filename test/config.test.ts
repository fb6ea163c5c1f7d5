/**
 * loadConfig: defaults, precedence (flag > env > config file > default), the config file's
 * location, and one ConfigError line naming the setting for each invalid value.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig, type ConfigFlags, type TandemConfig } from '../src/config.js';

let cwd: string;
/** A directory with no tandem.config.json. */
let empty: string;

before(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'tandem-config-'));
  empty = await mkdtemp(join(tmpdir(), 'tandem-config-empty-'));
});
after(async () => {
  await rm(cwd, { recursive: true, force: true });
  await rm(empty, { recursive: true, force: true });
});

async function writeConfigFile(contents: unknown, name = 'tandem.config.json'): Promise<string> {
  const file = join(cwd, name);
  await writeFile(file, typeof contents === 'string' ? contents : JSON.stringify(contents));
  return file;
}

/** loadConfig must throw a one-line ConfigError; returns its message. */
function configError(flags: ConfigFlags, env: NodeJS.ProcessEnv, dir = empty): string {
  let message = '';
  assert.throws(
    () => loadConfig(flags, env, dir),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      message = error.message;
      return true;
    },
  );
  assert.doesNotMatch(message, /\n/, 'one line');
  assert.match(message, /^Invalid configuration: /);
  return message;
}

describe('defaults', () => {
  test('with no flags, no environment and no config file', () => {
    const config = loadConfig({}, {}, empty);
    assert.deepEqual(config, {
      host: '127.0.0.1',
      port: 8080,
      dataDir: join(empty, 'data'),
      databaseUrl: undefined,
      region: 'us-east-1',
      accountId: undefined,
      accessKeyId: undefined,
      secretAccessKey: undefined,
      masterKey: undefined,
      outputDir: join(empty, 'data', 'output'),
      publicUrl: 'http://127.0.0.1:8080',
      logLevel: 'info',
      seedDemo: true,
      processes: 1,
      oidcIssuer: undefined,
      oidcClientId: undefined,
      oidcClientSecret: undefined,
      oidcGroupsClaim: 'sagemaker:groups',
      oidcScopes: 'openid email profile',
      oidcAdminGroup: undefined,
      oidcViewerGroup: undefined,
      retentionDays: undefined,
      sqliteSynchronous: 'normal',
      leaseIdleTimeoutSeconds: 300,
      buckets: {},
      outputDeadlineSeconds: 3600,
      textractEndpoint: 'https://textract.us-east-1.amazonaws.com',
      rekognitionEndpoint: 'https://rekognition.us-east-1.amazonaws.com',
      upstreamTimeoutMs: 30000,
      webhookTimeoutMs: 10_000,
      webhookRetryHours: 24,
      webhookAllowPrivateTargets: false,
      eventRetentionHours: 72,
      metricsToken: undefined,
      metricsListen: undefined,
      logFormat: 'auto',
      trustedProxies: [],
      s3MaxObjectBytes: 5 * 1024 ** 3,
      objectStore: 'local',
      s3Endpoint: undefined,
      s3Region: 'us-east-1',
      s3ForcePathStyle: false,
      s3AccessKeyId: undefined,
      s3SecretAccessKey: undefined,
    } satisfies TandemConfig);
  });

  test('webhook and event settings come from the environment and are checked', () => {
    const config = loadConfig(
      {},
      {
        TANDEM_WEBHOOK_TIMEOUT_MS: '2500',
        TANDEM_WEBHOOK_RETRY_HOURS: '48',
        TANDEM_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        TANDEM_EVENT_RETENTION_HOURS: '6',
      },
      empty,
    );
    assert.equal(config.webhookTimeoutMs, 2500);
    assert.equal(config.webhookRetryHours, 48);
    assert.equal(config.webhookAllowPrivateTargets, true);
    assert.equal(config.eventRetentionHours, 6);
    assert.throws(() => loadConfig({}, { TANDEM_WEBHOOK_RETRY_HOURS: '2' }, empty), /TANDEM_WEBHOOK_RETRY_HOURS must be a whole number of hours from 24 to 720/);
    assert.throws(() => loadConfig({}, { TANDEM_WEBHOOK_TIMEOUT_MS: 'soon' }, empty), /TANDEM_WEBHOOK_TIMEOUT_MS must be a whole number of milliseconds/);
    assert.throws(() => loadConfig({}, { TANDEM_EVENT_RETENTION_HOURS: '0' }, empty), /TANDEM_EVENT_RETENTION_HOURS/);
  });

  test('TANDEM_S3_MAX_OBJECT_BYTES: a whole number of bytes', () => {
    assert.equal(loadConfig({}, { TANDEM_S3_MAX_OBJECT_BYTES: '1048576' }, empty).s3MaxObjectBytes, 1_048_576);
    for (const bad of ['0', '-1', '1e9', 'lots']) {
      assert.match(configError({}, { TANDEM_S3_MAX_OBJECT_BYTES: bad }), /TANDEM_S3_MAX_OBJECT_BYTES.*whole number of bytes/, bad);
    }
  });

  test('external object store: TANDEM_OBJECT_STORE, endpoint, region, path style and credentials are checked', () => {
    const config = loadConfig(
      {},
      {
        TANDEM_OBJECT_STORE: 'S3',
        TANDEM_S3_ENDPOINT: 'http://minio.internal:9000/',
        TANDEM_S3_REGION: 'eu-west-3',
        TANDEM_S3_FORCE_PATH_STYLE: 'true',
        TANDEM_S3_ACCESS_KEY_ID: 'minio-key',
        TANDEM_S3_SECRET_ACCESS_KEY: 'minio-secret',
      },
      empty,
    );
    assert.equal(config.objectStore, 's3');
    assert.equal(config.s3Endpoint, 'http://minio.internal:9000');
    assert.equal(config.s3Region, 'eu-west-3');
    assert.equal(config.s3ForcePathStyle, true);
    assert.equal(config.s3AccessKeyId, 'minio-key');
    // The store's region follows Tandem's unless set; R2's `auto` is a region name too.
    assert.equal(loadConfig({}, { TANDEM_REGION: 'ap-south-1', TANDEM_OBJECT_STORE: 's3' }, empty).s3Region, 'ap-south-1');
    assert.equal(loadConfig({}, { TANDEM_S3_REGION: 'auto' }, empty).s3Region, 'auto');
    assert.match(configError({}, { TANDEM_OBJECT_STORE: 'minio' }), /TANDEM_OBJECT_STORE must be local or s3/);
    for (const bad of ['minio:9000', 'ftp://minio', 'http://minio:9000/some/path', 'http://minio?x=1']) {
      assert.match(configError({}, { TANDEM_S3_ENDPOINT: bad }), /TANDEM_S3_ENDPOINT must be an http\(s\) URL without a path/, bad);
    }
    assert.match(configError({}, { TANDEM_S3_FORCE_PATH_STYLE: 'maybe' }), /TANDEM_S3_FORCE_PATH_STYLE must be true or false/);
    assert.match(configError({}, { TANDEM_S3_ACCESS_KEY_ID: 'only-the-id' }), /TANDEM_S3_ACCESS_KEY_ID and TANDEM_S3_SECRET_ACCESS_KEY must be set together/);
  });

  test('the public URL follows host and port; a wildcard host is reached at 127.0.0.1, IPv6 in brackets', () => {
    assert.equal(loadConfig({ host: '0.0.0.0', port: '9100' }, {}, empty).publicUrl, 'http://127.0.0.1:9100');
    assert.equal(loadConfig({ host: '::' }, {}, empty).publicUrl, 'http://127.0.0.1:8080');
    assert.equal(loadConfig({ host: '::1' }, {}, empty).publicUrl, 'http://[::1]:8080');
    assert.equal(loadConfig({ host: 'tandem.local' }, {}, empty).publicUrl, 'http://tandem.local:8080');
    assert.equal(loadConfig({}, { TANDEM_PUBLIC_URL: 'https://review.example.com///' }, empty).publicUrl, 'https://review.example.com');
  });

  test('relative directories resolve against the working directory; output follows the data dir', () => {
    const config = loadConfig({ dataDir: 'var/tandem' }, {}, empty);
    assert.equal(config.dataDir, join(empty, 'var', 'tandem'));
    assert.equal(config.outputDir, join(empty, 'var', 'tandem', 'output'));
    assert.equal(loadConfig({ outputDir: 'out' }, {}, empty).outputDir, join(empty, 'out'));
    assert.equal(loadConfig({ outputDir: '/srv/out' }, {}, empty).outputDir, '/srv/out');
  });

  test('seedDemo takes true/false, 1/0 and yes/no', () => {
    for (const [text, value] of [['true', true], ['1', true], ['yes', true], ['false', false], ['0', false], ['no', false]] as const) {
      assert.equal(loadConfig({}, { TANDEM_SEED_DEMO: text }, empty).seedDemo, value, text);
    }
    assert.equal(loadConfig({ seedDemo: false }, {}, empty).seedDemo, false);
  });

  test('processes: a count from 1 to 64, or auto for one per core', () => {
    assert.equal(loadConfig({ processes: '4' }, {}, empty).processes, 4);
    assert.equal(loadConfig({}, { TANDEM_PROCESSES: 'auto' }, empty).processes, availableParallelism());
    for (const bad of ['0', '65', '1.5', 'two', '-1', ' ']) {
      assert.equal(
        configError({ processes: bad }, {}),
        'Invalid configuration: TANDEM_PROCESSES (--processes) must be auto or a whole number from 1 to 64',
        bad,
      );
    }
  });
});

describe('precedence: flag > environment > config file > default', () => {
  const settings: Array<{ flag: keyof ConfigFlags; env: string; values: [string, string, string]; read: (c: TandemConfig) => unknown; expect?: (v: string) => unknown }> = [
    { flag: 'host', env: 'TANDEM_HOST', values: ['10.0.0.1', '10.0.0.2', '10.0.0.3'], read: (c) => c.host },
    { flag: 'port', env: 'TANDEM_PORT', values: ['9001', '9002', '9003'], read: (c) => c.port, expect: Number },
    { flag: 'region', env: 'TANDEM_REGION', values: ['eu-west-1', 'eu-west-2', 'eu-west-3'], read: (c) => c.region },
    { flag: 'accountId', env: 'TANDEM_ACCOUNT_ID', values: ['111111111111', '222222222222', '333333333333'], read: (c) => c.accountId },
    { flag: 'logLevel', env: 'TANDEM_LOG_LEVEL', values: ['debug', 'warn', 'error'], read: (c) => c.logLevel },
    {
      flag: 'databaseUrl',
      env: 'TANDEM_DATABASE_URL',
      values: ['postgres://flag/db', 'postgres://env/db', 'postgresql://file/db'],
      read: (c) => c.databaseUrl,
    },
    {
      flag: 'publicUrl',
      env: 'TANDEM_PUBLIC_URL',
      values: ['http://flag.example', 'http://env.example', 'http://file.example'],
      read: (c) => c.publicUrl,
    },
    { flag: 'processes', env: 'TANDEM_PROCESSES', values: ['3', '2', '5'], read: (c) => c.processes, expect: Number },
    { flag: 'seedDemo', env: 'TANDEM_SEED_DEMO', values: ['false', 'true', 'false'], read: (c) => c.seedDemo, expect: (v) => v === 'true' },
  ];

  for (const setting of settings) {
    test(`${String(setting.flag)} (${setting.env})`, async () => {
      const [flagValue, envValue, fileValue] = setting.values;
      const dir = await mkdtemp(join(tmpdir(), 'tandem-config-precedence-'));
      try {
        await writeFile(join(dir, 'tandem.config.json'), JSON.stringify({ [setting.flag]: fileValue }));
        const expect = setting.expect ?? ((v: string) => v);
        assert.equal(setting.read(loadConfig({ [setting.flag]: flagValue }, { [setting.env]: envValue }, dir)), expect(flagValue), 'flag wins');
        assert.equal(setting.read(loadConfig({}, { [setting.env]: envValue }, dir)), expect(envValue), 'env beats file');
        assert.equal(setting.read(loadConfig({}, {}, dir)), expect(fileValue), 'file beats default');
        // An empty environment variable counts as unset.
        assert.equal(setting.read(loadConfig({}, { [setting.env]: '' }, dir)), expect(fileValue), 'empty env is unset');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  test('a config file holds typed JSON values too (numbers, booleans)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tandem-config-typed-'));
    try {
      await writeFile(join(dir, 'tandem.config.json'), JSON.stringify({ port: 7007, seedDemo: false }));
      const config = loadConfig({}, {}, dir);
      assert.equal(config.port, 7007);
      assert.equal(config.seedDemo, false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('trusted proxies', () => {
  test('TANDEM_TRUSTED_PROXIES: comma-separated addresses, CIDR ranges and named ranges; an array in the file', async () => {
    assert.deepEqual(loadConfig({}, { TANDEM_TRUSTED_PROXIES: ' 127.0.0.1, 10.0.0.0/8,::1,fd00::/8 ,loopback' }, empty).trustedProxies, [
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'tandem-config-'));
    await writeFile(join(dir, 'tandem.config.json'), JSON.stringify({ trustedProxies: ['192.168.1.10'] }));
    assert.deepEqual(loadConfig({}, {}, dir).trustedProxies, ['192.168.1.10']);
  });

  test('anything else is one line naming the setting', () => {
    for (const value of ['proxy.example.com', '10.0.0.0/33', '10.0.0.1/8/1', '300.1.1.1']) {
      assert.throws(() => loadConfig({}, { TANDEM_TRUSTED_PROXIES: value }, empty), /Invalid configuration: TANDEM_TRUSTED_PROXIES must be addresses or CIDR ranges/);
    }
  });
});

describe('the config file', () => {
  test('TANDEM_CONFIG or --config names it (relative to the working directory); the flag wins', async () => {
    await writeConfigFile({ region: 'ap-south-1' }, 'from-env.json');
    await writeConfigFile({ region: 'sa-east-1' }, 'from-flag.json');
    assert.equal(loadConfig({}, { TANDEM_CONFIG: 'from-env.json' }, cwd).region, 'ap-south-1');
    assert.equal(loadConfig({ config: 'from-flag.json' }, { TANDEM_CONFIG: 'from-env.json' }, cwd).region, 'sa-east-1');
    assert.equal(loadConfig({ config: join(cwd, 'from-flag.json') }, {}, empty).region, 'sa-east-1');
  });

  test('a named file that does not exist is an error; a missing default file is not', () => {
    assert.match(configError({ config: 'nope.json' }, {}), /config file .*nope\.json does not exist$/);
    assert.match(configError({}, { TANDEM_CONFIG: 'nope.json' }), /nope\.json does not exist$/);
    assert.doesNotThrow(() => loadConfig({}, {}, empty));
  });

  test('a file that is not a JSON object is an error naming the file', async () => {
    for (const [name, contents] of [['broken.json', '{"port": '], ['array.json', '[1, 2]'], ['null.json', 'null'], ['string.json', '"x"']]) {
      await writeConfigFile(contents!, name);
      assert.match(configError({ config: name! }, {}, cwd), new RegExp(`${name!.replace('.', '\\.')} is not a JSON object`));
    }
  });

  test('an invalid value in the file is reported like any other', async () => {
    await writeConfigFile({ port: 'eighty' }, 'bad-port.json');
    assert.equal(configError({ config: 'bad-port.json' }, {}, cwd), 'Invalid configuration: TANDEM_PORT (--port) must be a port number from 0 to 65535');
    await writeConfigFile({ port: null }, 'null-port.json');
    assert.match(configError({ config: 'null-port.json' }, {}, cwd), /TANDEM_PORT \(--port\)/);
  });
});

describe('invalid settings: one line naming the setting', () => {
  const cases: Array<[string, NodeJS.ProcessEnv, RegExp]> = [
    ['port: letters', { TANDEM_PORT: 'abc' }, /^Invalid configuration: TANDEM_PORT \(--port\) must be a port number from 0 to 65535$/],
    ['port: too large', { TANDEM_PORT: '65536' }, /TANDEM_PORT \(--port\)/],
    ['port: negative', { TANDEM_PORT: '-1' }, /TANDEM_PORT \(--port\)/],
    ['port: fraction', { TANDEM_PORT: '80.5' }, /TANDEM_PORT \(--port\)/],
    ['port: blank (not a silent random port)', { TANDEM_PORT: ' ' }, /TANDEM_PORT \(--port\)/],
    ['port: hex', { TANDEM_PORT: '0x1F90' }, /TANDEM_PORT \(--port\)/],
    ['port: exponent', { TANDEM_PORT: '8e3' }, /TANDEM_PORT \(--port\)/],
    ['database URL', { TANDEM_DATABASE_URL: 'mysql://localhost/tandem' }, /^Invalid configuration: TANDEM_DATABASE_URL \(--database-url\) must be a postgres:\/\/ URL$/],
    ['region', { TANDEM_REGION: 'Mars' }, /^Invalid configuration: TANDEM_REGION \(--region\) must look like us-east-1$/],
    ['account id', { TANDEM_ACCOUNT_ID: '12345' }, /^Invalid configuration: TANDEM_ACCOUNT_ID \(--account-id\) must be 12 digits$/],
    [
      'access key id',
      { TANDEM_ACCESS_KEY_ID: 'short', TANDEM_SECRET_ACCESS_KEY: 'a-long-enough-secret-value' },
      /^Invalid configuration: TANDEM_ACCESS_KEY_ID \(--access-key-id\) must be 16-128 letters and digits$/,
    ],
    [
      'secret access key',
      { TANDEM_ACCESS_KEY_ID: 'TNDMABCDEFGHIJKLMNOP', TANDEM_SECRET_ACCESS_KEY: 'short' },
      /^Invalid configuration: TANDEM_SECRET_ACCESS_KEY \(--secret-access-key\) must be at least 16 characters$/,
    ],
    ['master key', { TANDEM_MASTER_KEY: 'not-a-key' }, /^Invalid configuration: TANDEM_MASTER_KEY \(--master-key\) must be a 32-byte key/],
    ['master key: 31 bytes', { TANDEM_MASTER_KEY: 'ab'.repeat(31) }, /TANDEM_MASTER_KEY \(--master-key\)/],
    ['public URL', { TANDEM_PUBLIC_URL: 'not a url' }, /^Invalid configuration: TANDEM_PUBLIC_URL \(--public-url\) must be an http\(s\) URL/],
    ['public URL: not http', { TANDEM_PUBLIC_URL: 'ftp://files.example.com' }, /TANDEM_PUBLIC_URL \(--public-url\)/],
    ['log level', { TANDEM_LOG_LEVEL: 'verbose' }, /^Invalid configuration: TANDEM_LOG_LEVEL \(--log-level\) /],
    ['seed demo', { TANDEM_SEED_DEMO: 'maybe' }, /^Invalid configuration: TANDEM_SEED_DEMO \(--seed-demo\) must be true or false$/],
  ];
  for (const [name, env, expected] of cases) {
    test(name, () => {
      assert.match(configError({}, env), expected);
    });
  }

  test('empty flag values are invalid, not defaults', () => {
    assert.match(configError({ host: '' }, {}), /^Invalid configuration: TANDEM_HOST \(--host\) /);
    assert.match(configError({ dataDir: '' }, {}), /^Invalid configuration: TANDEM_DATA_DIR \(--data-dir\) /);
    assert.match(configError({ port: '' }, {}), /TANDEM_PORT \(--port\)/);
  });

  test('a flag overriding a bad environment value makes the configuration valid', () => {
    assert.equal(loadConfig({ port: '9009' }, { TANDEM_PORT: 'abc' }, empty).port, 9009);
  });

  test('valid master keys: 64 hex digits or base64 of 32 bytes', () => {
    const hex = 'ab'.repeat(32);
    const base64 = Buffer.alloc(32, 7).toString('base64');
    assert.equal(loadConfig({}, { TANDEM_MASTER_KEY: hex }, empty).masterKey, hex);
    assert.equal(loadConfig({}, { TANDEM_MASTER_KEY: base64 }, empty).masterKey, base64);
  });
});

describe('upstream AI services (proxy mode)', () => {
  test('endpoints follow the region unless set; a trailing slash is dropped', () => {
    const config = loadConfig({}, { TANDEM_REGION: 'eu-west-1' }, empty);
    assert.equal(config.textractEndpoint, 'https://textract.eu-west-1.amazonaws.com');
    assert.equal(config.rekognitionEndpoint, 'https://rekognition.eu-west-1.amazonaws.com');
    const local = loadConfig({}, { TANDEM_TEXTRACT_ENDPOINT: 'http://127.0.0.1:9000/', TANDEM_REKOGNITION_ENDPOINT: 'http://ocr.internal:8443/rekognition', TANDEM_UPSTREAM_TIMEOUT_MS: '2500' }, empty);
    assert.equal(local.textractEndpoint, 'http://127.0.0.1:9000');
    assert.equal(local.rekognitionEndpoint, 'http://ocr.internal:8443/rekognition');
    assert.equal(local.upstreamTimeoutMs, 2500);
  });

  test('bad endpoints and timeouts are one line naming the variable', () => {
    assert.match(configError({}, { TANDEM_TEXTRACT_ENDPOINT: 'textract.local' }), /^Invalid configuration: TANDEM_TEXTRACT_ENDPOINT must be an http\(s\) URL/);
    assert.match(configError({}, { TANDEM_REKOGNITION_ENDPOINT: 'ftp://x.example' }), /^Invalid configuration: TANDEM_REKOGNITION_ENDPOINT must be an http\(s\) URL/);
    assert.match(configError({}, { TANDEM_TEXTRACT_ENDPOINT: 'http://x.example/?a=1' }), /TANDEM_TEXTRACT_ENDPOINT/);
    for (const value of ['abc', '99', '600001', '1.5']) {
      assert.match(configError({}, { TANDEM_UPSTREAM_TIMEOUT_MS: value }), /^Invalid configuration: TANDEM_UPSTREAM_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000$/);
    }
  });
});

describe('the root access key', () => {
  test('an access key id without its secret is rejected', () => {
    assert.equal(
      configError({}, { TANDEM_ACCESS_KEY_ID: 'TNDMABCDEFGHIJKLMNOP' }),
      'Invalid configuration: TANDEM_ACCESS_KEY_ID and TANDEM_SECRET_ACCESS_KEY must be set together',
    );
    assert.match(configError({ accessKeyId: 'TNDMABCDEFGHIJKLMNOP' }, {}), /must be set together$/);
  });

  test('a secret without its access key id is rejected', () => {
    assert.match(configError({}, { TANDEM_SECRET_ACCESS_KEY: 'a-long-enough-secret-value' }), /must be set together$/);
  });

  test('both together are accepted, from any mix of sources', () => {
    const config = loadConfig({ accessKeyId: 'TNDMABCDEFGHIJKLMNOP' }, { TANDEM_SECRET_ACCESS_KEY: 'a-long-enough-secret-value' }, empty);
    assert.equal(config.accessKeyId, 'TNDMABCDEFGHIJKLMNOP');
    assert.equal(config.secretAccessKey, 'a-long-enough-secret-value');
  });
});

describe('metrics and log settings', () => {
  test('TANDEM_METRICS_LISTEN is host:port (IPv6 in brackets); TANDEM_METRICS_TOKEN at least 16 characters; TANDEM_LOG_FORMAT json, pretty or auto', () => {
    const config = loadConfig({}, { TANDEM_METRICS_LISTEN: '127.0.0.1:9464', TANDEM_METRICS_TOKEN: 'a-metrics-token-of-length', TANDEM_LOG_FORMAT: 'JSON' }, empty);
    assert.deepEqual(config.metricsListen, { host: '127.0.0.1', port: 9464 });
    assert.equal(config.metricsToken, 'a-metrics-token-of-length');
    assert.equal(config.logFormat, 'json');
    assert.deepEqual(loadConfig({}, { TANDEM_METRICS_LISTEN: '[::1]:0' }, empty).metricsListen, { host: '::1', port: 0 });
    assert.equal(configError({}, { TANDEM_METRICS_LISTEN: '9464' }), 'Invalid configuration: TANDEM_METRICS_LISTEN must be host:port, e.g. 127.0.0.1:9464');
    assert.equal(configError({}, { TANDEM_METRICS_LISTEN: 'localhost:70000' }), 'Invalid configuration: TANDEM_METRICS_LISTEN must be host:port, e.g. 127.0.0.1:9464');
    assert.equal(configError({}, { TANDEM_METRICS_TOKEN: 'short' }), 'Invalid configuration: TANDEM_METRICS_TOKEN must be at least 16 characters');
    assert.equal(configError({}, { TANDEM_LOG_FORMAT: 'xml' }), 'Invalid configuration: TANDEM_LOG_FORMAT must be json, pretty or auto');
  });
});
