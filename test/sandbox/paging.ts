/**
 * Cursor paging for `{data, list_metadata: {before, after}}` lists. A cursor is opaque to
 * clients (base64url of the list's name and the boundary item's id), names one list only, and
 * moves strictly forward (`after`) or backward (`before`): following `after` until it is null
 * visits every item exactly once and never hands out the same cursor twice.
 */

export interface PageQuery {
  limit: number;
  order: 'asc' | 'desc';
  after?: string;
  before?: string;
}

export interface PageLimits {
  defaultLimit: number;
  maxLimit: number;
  /** `desc` (newest first) unless said otherwise. */
  defaultOrder?: 'asc' | 'desc';
}

export interface Page<T> {
  data: T[];
  list_metadata: { before: string | null; after: string | null };
}

export class PageError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
  ) {
    super(typeof detail === 'string' ? detail : JSON.stringify(detail));
  }
}

/** Reads `limit`, `order`, `after` and `before`; a bad value is a 422 as a real server's validation would give. */
export function pageQuery(query: URLSearchParams, limits: PageLimits): PageQuery {
  const limitText = query.get('limit') || String(limits.defaultLimit);
  const limit = Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > limits.maxLimit) {
    throw new PageError(422, `limit must be an integer from 1 to ${limits.maxLimit}, not "${limitText}"`);
  }
  const order = query.get('order') || limits.defaultOrder || 'desc';
  if (order !== 'asc' && order !== 'desc') {
    throw new PageError(422, `order must be "asc" or "desc", not "${order}"`);
  }
  const after = query.get('after') || undefined;
  const before = query.get('before') || undefined;
  if (after && before) {
    throw new PageError(422, 'pass either after or before, not both');
  }
  return { limit, order, after, before };
}

export function encodeCursor(list: string, id: string): string {
  return Buffer.from(`${list}\u0000${id}`, 'utf8').toString('base64url');
}

function decodeCursor(list: string, cursor: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const separator = text.indexOf('\u0000');
  if (separator < 0 || text.slice(0, separator) !== list) {
    throw new PageError(400, { code: 'invalid_cursor', message: `Unknown cursor "${cursor}"` });
  }
  return text.slice(separator + 1);
}

/**
 * One page of `items` (already in the requested order). `list` names the list a cursor belongs to
 * (e.g. `results:exprun_big_1`), so that a cursor of one list is refused by another.
 */
export function pageOf<T>(items: readonly T[], idOf: (item: T) => string, list: string, query: PageQuery): Page<T> {
  let start = 0;
  let end = query.limit;
  const cursor = query.after ?? query.before;
  if (cursor !== undefined) {
    const id = decodeCursor(list, cursor);
    const position = items.findIndex((item) => idOf(item) === id);
    if (position < 0) {
      throw new PageError(400, { code: 'invalid_cursor', message: `Cursor "${cursor}" no longer points into this list` });
    }
    if (query.after !== undefined) {
      start = position + 1;
      end = start + query.limit;
    } else {
      end = position;
      start = Math.max(0, end - query.limit);
    }
  }
  const data = items.slice(start, end);
  return {
    data,
    list_metadata: {
      before: start > 0 && data.length > 0 ? encodeCursor(list, idOf(data[0])) : null,
      after: end < items.length && data.length > 0 ? encodeCursor(list, idOf(data[data.length - 1])) : null,
    },
  };
}
