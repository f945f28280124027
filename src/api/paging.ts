import { l10n } from '../l10n';
import { RetabError } from './errors';

export interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Collected<T> {
  items: T[];
  /** Stopped at `maxPages` while the server still offered more. */
  truncated: boolean;
}

/**
 * Follows `after` cursors to the end, bounded: at most `maxPages` pages, stopping on an empty
 * page or a cursor seen before (a server that loops must not spin the extension host), and
 * checking for cancellation before every page.
 */
export async function collectPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<PageOf<T>>,
  maxPages: number,
  signal?: AbortSignal,
): Promise<Collected<T>> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    if (signal?.aborted) {
      throw new RetabError('cancelled', l10n.t('The request was cancelled.'));
    }
    const result = await fetchPage(cursor);
    for (const item of result.items) {
      items.push(item);
    }
    const next = result.nextCursor;
    if (!next || result.items.length === 0 || seen.has(next)) {
      return { items, truncated: false };
    }
    seen.add(next);
    cursor = next;
  }
  return { items, truncated: true };
}
