/**
 * SigV4-signed requests through `app.inject`, signed as the AWS SDKs sign (every header given is
 * signed), at the resources' clock, so in-process tests reach the AWS and admin routes.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export interface SigningKey {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedInjectRequest {
  method: string;
  /** Path with its query string, as sent. */
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Credential scope service. @defaultValue 'sagemaker' */
  service?: string;
}

export async function signedInject(
  app: FastifyInstance,
  key: SigningKey,
  now: number,
  request: SignedInjectRequest,
): Promise<LightMyRequestResponse> {
  const [path = '/', query = ''] = request.url.split('?');
  const body = request.body ?? '';
  const signer = new SignatureV4({ credentials: key, region: 'us-east-1', service: request.service ?? 'sagemaker', sha256: Sha256 });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 8080,
      path,
      query: Object.fromEntries(new URLSearchParams(query)),
      headers: { host: '127.0.0.1:8080', ...request.headers },
      body,
    }),
    { signingDate: new Date(now) },
  );
  return app.inject({
    method: request.method as 'GET',
    url: request.url,
    headers: signed.headers,
    payload: body === '' ? undefined : body,
  });
}
