import type { Kysely } from 'kysely';
import type { Database, WorkerRow } from './schema.js';

type Db = Kysely<Database>;

export interface NewSession {
  idHash: string;
  workerId: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

/** A live session and the worker it belongs to. */
export interface SessionWithWorker {
  idHash: string;
  csrfToken: string;
  expiresAt: number;
  worker: WorkerRow;
}

export async function insertSession(db: Db, session: NewSession): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: session.idHash,
      worker_id: session.workerId,
      csrf_token: session.csrfToken,
      created_at: session.createdAt,
      expires_at: session.expiresAt,
    })
    .execute();
}

/** The unexpired session with this id hash, with its worker; undefined when none. */
export async function findLiveSession(db: Db, idHash: string, now: number): Promise<SessionWithWorker | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('workers', 'workers.id', 'sessions.worker_id')
    .selectAll('workers')
    .select(['sessions.id_hash', 'sessions.csrf_token', 'sessions.expires_at'])
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return undefined;
  const { id_hash, csrf_token, expires_at, ...worker } = row;
  return { idHash: id_hash, csrfToken: csrf_token, expiresAt: expires_at, worker };
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteWorkerSessions(db: Db, workerId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('worker_id', '=', workerId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Removes sessions that expired before `now`; returns how many. */
export async function deleteExpiredSessions(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
