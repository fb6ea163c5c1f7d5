/**
 * Webhooks: endpoints that receive every event matching their filters as a signed POST. Added
 * through `POST /admin/webhooks` (scoped to the signing key's account) or `tandem webhooks add`
 * (an operator's, optionally for every account). Each event is delivered at least once, in order
 * per loop, retried with backoff for TANDEM_WEBHOOK_RETRY_HOURS, then dead-lettered until an
 * admin replays it.
 *
 * @example
 * const { webhook, secret } = await addWebhook(resources, { accountId: '111122223333' }, { url: 'https://hooks.example.com/tandem' });
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../api/aws/errors.js';
import { A2I_DETAIL_TYPE, buildEnvelope, TANDEM_DETAIL_TYPES, type EventEnvelope } from '../domain/events.js';
import { parseWebhookUrl, resolveTarget, WebhookTargetRefused } from '../events/target-check.js';
import type { Resources } from '../resources.js';
import type { WebhookRow } from '../store/schema.js';
import * as store from '../store/webhooks.js';

/** Whose webhooks a caller manages: one account's (an access key), or all (the operator's CLI). */
export interface WebhookScope {
  accountId: string | undefined;
}

export interface WebhookInput {
  url: string;
  accountId?: string | undefined;
  flowDefinitionName?: string | undefined;
  detailType?: string | undefined;
  secret?: string | undefined;
  description?: string | undefined;
}

export interface WebhookSummary {
  webhookId: string;
  url: string;
  accountId: string | null;
  flowDefinitionName: string | null;
  detailType: string | null;
  description: string | null;
  createdAt: string;
}

export interface DeadLetterSummary {
  deliveryId: number;
  eventId: string;
  attempts: number;
  lastError: string | null;
  deadSince: string | null;
  event: EventEnvelope;
}

const KNOWN_DETAIL_TYPES = new Set([A2I_DETAIL_TYPE, ...Object.values(TANDEM_DETAIL_TYPES)]);

export async function addWebhook(resources: Resources, scope: WebhookScope, input: WebhookInput): Promise<{ webhook: WebhookSummary; secret: string }> {
  const accountId = input.accountId ?? scope.accountId ?? null;
  if (scope.accountId !== undefined && accountId !== scope.accountId) {
    throw new ValidationError(`A key of account ${scope.accountId} can only add webhooks for that account.`);
  }
  if (accountId !== null && !/^\d{12}$/.test(accountId)) throw new ValidationError('accountId must be 12 digits.');
  if (input.detailType !== undefined && !KNOWN_DETAIL_TYPES.has(input.detailType)) {
    throw new ValidationError(`detailType must be one of: ${[...KNOWN_DETAIL_TYPES].join(', ')}.`);
  }
  if (input.flowDefinitionName !== undefined && !/^[a-z0-9](-*[a-z0-9]){0,62}$/.test(input.flowDefinitionName)) {
    throw new ValidationError('flowDefinitionName is not a flow definition name.');
  }
  if (input.secret !== undefined && (input.secret.length < 16 || input.secret.length > 256)) {
    throw new ValidationError('secret must be 16 to 256 characters.');
  }
  if (input.url.length > 2048) throw new ValidationError('url must be at most 2048 characters.');
  try {
    await resolveTarget(parseWebhookUrl(input.url), resources.config.webhookAllowPrivateTargets);
  } catch (error) {
    if (error instanceof WebhookTargetRefused) throw new ValidationError(error.message);
    throw error;
  }
  const secret = input.secret ?? `whsec_${randomBytes(24).toString('base64url')}`;
  const row: WebhookRow = {
    id: `wh-${randomUUID()}`,
    url: input.url,
    account_id: accountId,
    flow_definition_name: input.flowDefinitionName ?? null,
    detail_type: input.detailType ?? null,
    secret_encrypted: resources.secrets.seal(secret),
    description: input.description ?? null,
    created_at: resources.clock.now(),
  };
  await store.insertWebhook(resources.store.db, row);
  return { webhook: summarize(row), secret };
}

export async function listWebhooks(resources: Resources, scope: WebhookScope): Promise<WebhookSummary[]> {
  return (await store.listWebhooks(resources.store.db, scope.accountId)).map(summarize);
}

export async function removeWebhook(resources: Resources, scope: WebhookScope, webhookId: string): Promise<void> {
  await ownWebhook(resources, scope, webhookId);
  await store.deleteWebhook(resources.store.db, webhookId);
}

export async function listDeadLetters(resources: Resources, scope: WebhookScope, webhookId: string, limit = 100): Promise<DeadLetterSummary[]> {
  await ownWebhook(resources, scope, webhookId);
  const letters = await store.listDeadLetters(resources.store.db, webhookId, limit);
  return letters.map(({ delivery, event }) => {
    const envelope = buildEnvelope(event, resources.config.region);
    return {
      deliveryId: delivery.id,
      eventId: envelope.id,
      attempts: delivery.attempts,
      lastError: delivery.last_error,
      deadSince: delivery.finished_at === null ? null : new Date(delivery.finished_at).toISOString(),
      event: envelope,
    };
  });
}

/** Queues dead-lettered deliveries again (all of the endpoint's, or the given ones); returns how many. */
export async function replayDeadLetters(resources: Resources, scope: WebhookScope, webhookId: string, deliveryIds?: number[]): Promise<number> {
  await ownWebhook(resources, scope, webhookId);
  return store.replayDeadLetters(resources.store.db, webhookId, deliveryIds, resources.clock.now());
}

async function ownWebhook(resources: Resources, scope: WebhookScope, webhookId: string): Promise<WebhookRow> {
  const row = await store.findWebhook(resources.store.db, webhookId);
  if (!row || (scope.accountId !== undefined && row.account_id !== scope.accountId)) {
    throw new NotFoundError(`Webhook '${webhookId}' does not exist.`);
  }
  return row;
}

function summarize(row: WebhookRow): WebhookSummary {
  return {
    webhookId: row.id,
    url: row.url,
    accountId: row.account_id,
    flowDefinitionName: row.flow_definition_name,
    detailType: row.detail_type,
    description: row.description,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
