import * as assert from 'node:assert/strict';

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
  /** How long between two probes (default 50 ms). */
  pollMs?: number;
  /**
   * A probe that throws is asked again instead of failing the wait: in the browser a frame that
   * is being replaced throws, and answers on the next try.
   */
  retryErrors?: boolean;
}

/**
 * Asks `probe` until it answers something other than `undefined` or `false`, and resolves with
 * that; fails with "timed out waiting: <what>" after `timeoutMs`.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
  options: WaitOptions = {},
): Promise<Exclude<T, false>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) {
        return value as Exclude<T, false>;
      }
    } catch (error) {
      if (!options.retryErrors) {
        throw error;
      }
    }
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting: ${what}`);
    }
    await sleep(options.pollMs ?? 50);
  }
}
