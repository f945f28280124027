/**
 * A minimal event for the data layer, which has no vscode and so no EventEmitter: listeners are
 * added with a disposable and called in order, with the event's value (none for `Listeners<void>`).
 * `fire` snapshots the set, so a listener that unsubscribes (or subscribes another) while being
 * called does not disturb the round.
 */
export class Listeners<T = void> {
  private readonly listeners = new Set<(value: T) => void>();

  add(listener: (value: T) => void): { dispose(): void } {
    // A wrapper per subscription: the same function added twice is two subscriptions.
    const entry = (value: T): void => listener(value);
    this.listeners.add(entry);
    return { dispose: () => this.listeners.delete(entry) };
  }

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      listener(value);
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
