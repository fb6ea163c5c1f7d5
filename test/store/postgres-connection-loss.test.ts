/**
 * A PostgreSQL connection that dies while Tandem holds it (a transaction between two statements
 * when the server restarts, fails over or terminates the backend) fails that transaction and
 * nothing else: the process keeps running and the next statement gets a fresh connection.
 * Without a listener on checked-out clients, pg emits the socket error as an unhandled 'error'
 * event and the whole server crashes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/database.js';
import { createTestDatabase, dialectSkip, type TestDatabase } from '../support/databases.js';

describe('a PostgreSQL connection lost mid-transaction', { skip: dialectSkip('postgres') }, () => {
  let database: TestDatabase;
  let store: Store;
  before(async () => {
    database = await createTestDatabase('postgres');
    store = await openStore({ databaseUrl: database.databaseUrl, sqliteFile: '' });
  });
  after(async () => {
    await store?.close();
    await database?.drop();
  });

  test('fails that transaction only; the store answers the next statement', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    // node:test would report the crash as a failure of some later test; record it here instead.
    process.on('uncaughtException', onUncaught);
    try {
      const outcome = await store.db
        .transaction()
        .execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          const killer = new pg.Client({ connectionString: database.databaseUrl });
          await killer.connect();
          try {
            await killer.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
          } finally {
            await killer.end();
          }
          // Let the dead socket's error arrive while no statement is running on the connection.
          await new Promise((resolve) => setTimeout(resolve, 300));
          await sql`select 1`.execute(trx);
          return 'committed';
        })
        .catch((error: unknown) => error);
      assert.ok(outcome instanceof Error, `the transaction fails (got ${String(outcome)})`);
      assert.deepEqual(uncaught, [], 'no error escaped to the process');
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      assert.equal(rows[0]!.one, 1);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
