/**
 * SigV4 verification against canonical requests written out by hand: each case states the
 * canonical form AWS defines for a raw request, and only the key derivation and HMAC come from
 * @smithy/signature-v4. verifySigV4 has a fast path for the usual request (plain path, empty
 * query, header values without whitespace runs, the usual Authorization layout) and caches
 * (signing keys, the last date, the last SignedHeaders list); every case here also takes the
 * general path, or checks that a cached value is not reused where it must not be.
 */
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { AuthenticationError, type AuthenticationFailure } from '../../src/api/aws/errors.js';
import {
  verifySigV4,
  type IncomingSignedRequest,
  type SigningIdentity,
  type SigningKeyLookup,
} from '../../src/api/aws/sigv4.js';

const KEY: SigningIdentity = {
  accessKeyId: 'AKIATANDEMCANONICAL1',
  accountId: '123456789012',
  secretAccessKey: 'canonical/test+secret/0123456789abcdefghij',
};
const AMZ_DATE = '20260101T000000Z';
const SCOPE = '20260101/us-east-1/sagemaker/aws4_request';
const NOW = new Date('2026-01-01T00:00:05Z');
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const lookup: SigningKeyLookup = async (accessKeyId) => (accessKeyId === KEY.accessKeyId ? KEY : undefined);

interface HandSignedRequest {
  method?: string;
  rawPath: string;
  rawQuery?: string;
  /** Besides host and x-amz-date, which every case signs. */
  headers?: Record<string, string | string[]>;
  body?: string;
  /** What AWS signs for `rawPath`, `rawQuery` and the headers. */
  canonicalUri: string;
  canonicalQuery?: string;
  /** `name:value\n` lines in SignedHeaders order. */
  canonicalHeaders: string;
  signedHeaders: string;
  secretAccessKey?: string;
  /** The Authorization header from its parts; the SDKs' layout when absent. */
  authorization?: (credential: string, signedHeaders: string, signature: string) => string;
}

async function signature(canonicalRequest: string, secretAccessKey = KEY.secretAccessKey): Promise<string> {
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    AMZ_DATE,
    SCOPE,
    createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  const signer = new SignatureV4({
    service: 'sagemaker',
    region: 'us-east-1',
    credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey },
    sha256: Sha256,
  });
  return signer.sign(stringToSign, { signingDate: new Date('2026-01-01T00:00:00Z') });
}

async function handSigned(spec: HandSignedRequest): Promise<IncomingSignedRequest> {
  const method = spec.method ?? 'GET';
  const body = spec.body ?? '';
  const canonicalRequest = [
    method,
    spec.canonicalUri,
    spec.canonicalQuery ?? '',
    spec.canonicalHeaders,
    spec.signedHeaders,
    createHash('sha256').update(body, 'utf8').digest('hex'),
  ].join('\n');
  const signed = await signature(canonicalRequest, spec.secretAccessKey);
  const credential = `${KEY.accessKeyId}/${SCOPE}`;
  const authorization =
    spec.authorization?.(credential, spec.signedHeaders, signed) ??
    `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=${spec.signedHeaders}, Signature=${signed}`;
  return {
    method,
    rawPath: spec.rawPath,
    rawQuery: spec.rawQuery ?? '',
    headers: { host: '127.0.0.1:8080', 'x-amz-date': AMZ_DATE, ...spec.headers, authorization },
    body: Buffer.from(body, 'utf8'),
  };
}

/** A GET signing only host and x-amz-date, for the path and query cases. */
function plainGet(rawPath: string, canonicalUri: string, rawQuery = '', canonicalQuery = ''): Promise<IncomingSignedRequest> {
  return handSigned({
    rawPath,
    canonicalUri,
    rawQuery,
    canonicalQuery,
    canonicalHeaders: `host:127.0.0.1:8080\nx-amz-date:${AMZ_DATE}\n`,
    signedHeaders: 'host;x-amz-date',
  });
}

