/** How often at most a row whose children are still coming is redrawn: each redraw builds its rows again. */
export const FOLLOW_REDRAW_MS = 250;

export interface ReadState {
  read: number;
  done: boolean;
}

export interface Progress {
  onDidRead(listener: (state: ReadState) => void): { dispose(): void };
}

/**
 * Keeps one row of the tree current while its children come after its load returned (a big run
 * read page by page): redraws it a few times a second at most, and
 * stops (its signal aborted, so the read stops if nobody else wants it) when disposed.
 */
export class Follower {
  readonly controller = new AbortController();
  private readonly followed = new WeakSet<Progress>();
  private readonly subscriptions: Array<{ dispose(): void }> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRedraw = 0;

  constructor(private readonly redraw: () => void) {}

  /**
   * Follows a read once, however often the row's children are built from it; `onProgress` hears
   * of each page before the redraw (the row's own text says how far the read got).
   */
  follow(progress: Progress, onProgress?: (state: ReadState) => void): void {
    if (this.controller.signal.aborted || this.followed.has(progress)) {
      return;
    }
    this.followed.add(progress);
    const subscription = progress.onDidRead((state) => {
      onProgress?.(state);
      // The end of a read too: several things followed may end together (documents, scores).
      this.redrawSoon();
    });
    this.subscriptions.push(subscription);
  }

  private redrawSoon(): void {
    if (this.timer !== undefined) {
      return;
    }
    const wait = Math.max(0, this.lastRedraw + FOLLOW_REDRAW_MS - Date.now());
    this.timer = setTimeout(() => this.redrawNow(), wait);
  }

  private redrawNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.controller.signal.aborted) {
      return;
    }
    this.lastRedraw = Date.now();
    this.redraw();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.controller.abort();
    for (const subscription of this.subscriptions.splice(0)) {
      subscription.dispose();
    }
  }
}
