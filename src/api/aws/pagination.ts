import { timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../../security/secret-box.js';
import { ValidationError } from './errors.js';

/**
 * Opaque, tamper-evident NextToken values for keyset pagination.
 *
 * A token carries the position after the last row of a page and a fingerprint of the query
 * that produced it, MAC'd with the server's token key: a token edited by hand, or replayed
 * against another query, is a ValidationException rather than a wrong page or a 500.
 */
export interface PageCursor {
  /** The sort key of the last row returned (a number or a string). */
  after: number | string;
  /** Tie-breaker: the last row's unique name or id. */
  afterId: string;
}

export function encodePageToken(box: SecretBox, query: string, cursor: PageCursor): string {
  const body = Buffer.from(JSON.stringify([cursor.after, cursor.afterId])).toString('base64url');
  return `${body}.${mac(box, query, body)}`;
}

export function decodePageToken(box: SecretBox, query: string, token: string): PageCursor {
  const invalid = new ValidationError('Invalid pagination token: NextToken was not produced by this query.');
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) throw invalid;
  const expected = Buffer.from(mac(box, query, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid;
  const value: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  if (!Array.isArray(value) || value.length !== 2 || typeof value[1] !== 'string') throw invalid;
  const [after, afterId] = value as [unknown, string];
  if (typeof after !== 'number' && typeof after !== 'string') throw invalid;
  return { after, afterId };
}

function mac(box: SecretBox, query: string, body: string): string {
  return box.mac(`page\n${query}\n${body}`).subarray(0, 16).toString('base64url');
}