async function assertRejected(
  promise: Promise<unknown>,
  code: AuthenticationFailure,
  message: string,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AuthenticationError, `expected AuthenticationError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.message, message);
    return true;
  });
}

describe('verifySigV4 canonical path', () => {
  it('signs a path of unreserved characters as sent, with or without a trailing slash', async () => {
    await verifySigV4(await plainGet('/human-loops', '/human-loops'), lookup, NOW);
    await verifySigV4(await plainGet('/human-loops/loop-1.v2~x_y/', '/human-loops/loop-1.v2~x_y/'), lookup, NOW);
    await verifySigV4(await plainGet('/', '/'), lookup, NOW);
    await verifySigV4(await plainGet('', '/'), lookup, NOW);
  });

  it('removes dot-segments and empty segments', async () => {
    await verifySigV4(await plainGet('/a/./b/../c//d/', '/a/c/d/'), lookup, NOW);
    await verifySigV4(await plainGet('//human-loops', '/human-loops'), lookup, NOW);
    await verifySigV4(await plainGet('/..', '/'), lookup, NOW);
  });

  it('keeps a segment that only starts with a dot', async () => {
    await verifySigV4(await plainGet('/.well-known/x', '/.well-known/x'), lookup, NOW);
  });

  it('encodes the already percent-encoded path once more, and every reserved or non-ASCII byte', async () => {
    await verifySigV4(await plainGet('/human-loops/a%20b%2Fc', '/human-loops/a%2520b%252Fc'), lookup, NOW);
    await verifySigV4(await plainGet('/human-loops/a+b', '/human-loops/a%2Bb'), lookup, NOW);
    await verifySigV4(await plainGet('/human-loops/a:b', '/human-loops/a%3Ab'), lookup, NOW);
    await verifySigV4(await plainGet('/human-loops/é', '/human-loops/%C3%A9'), lookup, NOW);
  });

  it('rejects a path whose canonical form differs from the one signed', async () => {
    const signedPlain = await plainGet('/human-loops/a', '/human-loops/a');
    await assertRejected(
      verifySigV4({ ...signedPlain, rawPath: '/human-loops/a%41' }, lookup, NOW),
      'InvalidSignatureException',
      SIGNATURE_MISMATCH,
    );
  });
});

describe('verifySigV4 canonical query string', () => {
  it('sorts, decodes and re-encodes parameters', async () => {
    await verifySigV4(await plainGet('/human-loops', '/human-loops', 'b=2&a=%7e+&a=1&c', 'a=1&a=~%2B&b=2&c='), lookup, NOW);
    await verifySigV4(await plainGet('/human-loops', '/human-loops', 'NextToken=a%2fb', 'NextToken=a%2Fb'), lookup, NOW);
  });

  it('rejects a query parameter added after signing', async () => {
    const request = await plainGet('/human-loops', '/human-loops');
    await assertRejected(
      verifySigV4({ ...request, rawQuery: 'MaxResults=1' }, lookup, NOW),
      'InvalidSignatureException',
      SIGNATURE_MISMATCH,
    );
  });

  it('refuses X-Amz-Algorithm in the query beside an Authorization header, written plainly or encoded', async () => {
    const message = "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.";
    for (const rawQuery of ['X-Amz-Algorithm=AWS4-HMAC-SHA256', 'a=1&X-Amz-%41lgorithm=x', 'X%2DAmz-Algorithm']) {
      const request = await plainGet('/human-loops', '/human-loops', rawQuery, '');
      await assertRejected(verifySigV4(request, lookup, NOW), 'InvalidSignatureException', message);
    }
    // A longer name, or another case, is just a parameter.
    const longer = await plainGet('/human-loops', '/human-loops', 'X-Amz-Algorithms=1&x-amz-algorithm=2', 'X-Amz-Algorithms=1&x-amz-algorithm=2');
    await verifySigV4(longer, lookup, NOW);
  });
});

describe('verifySigV4 canonical headers', () => {
  it('trims values and collapses inner whitespace runs, including single tabs and no-break spaces', async () => {
    const request = await handSigned({
      rawPath: '/human-loops',
      canonicalUri: '/human-loops',
      headers: {
        'x-runs': '  a  b \t c ',
        'x-tab': 'a\tb',
        'x-nbsp': 'a\u00a0b',
        'x-plain': 'a b c',
        'x-list': ['one', ' two  three'],
      },
      canonicalHeaders:
        `host:127.0.0.1:8080\nx-amz-date:${AMZ_DATE}\nx-list:one, two three\nx-nbsp:a b\n` +
        'x-plain:a b c\nx-runs:a b c\nx-tab:a b\n',
      signedHeaders: 'host;x-amz-date;x-list;x-nbsp;x-plain;x-runs;x-tab',
    });
    await verifySigV4(request, lookup, NOW);
  });

  it('does not reuse the previous request’s SignedHeaders list', async () => {
    const withHost = await plainGet('/human-loops', '/human-loops');
    const withoutHost = await handSigned({
      rawPath: '/human-loops',
      canonicalUri: '/human-loops',
      canonicalHeaders: `x-amz-date:${AMZ_DATE}\n`,
      signedHeaders: 'x-amz-date',
    });
    const hostMissing = "'Host' must be a 'SignedHeader' in the AWS Authorization.";
    await verifySigV4(withHost, lookup, NOW);
    await assertRejected(verifySigV4(withoutHost, lookup, NOW), 'InvalidSignatureException', hostMissing);
    await verifySigV4(withHost, lookup, NOW);
    await assertRejected(verifySigV4(withoutHost, lookup, NOW), 'InvalidSignatureException', hostMissing);
  });

  it('looks signed header names up case-insensitively but signs them as listed', async () => {
    const request = await handSigned({
      rawPath: '/human-loops',
      canonicalUri: '/human-loops',
      canonicalHeaders: `Host:127.0.0.1:8080\nX-Amz-Date:${AMZ_DATE}\n`,
      signedHeaders: 'Host;X-Amz-Date',
    });
    await verifySigV4(request, lookup, NOW);
  });
});

describe('verifySigV4 Authorization header layout', () => {
  const sign = (authorization: HandSignedRequest['authorization']) =>
    handSigned({
      rawPath: '/human-loops',
      canonicalUri: '/human-loops',
      canonicalHeaders: `host:127.0.0.1:8080\nx-amz-date:${AMZ_DATE}\n`,
      signedHeaders: 'host;x-amz-date',
      authorization,
    });

  it('accepts parameters separated by commas and/or runs of whitespace, in any order', async () => {
    await verifySigV4(await sign((c, h, s) => `AWS4-HMAC-SHA256 Credential=${c},SignedHeaders=${h},Signature=${s}`), lookup, NOW);
    await verifySigV4(await sign((c, h, s) => `AWS4-HMAC-SHA256\tCredential=${c} ,  SignedHeaders=${h}, Signature=${s}`), lookup, NOW);
    await verifySigV4(await sign((c, h, s) => `AWS4-HMAC-SHA256 Signature=${s}, Credential=${c}, SignedHeaders=${h}`), lookup, NOW);
    await verifySigV4(await sign((c, h, s) => `AWS4-HMAC-SHA256 Credential=${c}, SignedHeaders=${h}, Signature=${s}, Extra=1`), lookup, NOW);
  });

  it('takes the last of a repeated parameter', async () => {
    const wrong = '0'.repeat(64);
    await verifySigV4(await sign((c, h, s) => `AWS4-HMAC-SHA256 Credential=${c}, SignedHeaders=${h}, Signature=${wrong}, Signature=${s}`), lookup, NOW);
    await assertRejected(
      verifySigV4(await sign((c, h, s) => `AWS4-HMAC-SHA256 Credential=${c}, SignedHeaders=${h}, Signature=${s}, Signature=${wrong}`), lookup, NOW),
      'InvalidSignatureException',
      SIGNATURE_MISMATCH,
    );
  });

  it('reports an empty Credential or Signature as missing', async () => {
    const request = await sign((_c, h) => `AWS4-HMAC-SHA256 Credential=, SignedHeaders=${h}, Signature=`);
    await assertRejected(
      verifySigV4(request, lookup, NOW),
      'IncompleteSignatureException',
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        `Authorization=${String(request.headers.authorization)}`,
    );
  });

  it('compares the signature exactly: upper-case hex, a prefix or a longer value do not match', async () => {
    const request = await sign((c, h, s) => `AWS4-HMAC-SHA256 Credential=${c}, SignedHeaders=${h}, Signature=${s}`);
    const good = /Signature=([0-9a-f]{64})$/.exec(String(request.headers.authorization))?.[1] ?? '';
    for (const bad of [good.toUpperCase(), good.slice(0, 63), `${good}0`, `${good.slice(0, 63)}ǰ`]) {
      const tampered = { ...request, headers: { ...request.headers, authorization: String(request.headers.authorization).replace(good, bad) } };
      await assertRejected(verifySigV4(tampered, lookup, NOW), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    }
    await verifySigV4(request, lookup, NOW);
  });
});

describe('verifySigV4 caches', () => {
  it('does not verify with a signing key derived from a secret since rotated under the same key id', async () => {
    const rotatedSecret = 'rotated/secret+0123456789abcdefghijklmnop';
    let current = KEY.secretAccessKey;
    const rotating: SigningKeyLookup = async (accessKeyId) =>
      accessKeyId === KEY.accessKeyId ? { ...KEY, secretAccessKey: current } : undefined;
    const spec = {
      rawPath: '/human-loops',
      canonicalUri: '/human-loops',
      canonicalHeaders: `host:127.0.0.1:8080\nx-amz-date:${AMZ_DATE}\n`,
      signedHeaders: 'host;x-amz-date',
    };
    const signedWithOld = await handSigned(spec);
    const signedWithNew = await handSigned({ ...spec, secretAccessKey: rotatedSecret });

    await verifySigV4(signedWithOld, rotating, NOW);
    current = rotatedSecret;
    await assertRejected(verifySigV4(signedWithOld, rotating, NOW), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    await verifySigV4(signedWithNew, rotating, NOW);
    current = KEY.secretAccessKey;
    await assertRejected(verifySigV4(signedWithNew, rotating, NOW), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    await verifySigV4(signedWithOld, rotating, NOW);
  });

  it('does not reuse the previous request’s Credential split', async () => {
    const spec = {
      rawPath: '/human-loops',
      canonicalUri: '/human-loops',
      canonicalHeaders: `host:127.0.0.1:8080\nx-amz-date:${AMZ_DATE}\n`,
      signedHeaders: 'host;x-amz-date',
    };
    const usual = await handSigned(spec);
    // Trailing slashes are dropped before the split, and the same signing key applies.
    const trailingSlash = await handSigned({
      ...spec,
      authorization: (c, h, s) => `AWS4-HMAC-SHA256 Credential=${c}//, SignedHeaders=${h}, Signature=${s}`,
    });
    const otherDay = await handSigned({
      ...spec,
      authorization: (c, h, s) =>
        `AWS4-HMAC-SHA256 Credential=${c.replace('/20260101/', '/20251231/')}, SignedHeaders=${h}, Signature=${s}`,
    });
    const dayMismatch =
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
      `'20251231' != '20260101', from '${AMZ_DATE}'.`;
    for (let round = 0; round < 2; round++) {
      await verifySigV4(usual, lookup, NOW);
      await assertRejected(verifySigV4(otherDay, lookup, NOW), 'InvalidSignatureException', dayMismatch);
      await verifySigV4(trailingSlash, lookup, NOW);
    }
  });

  it('parses each X-Amz-Date on its own: a malformed one after a valid one is still refused', async () => {
    const request = await plainGet('/human-loops', '/human-loops');
    await verifySigV4(request, lookup, NOW);
    const impossible = { ...request, headers: { ...request.headers, 'x-amz-date': '20260132T000000Z' } };
    await assertRejected(
      verifySigV4(impossible, lookup, NOW),
      'IncompleteSignatureException',
      "Date must be in ISO-8601 'basic format'. Got '20260132T000000Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    );
    await assertRejected(
      verifySigV4(impossible, lookup, NOW),
      'IncompleteSignatureException',
      "Date must be in ISO-8601 'basic format'. Got '20260132T000000Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    );
    await verifySigV4(request, lookup, NOW);
  });
});
