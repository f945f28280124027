/** The part of VS Code's Memento the store uses; plain objects satisfy it in unit tests. */
export interface KeyValueStorage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface Snapshot {
  savedAt: number;
  value: unknown;
}

const STORAGE_KEY = 'retab.snapshots.v1';
const MAX_ENTRIES = 300;
const WRITE_DELAY_MS = 1_000;

type Entries = Record<string, Snapshot>;

/**
 * Keeps the last server answer of each list (workflows, experiments, runs) across window reloads,
 * so an offline start or a rejected key still shows something, labelled with its age. Only
 * server data goes in; never the key. Writes are batched because lists arrive in bursts.
 */
export class SnapshotStore {
  private entries: Entries;
  private writeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly scope: () => string,
  ) {
    this.entries = storage.get<Entries>(STORAGE_KEY) ?? {};
  }

  save(key: string, value: unknown, now: number = Date.now()): void {
    const scoped = this.scoped(key);
    delete this.entries[scoped];
    this.entries[scoped] = { savedAt: now, value };
    const keys = Object.keys(this.entries);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) {
      delete this.entries[old];
    }
    this.scheduleWrite();
  }

  load(key: string): Snapshot | undefined {
    return this.entries[this.scoped(key)];
  }

  /** Forget everything: another key may mean another account. */
  clear(): void {
    this.entries = {};
    this.scheduleWrite();
  }

  async flush(): Promise<void> {
    clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    await this.storage.update(STORAGE_KEY, this.entries);
  }

  private scoped(key: string): string {
    return `${this.scope()} ${key}`;
  }

  private scheduleWrite(): void {
    if (this.writeTimer) {
      return;
    }
    this.writeTimer = setTimeout(() => void this.flush(), WRITE_DELAY_MS);
  }
}
