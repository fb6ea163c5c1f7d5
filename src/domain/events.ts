/**
 * Outbox rows as the events consumers receive: EventBridge envelopes. A loop reaching Completed,
 * Failed or Stopped gives exactly A2I's "SageMaker A2I HumanLoop Status Change" event (source
 * `aws.sagemaker`); every other change gives a Tandem event (source `tandem`, detail-types
 * starting `Tandem `), so a rule matching A2I's pattern sees only A2I's events. Pure: the same
 * row always gives the same event, id included, which is what makes de-duplication possible.
 */
import { createHash } from 'node:crypto';

export const A2I_DETAIL_TYPE = 'SageMaker A2I HumanLoop Status Change';
export const A2I_SOURCE = 'aws.sagemaker';
export const TANDEM_SOURCE = 'tandem';

/** Outbox topics whose event is A2I's status change. */
const A2I_TOPICS = new Set(['human-loop.completed', 'human-loop.failed', 'human-loop.stopped']);

/** Tandem's own detail-types by outbox topic. */
export const TANDEM_DETAIL_TYPES: Readonly<Record<string, string>> = {
  'human-loop.created': 'Tandem HumanLoop Created',
  'human-loop.stopping': 'Tandem HumanLoop Stopping',
  'human-loop.deleted': 'Tandem HumanLoop Deleted',
  'task.leased': 'Tandem Task Leased',
  'task.returned': 'Tandem Task Returned',
  'task.expired': 'Tandem Task Expired',
  'task.answered': 'Tandem Task Answered',
};

/** What the events need of an outbox row. */
export interface OutboxRecord {
  id: number;
  account_id: string;
  topic: string;
  subject_arn: string;
  payload: string;
  created_at: number;
}

/** A2I's detail, field for field (a2i-wire.md §4.3). */
export interface A2iStatusChangeDetail {
  creationTime: string;
  failureCode: string | null;
  failureReason: string | null;
  flowDefinitionArn: string;
  humanLoopArn: string;
  humanLoopName: string;
  /** Present once output.json is written, as DescribeHumanLoop's HumanLoopOutput. */
  humanLoopOutput?: { outputS3Uri: string };
  humanLoopStatus: string;
}

export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** Seconds precision, `Z`. */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** The outbox row's position: the SSE event id and the resume cursor. */
export interface SequencedEvent {
  sequence: number;
  envelope: EventEnvelope;
}

export function detailTypeOf(topic: string): string {
  if (A2I_TOPICS.has(topic)) return A2I_DETAIL_TYPE;
  return TANDEM_DETAIL_TYPES[topic] ?? `Tandem ${topic}`;
}

/**
 * A UUID-shaped id derived from the row (account, position, topic, time): stable across
 * retries, processes and restarts, so a receiver de-duplicates on it.
 */
export function eventIdOf(row: OutboxRecord): string {
  const hex = createHash('sha256').update(`tandem-event\n${row.account_id}\n${row.id}\n${row.topic}\n${row.created_at}`).digest('hex');
  // Version 8 (custom) UUID layout: the version nibble and the RFC 4122 variant bits.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `2019-11-14T17:49:25Z`: EventBridge's envelope time has no fraction. */
export function envelopeTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function buildEnvelope(row: OutboxRecord, region: string): EventEnvelope {
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  const detailType = detailTypeOf(row.topic);
  const a2i = detailType === A2I_DETAIL_TYPE;
  return {
    version: '0',
    id: eventIdOf(row),
    'detail-type': detailType,
    source: a2i ? A2I_SOURCE : TANDEM_SOURCE,
    account: row.account_id,
    time: envelopeTime(row.created_at),
    region,
    resources: [row.subject_arn],
    detail: a2i ? { ...a2iDetail(payload) } : tandemDetail(payload),
  };
}

function a2iDetail(payload: Record<string, unknown>): A2iStatusChangeDetail {
  const output = payload.humanLoopOutput as { outputS3Uri?: unknown } | undefined;
  return {
    creationTime: String(payload.creationTime),
    failureCode: typeof payload.failureCode === 'string' ? payload.failureCode : null,
    failureReason: typeof payload.failureReason === 'string' ? payload.failureReason : null,
    flowDefinitionArn: String(payload.flowDefinitionArn),
    humanLoopArn: String(payload.humanLoopArn),
    humanLoopName: String(payload.humanLoopName),
    ...(typeof output?.outputS3Uri === 'string' ? { humanLoopOutput: { outputS3Uri: output.outputS3Uri } } : {}),
    humanLoopStatus: String(payload.humanLoopStatus),
  };
}

/** Tandem events carry the outbox payload as recorded, minus the envelope's own time. */
function tandemDetail(payload: Record<string, unknown>): Record<string, unknown> {
  const { eventTime: _eventTime, ...detail } = payload;
  return detail;
}

/** A webhook's filters; an unset filter matches every event. */
export interface EventFilter {
  accountId: string | null;
  flowDefinitionName: string | null;
  detailType: string | null;
}

export function matchesFilter(filter: EventFilter, envelope: EventEnvelope): boolean {
  if (filter.accountId !== null && filter.accountId !== envelope.account) return false;
  if (filter.detailType !== null && filter.detailType !== envelope['detail-type']) return false;
  if (filter.flowDefinitionName !== null) {
    const arn = envelope.detail.flowDefinitionArn;
    if (typeof arn !== 'string' || !arn.endsWith(`:flow-definition/${filter.flowDefinitionName}`)) return false;
  }
  return true;
}
