import { l10n } from '../l10n';
import { RetabError } from './errors';

/** One page of a list read in one direction. */
export interface DirectedPage<T> {
  items: T[];
  nextCursor: string | null;
}

export type ReadOrder = 'asc' | 'desc';

export interface ReadFromBothEndsOptions<T> {
  /** Fetches one page in `order`, after `cursor` (undefined: the first page). */
  fetchPage(cursor: string | undefined, order: ReadOrder, signal: AbortSignal): Promise<DirectedPage<T>>;
  idOf(item: T): string;
  /** Whether the list may be read from its end too (`order=desc`); checked against the answers. */
  bothEnds: boolean;
  /**
   * Ask the end's first page together with the start's (the list is known to be long). Otherwise
   * the end is asked only once the start's first page says there is more: a one-page list costs
   * one request.
   */
  endAtOnce?: boolean;
  /** Pages read at most, both directions together: a server that never ends must not spin the host. */
  maxPages: number;
  signal?: AbortSignal;
  /** Each page's new items as they come: from the list's start (in its order), or from its end (last first). */
  onItems?(items: readonly T[], from: 'start' | 'end'): void;
}

export interface ReadResult<T> {
  /** Every item once, in the list's own (`asc`) order. */
  items: T[];
  /** Stopped at `maxPages` while the server still offered more. */
  truncated: boolean;
}

interface Stream<T> {
  from: 'start' | 'end';
  order: ReadOrder;
  /** In this stream's own order. */
  items: T[];
  ids: Set<string>;
  cursor: string | undefined;
  seenCursors: Set<string>;
  finished: boolean;
}

function stream<T>(from: 'start' | 'end'): Stream<T> {
  return { from, order: from === 'start' ? 'asc' : 'desc', items: [], ids: new Set(), cursor: undefined, seenCursors: new Set(), finished: false };
}

const cancelled = (): RetabError => new RetabError('cancelled', l10n.t('The request was cancelled.'));

/**
 * Reads a cursor-paged list from both ends at once where the server allows it: one cursor from the
 * start (`order=asc`), one from the end (`order=desc`), until they meet, which halves the wall time
 * of a long list against following one cursor page after page. Items are handed out as each page
 * arrives, so the first ones show after one page's round trip whatever the list's size.
 *
 * Nothing here trusts the server: the end is read only if its first page is not the start's (a
 * server that ignores `order` sends the start again; the list is then read from the start alone);
 * each stream stops on a page with nothing new or a repeated cursor; both together read at most `maxPages`
 * pages; an item is kept once however often it is sent.
 */
export async function readFromBothEnds<T>(options: ReadFromBothEndsOptions<T>): Promise<ReadResult<T>> {
  const inner = new AbortController();
  const onAbort = (): void => inner.abort();
  if (options.signal?.aborted) {
    throw cancelled();
  }
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const start = stream<T>('start');
  const end = stream<T>('end');
  let pages = 0;
  let truncated = false;
  let useEnd = options.bothEnds;
  /** The streams met (or one read the whole list): every item is in. */
  let complete = false;

  const fetchPage = (from: Stream<T>): Promise<DirectedPage<T>> => {
    pages++;
    return options.fetchPage(from.cursor, from.order, inner.signal);
  };

  /** Takes a page's items the other stream has not read, then its cursor; says whether the streams met. */
  const take = (into: Stream<T>, other: Stream<T>, page: DirectedPage<T>): boolean => {
    const fresh: T[] = [];
    let meets = false;
    for (const item of page.items) {
      const id = options.idOf(item);
      if (other.ids.has(id)) {
        meets = true;
        break;
      }
      if (!into.ids.has(id)) {
        into.ids.add(id);
        into.items.push(item);
        fresh.push(item);
      }
    }
    if (fresh.length > 0) {
      options.onItems?.(fresh, into.from);
    }
    const next = page.nextCursor;
    // A page with nothing new (a server that sends the same items under new cursors) ends it too.
    if (!next || fresh.length === 0 || into.seenCursors.has(next)) {
      into.finished = true;
    } else {
      into.seenCursors.add(next);
      into.cursor = next;
    }
    return meets || into.finished;
  };

  const follow = async (from: Stream<T>, other: Stream<T>): Promise<void> => {
    while (!complete) {
      if (pages >= options.maxPages) {
        truncated = true;
        return;
      }
      const page = await fetchPage(from);
      if (complete) {
        return;
      }
      if (take(from, other, page)) {
        complete = true;
        // The other stream's page on the way is not needed any more.
        inner.abort();
        return;
      }
    }
  };

  try {
    const endAtOnce = options.endAtOnce ?? true;
    let firstEnd = useEnd && endAtOnce ? fetchPage(end).catch(() => undefined) : undefined;
    // The start's first page is handed out as soon as it comes, whatever the end's does.
    const firstStart = await fetchPage(start);
    complete = take(start, end, firstStart);
    if (useEnd && !endAtOnce && !complete) {
      firstEnd = fetchPage(end).catch(() => undefined);
    }
    const endPage = await firstEnd;
    const endFirstItem = endPage?.items[0];
    if (complete || !endPage || endFirstItem === undefined || start.ids.has(options.idOf(endFirstItem))) {
      useEnd = false;
    } else {
      complete = take(end, start, endPage);
    }
    await Promise.all([follow(start, end), useEnd ? follow(end, start) : Promise.resolve()]).catch((caught: unknown) => {
      // A page aborted because the streams met is not a failure.
      if (!complete) {
        throw caught;
      }
    });
  } catch (caught) {
    throw options.signal?.aborted ? cancelled() : caught;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    inner.abort();
  }
  if (options.signal?.aborted) {
    throw cancelled();
  }
  const items = start.items;
  for (let index = end.items.length - 1; index >= 0; index--) {
    items.push(end.items[index]);
  }
  return { items, truncated: truncated && !complete };
}
