import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';

/**
 * Keyset pagination over (sortColumn, idColumn): the page after a cursor is the rows strictly
 * past it in the chosen order, so rows inserted or deleted meanwhile never shift a page.
 */
export interface KeysetPage {
  order: 'asc' | 'desc';
  limit: number;
  after?: { value: number | string; id: string } | undefined;
}

// Kysely's column types cannot follow a column name chosen at run time; the callers pass
// literal column names of the table they query.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyQuery = SelectQueryBuilder<any, any, any>;

/**
 * Adds the cursor condition, the order and the limit (one more row than the page, to know
 * whether another page follows).
 *
 * The cursor is the row-value comparison `(sortColumn, idColumn) < (?, ?)` (`>` ascending), not
 * the equivalent `sort < ? or (sort = ? and id < ?)`: both SQLite and PostgreSQL turn the row
 * value into one range on an index ending in (sortColumn, idColumn) and start reading at the
 * cursor, while neither uses the OR form as a range, so page k read and discarded every earlier
 * row (ListHumanLoops 900k rows deep: SQLite 81 ms → 0.7 ms, PostgreSQL 310 ms → 0.18 ms).
 * test/store/keyset-plans.test.ts asserts the plans on both dialects.
 */
export function applyKeyset<Q extends AnyQuery>(query: Q, sortColumn: string, idColumn: string, page: KeysetPage): Q {
  let q = query;
  if (page.after) {
    const { value, id } = page.after;
    const op = page.order === 'asc' ? '>' : '<';
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    q = q.where((eb: ExpressionBuilder<any, any>) =>
      // A list sorted by its unique key itself (work teams by name) needs no tiebreaker.
      sortColumn === idColumn ? eb(idColumn, op, id) : eb(eb.refTuple(sortColumn, idColumn), op, eb.tuple(value, id)),
    ) as Q;
  }
  if (sortColumn !== idColumn) q = q.orderBy(sortColumn, page.order) as Q;
  return q.orderBy(idColumn, page.order).limit(page.limit + 1) as Q;
}

/** Splits the limit+1 rows a keyset query returns into the page and whether more follow. */
export function takePage<T>(rows: T[], limit: number): { items: T[]; more: boolean } {
  return { items: rows.slice(0, limit), more: rows.length > limit };
}
