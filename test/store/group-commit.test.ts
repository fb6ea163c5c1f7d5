import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type SQLite from 'better-sqlite3';
import { openTestResources, type TestResources } from '../support/resources.js';

/**
 * The synchronous group commit (src/store/group-commit.ts) on SQLite: bodies share one commit
 * without savepoints, and a body that throws after writing costs the others nothing.
 */
describe('SQLite group commit', () => {
  let r: TestResources;
  before(async () => {
    r = await openTestResources('sqlite');
    await r.store.db.schema.createTable('notes').addColumn('text', 'text', (c) => c.notNull()).execute();
  });
  after(() => r.dispose());

  const insert = (database: SQLite.Database, text: string) => database.prepare('insert into notes (text) values (?)').run(text);
  const stored = async () => (await r.store.db.selectFrom('notes' as never).select('text' as never).execute()).map((row) => (row as { text: string }).text).sort();

  test('concurrent bodies each get their own value, and all their rows are stored', async () => {
    const values = await Promise.all(
      Array.from({ length: 40 }, (_, i) => r.store.writeSync!((database) => (insert(database, `a${i}`), i * 2))),
    );
    assert.deepEqual(values, Array.from({ length: 40 }, (_, i) => i * 2));
    assert.equal((await stored()).filter((text) => text.startsWith('a')).length, 40);
  });

  test('a body that throws after writing: its rows are undone, the rest of its batch is stored', async () => {
    const outcomes = await Promise.allSettled([
      r.store.writeSync!((database) => insert(database, 'b1')),
      r.store.writeSync!((database) => {
        insert(database, 'b-doomed');
        throw new Error('second statement failed');
      }),
      r.store.writeSync!((database) => insert(database, 'b3')),
    ]);
    assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal((outcomes[1] as PromiseRejectedResult).reason.message, 'second statement failed');
    assert.deepEqual((await stored()).filter((text) => text.startsWith('b')), ['b1', 'b3']);
  });

  test('a failing statement (a constraint) rejects only its own body', async () => {
    const outcomes = await Promise.allSettled([
      r.store.writeSync!((database) => insert(database, 'c1')),
      r.store.writeSync!((database) => database.prepare('insert into notes (text) values (null)').run()),
      r.store.writeSync!((database) => insert(database, 'c3')),
    ]);
    assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.match((outcomes[1] as PromiseRejectedResult).reason.message, /NOT NULL constraint failed: notes.text/);
    assert.deepEqual((await stored()).filter((text) => text.startsWith('c')), ['c1', 'c3']);
  });
});
