import assert from 'node:assert/strict';

/** One page of a listing: its items, and the token of the next page (none on the last). */
export interface Page<T> {
  items: readonly T[];
  nextToken?: string | undefined;
}

export interface CollectOptions {
  /** When set, every page must hold at most this many items (the request's MaxResults). */
  maxResults?: number | undefined;
  /** The page count at which the listing is taken to page forever and the collection fails. @defaultValue 100 */
  pageLimit?: number;
}

/**
 * Every item of a NextToken-paged listing, in order: `fetchPage(undefined)` first, then
 * `fetchPage(token)` with each page's token until a page has none. Also returns how many pages
 * that took.
 *
 * @example
 * ```ts
 * const { items } = await collectPages(async (NextToken) => {
 *   const page = await client.send(new ListWorkteamsCommand({ MaxResults: 2, NextToken }));
 *   return { items: page.Workteams!, nextToken: page.NextToken };
 * }, { maxResults: 2 });
 * ```
 */
export async function collectPages<T>(
  fetchPage: (nextToken: string | undefined) => Promise<Page<T>>,
  { maxResults, pageLimit = 100 }: CollectOptions = {},
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  let nextToken: string | undefined;
  do {
    const page = await fetchPage(nextToken);
    pages += 1;
    if (maxResults !== undefined) {
      assert.ok(page.items.length <= maxResults, `page ${pages} holds ${page.items.length} items, more than MaxResults ${maxResults}`);
    }
    items.push(...page.items);
    nextToken = page.nextToken;
    assert.ok(pages < pageLimit, `paging terminates (${pages} pages)`);
  } while (nextToken);
  return { items, pages };
}
