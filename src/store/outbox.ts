import type { Kysely } from 'kysely';
import type { Database, OutboxRow } from './schema.js';

export interface OutboxEvent {
  accountId: string;
  topic: string;
  subjectArn: string;
  payload: Record<string, unknown>;
  createdAt: number;
}

/** Call inside the transaction that makes the change the event announces. */
export async function appendEvent(db: Kysely<Database>, event: OutboxEvent): Promise<void> {
  await db
    .insertInto('outbox')
    .values({
      account_id: event.accountId,
      topic: event.topic,
      subject_arn: event.subjectArn,
      payload: JSON.stringify(event.payload),
      created_at: event.createdAt,
      dispatched_at: null,
    })
    .execute();
}

/** Several events in one statement, in the given order; call inside the changing transaction. */
export async function appendEvents(db: Kysely<Database>, events: OutboxEvent[]): Promise<void> {
  for (let at = 0; at < events.length; at += 200) {
    await db
      .insertInto('outbox')
      .values(
        events.slice(at, at + 200).map((event) => ({
          account_id: event.accountId,
          topic: event.topic,
          subject_arn: event.subjectArn,
          payload: JSON.stringify(event.payload),
          created_at: event.createdAt,
          dispatched_at: null,
        })),
      )
      .execute();
  }
}

export async function listEvents(db: Kysely<Database>, subjectArn: string): Promise<OutboxRow[]> {
  return db.selectFrom('outbox').selectAll().where('subject_arn', '=', subjectArn).orderBy('id').execute();
}
