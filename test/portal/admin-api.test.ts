import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createAccessKey } from '../../src/security/access-keys.js';
import { ensureAccount } from '../../src/store/accounts.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { openPortalHarness, postForm, type PortalHarness } from './portal-harness.js';

interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}

for (const dialect of DIALECTS) {
  describe(`admin API for workers (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let h: PortalHarness;
    let key: Key;

    /** A SigV4-signed request through app.inject, signed at the harness clock's time. */
    async function admin(method: string, path: string, body?: unknown, signWith: Key = key, service = 'tandem') {
      const payload = body === undefined ? '' : JSON.stringify(body);
      const request = new HttpRequest({
        method,
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: 8080,
        path,
        headers: { host: '127.0.0.1:8080', ...(payload ? { 'content-type': 'application/json' } : {}) },
        body: payload,
      });
      const signer = new SignatureV4({ credentials: signWith, region: 'us-east-1', service, sha256: Sha256 });
      const signed = await signer.sign(request, { signingDate: new Date(h.resources.clock.now()) });
      return h.app.inject({ method: method as 'GET', url: path, headers: signed.headers, payload: payload || undefined });
    }

    before(async () => {
      h = await openPortalHarness(dialect);
      const created = await createAccessKey(h.resources, h.resources.caller.accountId);
      key = { accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey };
    });
    after(() => h?.close());

    test('unsigned or badly signed requests get 403 with an AWS error', async () => {
      const unsigned = await h.app.inject({ method: 'GET', url: '/admin/workers' });
      assert.equal(unsigned.statusCode, 403);
      assert.equal(unsigned.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
      const unsignedPost = await h.app.inject({
        method: 'POST',
        url: '/admin/workers',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: 'x@example.com', teams: [h.team] }),
      });
      assert.equal(unsignedPost.statusCode, 403);
      const wrongSecret = await admin('GET', '/admin/workers', undefined, { ...key, secretAccessKey: 'not-the-secret-0123456789' });
      assert.equal(wrongSecret.statusCode, 403);
      assert.equal(wrongSecret.headers['x-amzn-errortype'], 'InvalidSignatureException');
      const wrongService = await admin('GET', '/admin/workers', undefined, key, 'sqs'); // (signed for s3: Tandem's S3 API)
      assert.equal(wrongService.statusCode, 403);
      assert.equal((await h.resources.store.db.selectFrom('workers').selectAll().execute()).length, 0);
    });

    test('add a worker, list, deactivate, activate; the invite link works in the portal', async () => {
      const added = await admin('POST', '/admin/workers', { email: 'Jo@Example.com', teams: [h.team], name: 'Jo' });
      assert.equal(added.statusCode, 201, added.body);
      const { workerId, inviteUrl, worker } = added.json();
      assert.match(workerId, /^[0-9a-f]{16}$/);
      assert.match(inviteUrl, /^http:\/\/127\.0\.0\.1:8080\/portal\/invite\/[A-Za-z0-9_-]{43}$/);
      assert.deepEqual({ email: worker.email, teams: worker.teams, status: worker.status, passwordSet: worker.passwordSet }, {
        email: 'jo@example.com',
        teams: [h.team],
        status: 'active',
        passwordSet: false,
      });

      const listed = await admin('GET', '/admin/workers');
      assert.equal(listed.statusCode, 200);
      assert.deepEqual(listed.json().workers.map((w: { email: string }) => w.email), ['jo@example.com']);

      const accepted = await postForm(h.app, new URL(inviteUrl).pathname, { password: 'jo password 123', confirm: 'jo password 123' });
      assert.equal(accepted.statusCode, 303);

      const deactivated = await admin('POST', `/admin/workers/${workerId}/deactivate`);
      assert.equal(deactivated.statusCode, 200);
      assert.deepEqual(deactivated.json(), { workerId, status: 'inactive', releasedLeases: 0 });
      assert.equal((await postForm(h.app, '/portal/sign-in', { email: 'jo@example.com', password: 'jo password 123' })).statusCode, 403);

      const activated = await admin('POST', `/admin/workers/${workerId}/activate`);
      assert.deepEqual(activated.json(), { workerId, status: 'active' });
      assert.equal((await postForm(h.app, '/portal/sign-in', { email: 'jo@example.com', password: 'jo password 123' })).statusCode, 303);
    });

    test('refusals are AWS-shaped: duplicate email 409, unknown team 404, bad JSON 400, unknown worker 404', async () => {
      const duplicate = await admin('POST', '/admin/workers', { email: 'jo@example.com', teams: [h.team] });
      assert.equal(duplicate.statusCode, 409);
      assert.match(duplicate.json().message, /already exists/);
      const noTeam = await admin('POST', '/admin/workers', { email: 'kim@example.com', teams: ['no-such-team'] });
      assert.equal(noTeam.statusCode, 404);
      assert.match(noTeam.json().message, /No work team named 'no-such-team'/);
      const badEmail = await admin('POST', '/admin/workers', { email: 'not an email', teams: [h.team] });
      assert.equal(badEmail.statusCode, 400);
      assert.equal(badEmail.headers['x-amzn-errortype'], 'ValidationException');
      const missing = await admin('POST', '/admin/workers/0000000000000000/deactivate');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.headers['x-amzn-errortype'], 'ResourceNotFoundException');
    });

    test("another account's key sees none of this account's workers", async () => {
      await ensureAccount(h.resources.store.db, '444455556666', h.resources.clock.now());
      const other = await createAccessKey(h.resources, '444455556666');
      const otherKey = { accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey };
      const listed = await admin('GET', '/admin/workers', undefined, otherKey);
      assert.deepEqual(listed.json(), { workers: [] });
      const mine = (await admin('GET', '/admin/workers')).json().workers[0].workerId as string;
      assert.equal((await admin('POST', `/admin/workers/${mine}/deactivate`, undefined, otherKey)).statusCode, 404);
    });

    test('teams can be replaced', async () => {
      const mine = (await admin('GET', '/admin/workers')).json().workers[0].workerId as string;
      const cleared = await admin('PUT', `/admin/workers/${mine}/teams`, { teams: [] });
      assert.equal(cleared.statusCode, 200, cleared.body);
      assert.deepEqual(cleared.json().teams, []);
      const restored = await admin('PUT', `/admin/workers/${mine}/teams`, { teams: [h.team] });
      assert.deepEqual(restored.json().teams, [h.team]);
    });
  });
}
