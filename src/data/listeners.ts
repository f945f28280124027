/**
 * A minimal event for the data layer, which has no vscode and so no EventEmitter: listeners are
 * added with a disposable and called in order. `fire` snapshots the set, so a listener that
 * unsubscribes (or subscribes another) while being called does not disturb the round.
 */
export class Listeners {
  private readonly listeners = new Set<() => void>();

  add(listener: () => void): { dispose(): void } {
    // A wrapper per subscription: the same function added twice is two subscriptions.
    const entry = (): void => listener();
    this.listeners.add(entry);
    return { dispose: () => this.listeners.delete(entry) };
  }

  fire(): void {
    for (const listener of [...this.listeners]) {
      listener();
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
