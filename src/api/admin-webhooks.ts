/**
 * Webhook routes of the admin API (admin.ts signs and scopes them to the key's account):
 *
 * | Route                                        | Body                                   | Answer                          |
 * |----------------------------------------------|----------------------------------------|---------------------------------|
 * | `POST /admin/webhooks`                       | `{url, flowDefinitionName?, detailType?, secret?, description?}` | 201 `{webhook, secret}` |
 * | `GET /admin/webhooks`                        |                                        | `{webhooks: [...]}`             |
 * | `DELETE /admin/webhooks/{id}`                |                                        | `{webhookId, removed: true}`    |
 * | `GET /admin/webhooks/{id}/dead-letters`      |                                        | `{deadLetters: [...]}`          |
 * | `POST /admin/webhooks/{id}/replay`           | `{deliveryIds?}`                       | `{replayed}`                    |
 *
 * The secret is shown once, in the answer to `POST`; it signs every delivery (README, "Receiving events").
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { addWebhook, listDeadLetters, listWebhooks, removeWebhook, replayDeadLetters } from '../operations/webhooks.js';
import type { Resources } from '../resources.js';
import { SerializationError, ValidationError } from './aws/errors.js';
import { parseJsonBody } from './aws/json-body.js';

type IdParams = { Params: { id: string } };
const EMPTY = Buffer.alloc(0);

export function registerWebhookRoutes(admin: FastifyInstance, resources: Resources, account: (request: FastifyRequest) => string): void {
  const scope = (request: FastifyRequest) => ({ accountId: account(request) });

  admin.post('/webhooks', async (request, reply) => {
    const body = parseJsonBody(Buffer.isBuffer(request.body) ? request.body : EMPTY);
    const url = optionalString(body, 'url');
    if (url === undefined) throw new ValidationError("Value null at 'url' failed to satisfy constraint: Member must not be null");
    const added = await addWebhook(resources, scope(request), {
      url,
      flowDefinitionName: optionalString(body, 'flowDefinitionName'),
      detailType: optionalString(body, 'detailType'),
      secret: optionalString(body, 'secret'),
      description: optionalString(body, 'description'),
    });
    return reply.code(201).send(added);
  });

  admin.get('/webhooks', async (request) => ({ webhooks: await listWebhooks(resources, scope(request)) }));

  admin.delete<IdParams>('/webhooks/:id', async (request) => {
    await removeWebhook(resources, scope(request), request.params.id);
    return { webhookId: request.params.id, removed: true };
  });

  admin.get<IdParams>('/webhooks/:id/dead-letters', async (request) => ({
    deadLetters: await listDeadLetters(resources, scope(request), request.params.id),
  }));

  admin.post<IdParams>('/webhooks/:id/replay', async (request) => {
    const body = Buffer.isBuffer(request.body) && request.body.length > 0 ? parseJsonBody(request.body) : {};
    const ids = body.deliveryIds;
    if (ids !== undefined && (!Array.isArray(ids) || ids.some((id) => !Number.isInteger(id)))) {
      throw new SerializationError("'deliveryIds' must be a list of integers.");
    }
    return { replayed: await replayDeadLetters(resources, scope(request), request.params.id, ids as number[] | undefined) };
  });
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SerializationError(`'${name}' must be a string.`);
  return value;
}
