/**
 * The single-sign-on settings of loadConfig: defaults, sources, and one-line errors. (The rest
 * of the configuration is covered by config.test.ts.)
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';

let empty: string;
before(async () => {
  empty = await mkdtemp(join(tmpdir(), 'tandem-config-oidc-'));
});
after(() => rm(empty, { recursive: true, force: true }));

function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig({}, env, empty);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.doesNotMatch(error.message, /\n/);
    return error.message;
  }
  assert.fail('loadConfig accepted the configuration');
}

const ISSUER = { TANDEM_OIDC_ISSUER: 'https://login.example.com/realms/review', TANDEM_OIDC_CLIENT_ID: 'tandem' };

describe('single sign-on settings', () => {
  test('off by default; the groups claim and scopes have A2I-style defaults', () => {
    const config = loadConfig({}, {}, empty);
    assert.equal(config.oidcIssuer, undefined);
    assert.equal(config.oidcClientId, undefined);
    assert.equal(config.oidcClientSecret, undefined);
    assert.equal(config.oidcGroupsClaim, 'sagemaker:groups');
    assert.equal(config.oidcScopes, 'openid email profile');
  });

  test('from the environment, the config file or programmatic flags; the issuer is kept exactly as given', async () => {
    const config = loadConfig({}, { ...ISSUER, TANDEM_OIDC_CLIENT_SECRET: 's3cret', TANDEM_OIDC_GROUPS_CLAIM: 'groups', TANDEM_OIDC_SCOPES: '  openid   email groups ' }, empty);
    assert.equal(config.oidcIssuer, 'https://login.example.com/realms/review');
    assert.equal(config.oidcClientId, 'tandem');
    assert.equal(config.oidcClientSecret, 's3cret');
    assert.equal(config.oidcGroupsClaim, 'groups');
    assert.equal(config.oidcScopes, 'openid email groups');
    // A trailing slash is part of some issuers' identifiers (the ID token's iss must match it).
    assert.equal(loadConfig({ oidcIssuer: 'https://tenant.example.com/', oidcClientId: 'c' }, {}, empty).oidcIssuer, 'https://tenant.example.com/');
    const dir = await mkdtemp(join(tmpdir(), 'tandem-config-oidc-file-'));
    try {
      await writeFile(join(dir, 'tandem.config.json'), JSON.stringify({ oidcIssuer: 'http://127.0.0.1:9000', oidcClientId: 'from-file' }));
      const fromFile = loadConfig({}, {}, dir);
      assert.equal(fromFile.oidcIssuer, 'http://127.0.0.1:9000');
      assert.equal(loadConfig({}, { TANDEM_OIDC_CLIENT_ID: 'from-env' }, dir).oidcClientId, 'from-env', 'env beats file');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('an issuer and a client id go together', () => {
    const together = 'Invalid configuration: TANDEM_OIDC_ISSUER and TANDEM_OIDC_CLIENT_ID must be set together';
    assert.equal(configError({ TANDEM_OIDC_ISSUER: ISSUER.TANDEM_OIDC_ISSUER }), together);
    assert.equal(configError({ TANDEM_OIDC_CLIENT_ID: 'tandem' }), together);
  });

  test('bad values: one line naming the variable (these settings have no command-line flag)', () => {
    assert.equal(configError({ ...ISSUER, TANDEM_OIDC_ISSUER: 'login.example.com' }), 'Invalid configuration: TANDEM_OIDC_ISSUER must be an http(s) URL such as https://login.example.com');
    assert.match(configError({ ...ISSUER, TANDEM_OIDC_ISSUER: 'ftp://login.example.com' }), /^Invalid configuration: TANDEM_OIDC_ISSUER must be an http\(s\) URL/);
    assert.equal(configError({ ...ISSUER, TANDEM_OIDC_SCOPES: 'email profile' }), 'Invalid configuration: TANDEM_OIDC_SCOPES must include openid');
    assert.equal(configError({ ...ISSUER, TANDEM_OIDC_GROUPS_CLAIM: '   ' }), 'Invalid configuration: TANDEM_OIDC_GROUPS_CLAIM must name a claim');
  });
});
