/** The part of VS Code's Memento the store uses; plain objects satisfy it in unit tests. */
import { l10n } from '../l10n';
export interface KeyValueStorage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface Snapshot {
  savedAt: number;
  value: unknown;
}

/**
 * v2 holds the domain's own shapes (see repository.ts), never one generation's wire JSON, so a
 * server that changes generation cannot make saved data unreadable. v1 held wire JSON: dropped.
 */
const STORAGE_KEY = 'retab.snapshots.v2';
const OLD_KEYS = ['retab.snapshots.v1'];
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

  /**
   * `legacy`: where earlier versions kept the lists (VS Code's global state); what is there is
   * taken over once, then removed from it.
   */
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly scope: () => string,
    private readonly onError: (message: string) => void = () => undefined,
    legacy?: KeyValueStorage,
  ) {
    let stored = storage.get<unknown>(STORAGE_KEY);
    const inLegacy = legacy?.get<unknown>(STORAGE_KEY);
    if (legacy && inLegacy !== undefined) {
      if (stored === undefined && isEntries(inLegacy)) {
        stored = inLegacy;
        void this.persist(STORAGE_KEY, inLegacy);
      }
      void Promise.resolve(legacy.update(STORAGE_KEY, undefined)).catch(() => undefined);
    }
    this.entries = isEntries(stored) ? stored : {};
    for (const key of OLD_KEYS) {
      if (storage.get(key) !== undefined) {
        // persist never rejects: a failed removal is reported through onError.
        void this.persist(key, undefined);
      }
    }
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
    const scoped = this.scoped(key);
    return Object.hasOwn(this.entries, scoped) ? this.entries[scoped] : undefined;
  }

  /**
   * Forget what was saved in the current scope (another key may mean another account); what other
   * scopes (other connections) saved stays theirs.
   */
  clear(): void {
    const prefix = `${this.scope()} `;
    for (const key of Object.keys(this.entries)) {
      if (key.startsWith(prefix)) {
        delete this.entries[key];
      }
    }
    this.scheduleWrite();
  }

  /** Writes now. Never rejects: a failed save is reported and the data stays in memory. */
  async flush(): Promise<void> {
    clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    await this.persist(STORAGE_KEY, this.entries);
  }

  private async persist(key: string, value: unknown): Promise<void> {
    try {
      await this.storage.update(key, value);
    } catch (caught) {
      this.onError(l10n.t('Could not save the last known lists: {0}', caught instanceof Error ? caught.message : String(caught)));
    }
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

function isEntries(value: unknown): value is Entries {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry: unknown) => typeof entry === 'object' && entry !== null && typeof (entry as Snapshot).savedAt === 'number')
  );
}
