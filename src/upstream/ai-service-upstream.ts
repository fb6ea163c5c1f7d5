/**
 * The real AI services behind Tandem's proxy mode: a Textract AnalyzeDocument or Rekognition
 * DetectModerationLabels request, re-signed for the upstream endpoint with credentials from the
 * standard AWS chain (environment, shared files, SSO, container or instance role) and sent as
 * awsJson1_1, exactly as the service's own SDK client would send it.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { FastifyBaseLogger } from 'fastify';
import { UpstreamUnavailableError } from '../api/aws/errors.js';
import type { TandemConfig } from '../config.js';

/** The SigV4 service names of the two upstream services (their credential scopes). */
export type AiService = 'textract' | 'rekognition';

const DISPLAY_NAMES: Record<AiService, string> = { textract: 'Textract', rekognition: 'Rekognition' };

/** The upstream's answer, untouched: status, the headers a client may see, the body's bytes. */
export interface UpstreamResponse {
  status: number;
  errorType: string | undefined;
  requestId: string | undefined;
  body: Buffer;
}

export interface AiServiceUpstream {
  /**
   * Sends one awsJson1_1 call. Resolves with whatever the service answered (errors included);
   * rejects with {@link UpstreamUnavailableError} when it cannot be reached, does not answer
   * within the timeout, or no AWS credentials can be found.
   */
  call(service: AiService, target: string, body: string): Promise<UpstreamResponse>;
}

export interface AiServiceUpstreamOptions {
  config: Pick<TandemConfig, 'region' | 'textractEndpoint' | 'rekognitionEndpoint' | 'upstreamTimeoutMs'>;
  logger: FastifyBaseLogger;
  /** @defaultValue the standard AWS chain (`@aws-sdk/credential-provider-node`), resolved on first use */
  credentials?: AwsCredentialIdentityProvider;
}

/**
 * @example
 * const upstream = aiServiceUpstream({ config, logger });
 * const response = await upstream.call('textract', 'Textract.AnalyzeDocument', JSON.stringify(input));
 */
export function aiServiceUpstream(options: AiServiceUpstreamOptions): AiServiceUpstream {
  const { config, logger } = options;
  // Created on first use: a Tandem that never proxies must not read ~/.aws or probe the
  // instance metadata service at start-up.
  let credentials = options.credentials;
  const signers = new Map<AiService, SignatureV4>();
  const signerFor = (service: AiService): SignatureV4 => {
    let signer = signers.get(service);
    if (!signer) {
      credentials ??= defaultProvider();
      signer = new SignatureV4({ credentials, region: config.region, service, sha256: Sha256 });
      signers.set(service, signer);
    }
    return signer;
  };
  const endpoints: Record<AiService, URL> = {
    textract: new URL(config.textractEndpoint),
    rekognition: new URL(config.rekognitionEndpoint),
  };

  return {
    async call(service, target, body) {
      const endpoint = endpoints[service];
      const name = DISPLAY_NAMES[service];
      const request = new HttpRequest({
        method: 'POST',
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
        path: endpoint.pathname === '' ? '/' : endpoint.pathname,
        headers: { host: endpoint.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
        body,
      });
      let signed: HttpRequest;
      try {
        signed = (await signerFor(service).sign(request)) as HttpRequest;
      } catch (error) {
        logger.error({ err: error, service }, 'no AWS credentials for the upstream AI service');
        throw new UpstreamUnavailableError(`Tandem found no AWS credentials to call ${name}; its operator must configure them.`);
      }
      // fetch sets Host from the URL itself (the same value that was signed).
      const { host: _host, ...headers } = signed.headers;
      const url = new URL(endpoint.pathname === '' ? '/' : endpoint.pathname, endpoint);
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(config.upstreamTimeoutMs),
        });
        return {
          status: response.status,
          errorType: response.headers.get('x-amzn-errortype') ?? undefined,
          requestId: response.headers.get('x-amzn-requestid') ?? undefined,
          body: Buffer.from(await response.arrayBuffer()),
        };
      } catch (error) {
        const timedOut = (error as { name?: unknown }).name === 'TimeoutError';
        logger.warn({ err: error, service, endpoint: endpoint.href }, 'upstream AI service unavailable');
        throw new UpstreamUnavailableError(
          timedOut
            ? `${name} did not answer within ${config.upstreamTimeoutMs} ms. Try again.`
            : `${name} could not be reached. Try again.`,
        );
      }
    },
  };
}
