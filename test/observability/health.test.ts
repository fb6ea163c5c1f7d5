/**
 * `/healthz` and `/readyz` on a listening Tandem of each dialect, unauthenticated: ready while
 * the store answers with its schema current, 503 with the reason when migrations are pending
 * or (PostgreSQL) the database refuses connections.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { useTestTandem, type TestTandem } from '../support/tandem.js';

async function probe(tandem: TestTandem, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${tandem.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function adminQuery(databaseUrl: string, statement: string): Promise<void> {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

for (const dialect of DIALECTS) {
  describe(`health endpoints (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    useTestTandem(dialect, (started) => (tandem = started));

    test('healthz and readyz answer 200 JSON without credentials', async () => {
      assert.deepEqual(await probe(tandem, '/healthz'), { status: 200, body: { status: 'ok' } });
      assert.deepEqual(await probe(tandem, '/readyz'), { status: 200, body: { status: 'ready' } });
    });

    test('readyz answers 503 naming the pending migration, and 200 once it has run', async () => {
      const { db } = tandem.resources.store;
      const last = await sql<{ name: string; timestamp: string }>`select name, timestamp from kysely_migration order by name desc limit 1`.execute(db);
      const { name, timestamp } = last.rows[0]!;
      await sql`delete from kysely_migration where name = ${name}`.execute(db);
      try {
        const answer = await probe(tandem, '/readyz');
        assert.equal(answer.status, 503);
        assert.equal(answer.body.status, 'not ready');
        assert.match(String(answer.body.reason), new RegExp(`migrations pending: ${name}`));
        assert.equal((await probe(tandem, '/healthz')).status, 200, 'the process is still alive');
      } finally {
        await sql`insert into kysely_migration (name, timestamp) values (${name}, ${timestamp})`.execute(db);
      }
      assert.equal((await probe(tandem, '/readyz')).status, 200);
    });

    if (dialect === 'postgres') {
      test('readyz answers 503 while the database refuses connections, 200 once it accepts them again', async () => {
        const databaseUrl = tandem.database.databaseUrl!;
        const name = new URL(databaseUrl).pathname.slice(1);
        await adminQuery(databaseUrl, `alter database ${name} allow_connections false`);
        await adminQuery(databaseUrl, `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);
        try {
          const answer = await probe(tandem, '/readyz');
          assert.equal(answer.status, 503);
          assert.match(String(answer.body.reason), /^store unreachable: /);
          assert.equal((await probe(tandem, '/healthz')).status, 200);
        } finally {
          await adminQuery(databaseUrl, `alter database ${name} allow_connections true`);
        }
        assert.equal((await probe(tandem, '/readyz')).status, 200);
      });
    }
  });
}
