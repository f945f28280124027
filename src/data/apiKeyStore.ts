/** The slice of VS Code's SecretStorage the key store uses; tests pass a plain object. */
export interface SecretStorageLike {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  onDidChange(listener: (event: { key: string }) => unknown): { dispose(): unknown };
}

export const API_KEY_SECRET = 'retab.apiKey';

/**
 * The only place the key lives is secret storage. Reads are memoised because every request needs
 * the key; the memo follows storage change events, so another window's change is seen here too.
 * When secret storage itself fails (Linux without a keyring), the user is told once, clearly.
 */
export class ApiKeyStore {
  private readonly listeners = new Set<() => void>();
  private memo: Promise<string | undefined> | undefined;
  private readonly subscription: { dispose(): unknown };
  private warnedUnavailable = false;
  /** The key listeners last heard about; the first read sets it without an announcement. */
  private announced: string | undefined;

  constructor(
    private readonly secrets: SecretStorageLike,
    private readonly warnUnavailable: (message: string) => void,
  ) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === API_KEY_SECRET) {
        void this.onStorageChanged();
      }
    });
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get(): Promise<string | undefined> {
    this.memo ??= this.read().then((key) => {
      this.announced ??= key;
      return key;
    });
    return this.memo;
  }

  async has(): Promise<boolean> {
    return Boolean(await this.get());
  }

  /**
   * Changes made here are announced here: browser-hosted VS Code does not always report a
   * window's own store back to it, and the view must not keep asking for a key it has.
   */
  async set(key: string): Promise<void> {
    try {
      await this.secrets.store(API_KEY_SECRET, key);
    } catch (caught) {
      throw new Error(unavailableMessage(caught));
    }
    this.update(key);
  }

  async clear(): Promise<void> {
    await this.secrets.delete(API_KEY_SECRET);
    this.update(undefined);
  }

  dispose(): void {
    this.subscription.dispose();
    this.listeners.clear();
  }

  /** Another window (or this one, echoed back) changed the key: announce it only if it differs. */
  private async onStorageChanged(): Promise<void> {
    this.memo = undefined;
    this.update(await this.get(), true);
  }

  private update(key: string | undefined, alreadyRead = false): void {
    if (!alreadyRead) {
      this.memo = Promise.resolve(key);
    }
    if (key === this.announced) {
      return;
    }
    this.announced = key;
    for (const listener of this.listeners) {
      listener();
    }
  }

  private async read(): Promise<string | undefined> {
    try {
      return (await this.secrets.get(API_KEY_SECRET)) || undefined;
    } catch (caught) {
      this.memo = undefined;
      if (!this.warnedUnavailable) {
        this.warnedUnavailable = true;
        this.warnUnavailable(unavailableMessage(caught));
      }
      return undefined;
    }
  }
}

function unavailableMessage(caught: unknown): string {
  const reason = caught instanceof Error ? caught.message : String(caught);
  return (
    `Retab cannot use its API key: the system's secret storage is unavailable (${reason}). ` +
    'On Linux, install and unlock a keyring such as GNOME Keyring or KWallet, then reload the window.'
  );
}
