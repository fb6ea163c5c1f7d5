import { decodePageToken, encodePageToken } from '../api/aws/pagination.js';
import type { Resources } from '../resources.js';
import type { KeysetPage } from '../store/keyset.js';
import { takePage } from '../store/keyset.js';

export type SortOrder = 'Ascending' | 'Descending';

/** The paging members every List operation shares. */
export interface PageRequest {
  SortOrder?: SortOrder | undefined;
  MaxResults?: number | undefined;
  NextToken?: string | undefined;
}

export interface ListDefaults {
  sortOrder: SortOrder;
  maxResults: number;
}

/**
 * Runs one page of a keyset-paginated listing. `fingerprint` names the query (operation and
 * filters) so a NextToken only continues the listing that produced it.
 */
export async function listPage<Row>(
  resources: Resources,
  fingerprint: string,
  request: PageRequest,
  defaults: ListDefaults,
  fetch: (page: KeysetPage) => Promise<Row[]>,
  cursorOf: (row: Row) => { value: number | string; id: string },
): Promise<{ items: Row[]; NextToken?: string }> {
  const order = (request.SortOrder ?? defaults.sortOrder) === 'Ascending' ? 'asc' : 'desc';
  const limit = request.MaxResults ?? defaults.maxResults;
  const query = `${fingerprint}|${order}`;
  const cursor = request.NextToken ? decodePageToken(resources.secrets, query, request.NextToken) : undefined;
  const rows = await fetch({ order, limit, after: cursor && { value: cursor.after, id: cursor.afterId } });
  const { items, more } = takePage(rows, limit);
  const last = items[items.length - 1];
  if (!more || last === undefined) return { items };
  const { value, id } = cursorOf(last);
  return { items, NextToken: encodePageToken(resources.secrets, query, { after: value, afterId: id }) };
}

/** Milliseconds for the store, from the Date a validated request carries. */
export function millis(date: Date | undefined): number | undefined {
  return date === undefined ? undefined : date.getTime();
}

export function stableJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}
