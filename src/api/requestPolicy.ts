import { l10n } from '../l10n';
import { RetabError } from './errors';

/** Caps requests in flight so a burst (a big tree, many hovers) cannot flood the server. */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.active++;
        resolve();
      };
      const onAbort = (): void => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) {
          this.waiting.splice(index, 1);
        }
        reject(cancelled());
      };
      if (signal?.aborted) {
        reject(cancelled());
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}

interface SharedEntry {
  promise: Promise<unknown>;
  controller: AbortController;
  subscribers: number;
}

/**
 * Lets identical GETs in flight share one request. Each caller can still give up on its own;
 * the request itself is aborted only when the last caller has.
 */
export class SharedRequests {
  private readonly entries = new Map<string, SharedEntry>();

  run<T>(key: string, start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) {
      return Promise.reject(cancelled());
    }
    let entry = this.entries.get(key);
    if (!entry) {
      const controller = new AbortController();
      const created: SharedEntry = { controller, subscribers: 0, promise: Promise.resolve() };
      created.promise = start(controller.signal).finally(() => {
        if (this.entries.get(key) === created) {
          this.entries.delete(key);
        }
      });
      // A request abandoned by every caller must not surface as an unhandled rejection.
      created.promise.catch(() => undefined);
      this.entries.set(key, created);
      entry = created;
    }
    const current = entry;
    current.subscribers++;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const leave = (): void => {
        if (settled) {
          return;
        }
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        current.subscribers--;
      };
      const onAbort = (): void => {
        leave();
        if (current.subscribers === 0) {
          this.entries.delete(key);
          current.controller.abort(cancelled());
        }
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      current.promise.then(
        (value) => {
          if (!settled) {
            leave();
            resolve(value as T);
          }
        },
        (error: unknown) => {
          if (!settled) {
            leave();
            reject(error);
          }
        },
      );
    });
  }
}

export function cancelled(): RetabError {
  return new RetabError('cancelled', l10n.t('The request was cancelled.'));
}

/** Rejects as soon as the signal aborts, even if the underlying promise never settles. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelled());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    // Timers take at most 2^31 − 1 ms and fire at once beyond it: clamp, never spin.
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(Math.max(0, ms), 2 ** 31 - 1),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff with jitter (half fixed, half random); a server's Retry-After wins, within the cap. */
export function backoffDelayMs(
  attempt: number,
  policy: { baseDelayMs: number; maxDelayMs: number; maxRetryAfterSeconds: number },
  retryAfterSeconds?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterSeconds !== undefined) {
    return Math.min(retryAfterSeconds, policy.maxRetryAfterSeconds) * 1000;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
