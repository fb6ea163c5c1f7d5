/**
 * A local stand-in for Textract and Rekognition, which Tandem forwards proxied calls to: it
 * speaks awsJson1_1, verifies every request's SigV4 signature against the AWS credentials the
 * test gives Tandem's credential chain (service `textract` or `rekognition`), records what it
 * received, and answers from the recorded-shape fixtures in ai-service-fixtures.ts.
 *
 * The document (or image) name chooses the behaviour, so a test provokes each failure with a
 * normal request: `missing.png` → the service's InvalidS3ObjectException (400), `slow.png` → no
 * answer (for the timeout), `reset.png` → the connection is dropped, `html.png` → a 502 page
 * from a load balancer that is not an AWS error.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySigV4, type SigningIdentity } from '../../src/api/aws/sigv4.js';
import { MODERATION_RESPONSE, TWO_PAGE_FORM } from './ai-service-fixtures.js';

/** The AWS credentials Tandem's default chain finds (as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). */
export const UPSTREAM_CREDENTIALS: SigningIdentity = {
  accessKeyId: 'AKIAUPSTREAMTEST0001',
  secretAccessKey: 'upstream/secret+key/0123456789abcdefghij',
  accountId: '999988887777',
};

export interface ReceivedCall {
  path: string;
  target: string;
  /** The credential scope's service the request was signed for (verified). */
  service: string;
  region: string;
  signedHeaders: string[];
  body: Record<string, unknown>;
}

export interface FakeAiServices {
  url: string;
  calls: ReceivedCall[];
  /** Responses served to AnalyzeDocument / DetectModerationLabels; tests may swap them. */
  responses: { analyzeDocument: unknown; detectModerationLabels: unknown };
  close(): Promise<void>;
}

const TARGET_SERVICE: Record<string, string> = {
  'Textract.AnalyzeDocument': 'textract',
  'RekognitionService.DetectModerationLabels': 'rekognition',
};

export async function startFakeAiServices(): Promise<FakeAiServices> {
  const calls: ReceivedCall[] = [];
  const responses = { analyzeDocument: TWO_PAGE_FORM as unknown, detectModerationLabels: MODERATION_RESPONSE as unknown };
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void answer(req, res, Buffer.concat(chunks)).catch((error: unknown) => awsError(res, 500, 'InternalServerError', String(error)));
    });
  });

  async function answer(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer) {
    const url = req.url ?? '/';
    const at = url.indexOf('?');
    let verified;
    try {
      verified = await verifySigV4(
        { method: req.method ?? 'POST', rawPath: at === -1 ? url : url.slice(0, at), rawQuery: at === -1 ? '' : url.slice(at + 1), headers: req.headers, body: raw },
        async (id) => (id === UPSTREAM_CREDENTIALS.accessKeyId ? UPSTREAM_CREDENTIALS : undefined),
        new Date(),
      );
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'InvalidSignatureException';
      return awsError(res, 403, code, (error as Error).message);
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    if (TARGET_SERVICE[target] === undefined) return awsError(res, 400, 'UnknownOperationException', target);
    if (verified.service !== TARGET_SERVICE[target]) {
      return awsError(res, 403, 'InvalidSignatureException', `Credential should be scoped to correct service: '${TARGET_SERVICE[target]}'. `);
    }
    if (req.headers['content-type'] !== 'application/x-amz-json-1.1') return awsError(res, 400, 'SerializationException', 'content type');
    const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    const signedHeaders = /SignedHeaders=([^,\s]+)/.exec(String(req.headers.authorization))?.[1]?.split(';') ?? [];
    calls.push({ path: url, target, service: verified.service, region: verified.region, signedHeaders, body });

    const document = (body.Document ?? body.Image) as { S3Object?: { Name?: string } } | undefined;
    switch (document?.S3Object?.Name) {
      case 'missing.png':
        return awsError(res, 400, 'InvalidS3ObjectException', 'Unable to get object metadata from S3. Check object key, region and/or access permissions.');
      case 'slow.png':
        hanging.add(res);
        return;
      case 'reset.png':
        req.socket.destroy();
        return;
      case 'html.png':
        res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
        return;
    }
    const payload = target === 'Textract.AnalyzeDocument' ? responses.analyzeDocument : responses.detectModerationLabels;
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'upstream-request-1' }).end(JSON.stringify(payload));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    responses,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function awsError(res: http.ServerResponse, status: number, type: string, message: string) {
  res
    .writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type, 'x-amzn-requestid': 'upstream-error-1' })
    .end(JSON.stringify({ __type: type, Message: message }));
}

/**
 * Points Tandem's default AWS credential chain at {@link UPSTREAM_CREDENTIALS} through the
 * environment (the chain's first source), with no shared files or instance metadata to fall
 * back on. Call before the first proxied request.
 */
export function useUpstreamCredentialsFromEnvironment(): void {
  process.env.AWS_ACCESS_KEY_ID = UPSTREAM_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = UPSTREAM_CREDENTIALS.secretAccessKey;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_CONFIG_FILE = '/dev/null';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}
