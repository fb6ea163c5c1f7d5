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

export function applyKeyset<Q extends AnyQuery>(query: Q, sortColumn: string, idColumn: string, page: KeysetPage): Q {
  let q = query;
  if (page.after) {
    const { value, id } = page.after;
    const op = page.order === 'asc' ? '>' : '<';
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    q = q.where((eb: ExpressionBuilder<any, any>) =>
      eb.or([eb(sortColumn, op, value), eb.and([eb(sortColumn, '=', value), eb(idColumn, op, id)])]),
    ) as Q;
  }
  return q.orderBy(sortColumn, page.order).orderBy(idColumn, page.order).limit(page.limit + 1) as Q;
}

/** Splits the limit+1 rows a keyset query returns into the page and whether more follow. */
export function takePage<T>(rows: T[], limit: number): { items: T[]; more: boolean } {
  return { items: rows.slice(0, limit), more: rows.length > limit };
}
