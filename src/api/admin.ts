/**
 * The admin HTTP API for workers, SigV4-signed like the AWS APIs (any of the account's access
 * keys; the credential scope's service may be `sagemaker` or `tandem`). Errors are restJson1
 * shaped: status, `x-amzn-ErrorType`, `{"message": …}`.
 *
 * | Route                                    | Body                         | Answer                          |
 * |------------------------------------------|------------------------------|---------------------------------|
 * | `POST /admin/workers`                    | `{email, teams, name?, password?}` | 201 `{workerId, inviteUrl?, worker}` |
 * | `GET /admin/workers`                     |                              | `{workers: [...]}`              |
 * | `GET /admin/workers/{id}`                |                              | the worker                      |
 * | `POST /admin/workers/{id}/deactivate`    |                              | `{workerId, status, releasedLeases}` |
 * | `POST /admin/workers/{id}/activate`      |                              | `{workerId, status}`            |
 * | `POST /admin/workers/{id}/invite`        |                              | `{workerId, inviteUrl}`         |
 * | `PUT /admin/workers/{id}/teams`          | `{teams}`                    | the worker                      |
 *
 * Webhooks: admin-webhooks.ts.
 *
 * @example
 * curl --aws-sigv4 "aws:amz:us-east-1:tandem" --user "$KEY:$SECRET" \
 *   -H 'content-type: application/json' -d '{"email":"ana@example.com","teams":["reviewers"]}' \
 *   http://127.0.0.1:8080/admin/workers
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  activateWorker,
  addWorker,
  deactivateWorker,
  describeWorker,
  listWorkers,
  reissueInvite,
  setWorkerTeams,
} from '../operations/workers.js';
import type { Resources } from '../resources.js';
import { makeKeyLookup } from '../security/access-keys.js';
import { AuthenticationError, SerializationError, ValidationError } from './aws/errors.js';
import { parseJsonBody } from './aws/json-body.js';
import { verifySigV4 } from './aws/sigv4.js';
import { registerWebhookRoutes } from './admin-webhooks.js';
import { errorResponse, toWireError } from './aws/wire-errors.js';

const ADMIN_SERVICES = new Set(['sagemaker', 'tandem']);
const EMPTY = Buffer.alloc(0);

type IdParams = { Params: { id: string } };

export async function registerAdminApi(app: FastifyInstance, { resources }: { resources: Resources }) {
  await app.register(
    async (admin) => {
      admin.removeAllContentTypeParsers();
      admin.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_request, body, done) => done(null, body));
      const lookup = makeKeyLookup(resources);
      const accountOf = new WeakMap<FastifyRequest, string>();

      admin.addHook('preHandler', async (request) => {
        const url = request.raw.url ?? '/';
        const at = url.indexOf('?');
        const verified = await verifySigV4(
          {
            method: request.method,
            rawPath: at === -1 ? url : url.slice(0, at),
            rawQuery: at === -1 ? '' : url.slice(at + 1),
            headers: request.headers,
            body: Buffer.isBuffer(request.body) ? request.body : EMPTY,
          },
          lookup,
          new Date(resources.clock.now()),
        );
        if (!ADMIN_SERVICES.has(verified.service)) {
          throw new AuthenticationError('InvalidSignatureException', "Credential should be scoped to correct service: 'tandem'. ");
        }
        if (verified.region !== resources.config.region) {
          throw new AuthenticationError(
            'InvalidSignatureException',
            `Credential should be scoped to a valid region, not '${verified.region}'. This Tandem serves '${resources.config.region}'.`,
          );
        }
        accountOf.set(request, verified.accountId);
      });

      admin.setErrorHandler((error, request, reply) => {
        const wire = toWireError(error, 'restJson1');
        if (wire.internal) request.log.error({ err: error }, 'admin request failed');
        const response = errorResponse(wire, 'restJson1', request.id);
        return reply.code(response.status).headers(response.headers).send(response.body);
      });
      admin.setNotFoundHandler(async (request, reply) => {
        const response = errorResponse(
          { status: 404, type: 'UnknownOperationException', message: `No admin operation matches ${request.method} ${request.url.split('?')[0]}.` },
          'restJson1',
          request.id,
        );
        return reply.code(404).headers(response.headers).send(response.body);
      });

      const account = (request: FastifyRequest) => accountOf.get(request)!;

      admin.post('/workers', async (request, reply) => {
        const body = jsonBody(request);
        const { worker, inviteUrl } = await addWorker(resources, {
          accountId: account(request),
          email: stringMember(body, 'email', true)!,
          teams: stringList(body, 'teams'),
          name: stringMember(body, 'name', false),
          password: stringMember(body, 'password', false),
        });
        return reply.code(201).send({ workerId: worker.workerId, inviteUrl, worker });
      });

      admin.get('/workers', async (request) => ({ workers: await listWorkers(resources, account(request)) }));

      admin.get<IdParams>('/workers/:id', async (request) => describeWorker(resources, account(request), request.params.id));

      admin.post<IdParams>('/workers/:id/deactivate', async (request) => {
        const { releasedLeases } = await deactivateWorker(resources, account(request), request.params.id);
        return { workerId: request.params.id, status: 'inactive', releasedLeases };
      });

      admin.post<IdParams>('/workers/:id/activate', async (request) => {
        await activateWorker(resources, account(request), request.params.id);
        return { workerId: request.params.id, status: 'active' };
      });

      admin.post<IdParams>('/workers/:id/invite', async (request) => ({
        workerId: request.params.id,
        inviteUrl: await reissueInvite(resources, account(request), request.params.id),
      }));

      admin.put<IdParams>('/workers/:id/teams', async (request) => {
        await setWorkerTeams(resources, account(request), request.params.id, stringList(jsonBody(request), 'teams'));
        return describeWorker(resources, account(request), request.params.id);
      });

      registerWebhookRoutes(admin, resources, account);
    },
    { prefix: '/admin' },
  );
}

function jsonBody(request: FastifyRequest): Record<string, unknown> {
  return parseJsonBody(Buffer.isBuffer(request.body) ? request.body : EMPTY);
}

function stringMember(body: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) {
    if (required) throw new ValidationError(`Value null at '${name}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== 'string') throw new SerializationError(`'${name}' must be a string.`);
  return value;
}

function stringList(body: Record<string, unknown>, name: string): string[] {
  const value = body[name];
  if (value === undefined || value === null) throw new ValidationError(`Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new SerializationError(`'${name}' must be a list of strings.`);
  return value as string[];
}
