import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from '../../src/store/schema.js';
import type { Store } from '../../src/store/database.js';

/** What planOf needs: the store (its db and dialect). */
export type PlannedStore = Pick<Store, 'db' | 'dialect'>;

/**
 * The plan of the exact statement a query compiles to, with its own parameters, as text lines:
 * SQLite's `explain query plan` details, PostgreSQL's `explain` lines.
 *
 * `noSeqScan` (PostgreSQL) is only for tables a test keeps tiny, where a sequential scan is
 * cheaper than any index: the plan then shows whether the statement CAN read an index range.
 */
export async function planOf(store: PlannedStore, query: Compilable, options: { noSeqScan?: boolean } = {}): Promise<string[]> {
  const compiled = query.compile();
  if (store.dialect === 'sqlite') {
    const rows = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]));
    return rows.rows.map((row) => row.detail);
  }
  return store.db.connection().execute(async (db: Kysely<Database>) => {
    if (options.noSeqScan) await db.executeQuery(CompiledQuery.raw('set enable_seqscan = off'));
    try {
      const rows = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]));
      return rows.rows.map((row) => row['QUERY PLAN']);
    } finally {
      if (options.noSeqScan) await db.executeQuery(CompiledQuery.raw('reset enable_seqscan'));
    }
  });
}

/**
 * Asserts the plan reads `table` only through `index` (a range or a scan of a partial index,
 * whose rows are all in the state the query wants), never the whole table.
 */
export function readsOnlyThrough(plan: string[], dialect: string, table: string, index: string): string | undefined {
  const text = plan.join('\n');
  if (dialect === 'sqlite') {
    const steps = plan.filter((line) => new RegExp(`^(SEARCH|SCAN) ${table}\\b`).test(line));
    if (steps.length === 0) return `no step reads ${table}:\n${text}`;
    const bad = steps.filter((line) => !line.includes(`INDEX ${index}`) && !/USING INTEGER PRIMARY KEY|USING INDEX sqlite_autoindex_\w+ \(id=\?\)/.test(line));
    if (!steps.some((line) => line.includes(`INDEX ${index}`))) return `${index} not used:\n${text}`;
    return bad.length > 0 ? `reads ${table} otherwise:\n${text}` : undefined;
  }
  if (!new RegExp(`using ${index} on ${table}`).test(text)) return `${index} not used:\n${text}`;
  if (new RegExp(`Seq Scan on ${table}`).test(text)) return `sequential scan of ${table}:\n${text}`;
  return undefined;
}
