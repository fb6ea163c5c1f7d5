/**
 * What the parts of a signed A2I request cost the server, measured in-process with Tandem's own
 * functions: SigV4 verification, and body parsing + shape validation. Benchmarks report these
 * beside a CPU profile when a server falls short of its target.
 *
 * @example
 * const verify = await measureVerifySigV4(signedRequest, BENCH_CREDENTIALS); // { microsPerCall: 14.2, … }
 */
import { verifySigV4 } from '../../src/api/aws/sigv4.js';
import { parseJsonBody } from '../../src/api/aws/json-body.js';
import { validateInput } from '../../src/api/aws/shape-validation.js';
import { startHumanLoopShape } from '../../src/api/a2i-runtime-shapes.js';
import { timePerCall, type PerCallCost } from './latency.js';
import type { RequestSpec } from './load.js';
import type { BenchCredentials } from './servers.js';

/** `verifySigV4` on a signed request, the key coming from a warm cache as in the server. */
export function measureVerifySigV4(request: RequestSpec, credentials: BenchCredentials): Promise<PerCallCost> {
  const identity = { accessKeyId: credentials.accessKeyId, accountId: credentials.accountId, secretAccessKey: credentials.secretAccessKey };
  const lookup = async () => identity;
  const body = Buffer.from(request.body, 'utf8');
  const headers = { ...request.headers, 'content-length': String(body.length), connection: 'keep-alive' };
  return timePerCall(() =>
    verifySigV4({ method: request.method, rawPath: request.path, rawQuery: '', headers, body }, lookup, new Date()),
  );
}

/** `parseJsonBody` + `validateInput(startHumanLoopShape, …)`, as the route does. */
export function measureParseAndValidate(request: RequestSpec): Promise<PerCallCost> {
  const body = Buffer.from(request.body, 'utf8');
  return timePerCall(() => validateInput(startHumanLoopShape, parseJsonBody(body)));
}
