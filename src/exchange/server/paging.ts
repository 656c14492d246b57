/**
 * Cursor pagination as Kalshi does it (kalshi-api.md §3.5): `limit` (default 100, max per endpoint)
 * and an opaque `cursor`; an empty cursor marks the last page.
 */
import { HttpError } from './errors.js';
import { intQuery, stringQuery } from './schemas.js';

/** Returns one page of `items` and the cursor of the next page ('' when none). */
export function paginate<T>(items: readonly T[], query: Record<string, unknown>, options: { defaultLimit?: number; maxLimit?: number } = {}): { page: T[]; cursor: string } {
  const limit = intQuery(query['limit'], 'limit', { min: 1, max: options.maxLimit ?? 1000 }) ?? options.defaultLimit ?? 100;
  const offset = decodeCursor(stringQuery(query['cursor']));
  const page = items.slice(offset, offset + limit);
  const next = offset + limit;
  return { page, cursor: next < items.length ? encodeCursor(next) : '' };
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^offset:(\d{1,9})$/.exec(text);
  if (!match) throw new HttpError(400, 'invalid_parameters', `cursor: was ${JSON.stringify(cursor)}, expected a cursor returned by this endpoint`);
  return Number(match[1]);
}

/**
 * Returns one page of the items matching `keep`, newest (last) first, without copying the whole
 * list: the public tape grows without bound while the generator runs.
 */
export function paginateNewestFirst<T>(items: readonly T[], keep: (item: T) => boolean, query: Record<string, unknown>, options: { defaultLimit?: number; maxLimit?: number } = {}): { page: T[]; cursor: string } {
  const limit = intQuery(query['limit'], 'limit', { min: 1, max: options.maxLimit ?? 1000 }) ?? options.defaultLimit ?? 100;
  const offset = decodeCursor(stringQuery(query['cursor']));
  const page: T[] = [];
  let seen = 0;
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i] as T;
    if (!keep(item)) continue;
    if (seen++ < offset) continue;
    if (page.length === limit) return { page, cursor: encodeCursor(offset + limit) };
    page.push(item);
  }
  return { page, cursor: '' };
}
