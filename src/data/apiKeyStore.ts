import { l10n } from '../l10n';
import { RetabError } from '../api/errors';
import { Listeners } from './listeners';

/** The slice of VS Code's SecretStorage the key store uses; tests pass a plain object. */
export interface SecretStorageLike {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  onDidChange(listener: (event: { key: string }) => unknown): { dispose(): unknown };
}

export const API_KEY_SECRET = 'retab.apiKey';
/** The origin (scheme, host, port) the key was verified against: it is sent nowhere else unasked. */
export const API_KEY_ORIGIN_SECRET = 'retab.apiKey.origin';

/** Where one connection keeps its key and the origin it was verified for, in secret storage. */
export interface SecretNames {
  readonly key: string;
  readonly origin: string;
}

/** The names the single key had before connections: the first connection keeps them. */
export const LEGACY_SECRET_NAMES: SecretNames = { key: API_KEY_SECRET, origin: API_KEY_ORIGIN_SECRET };

/** What the views need of the key of the connection in use (ApiKeyStore, or the active connection's). */
export interface KeyStore {
  onDidChange(listener: () => void): { dispose(): void };
  get(): Promise<string | undefined>;
  has(): Promise<boolean>;
  set(key: string, origin: string): Promise<void>;
  clear(): Promise<void>;
  boundOrigin(current: string | undefined): Promise<string | undefined>;
  bindOrigin(origin: string): Promise<void>;
  keyFor(baseUrl: string): Promise<string | undefined>;
}

/** `https://api.retab.com` for any URL on that server; undefined for what is not a URL. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The only place the key lives is secret storage. Reads are memoised because every request needs
 * the key; the memo follows storage change events, so another window's change is seen here too.
 * When secret storage itself fails (Linux without a keyring), the user is told once, clearly.
 */
export class ApiKeyStore implements KeyStore {
  private readonly changed = new Listeners();
  private memo: Promise<string | undefined> | undefined;
  /** The bound origin, read once: every request asks for it, and secret storage takes milliseconds. */
  private originMemo: string | undefined;
  private readonly subscription: { dispose(): unknown };
  private warnedUnavailable = false;
  /** The key listeners last heard about; the first read sets it without an announcement. */
  private announced: string | undefined;

  constructor(
    private readonly secrets: SecretStorageLike,
    private readonly warnUnavailable: (message: string) => void,
    private readonly names: SecretNames = LEGACY_SECRET_NAMES,
  ) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === names.origin) {
        // Another window allowed another server: read the binding again on the next request.
        this.originMemo = undefined;
      }
      if (event.key === names.key) {
        void this.onStorageChanged();
      }
    });
  }

  onDidChange(listener: () => void): { dispose(): void } {
    return this.changed.add(listener);
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
  async set(key: string, origin: string): Promise<void> {
    this.originMemo = undefined;
    try {
      await this.secrets.store(this.names.origin, origin);
      await this.secrets.store(this.names.key, key);
    } catch (caught) {
      // Not a bug of ours: the system's keyring is missing or locked; the message says what to do.
      throw new RetabError('client', unavailableMessage(caught));
    }
    this.update(key);
  }

  async clear(): Promise<void> {
    this.originMemo = undefined;
    await this.secrets.delete(this.names.key);
    await this.secrets.delete(this.names.origin);
    this.update(undefined);
  }

  /** The origin the key was verified for; a key stored before origins were kept is bound on first use. */
  async boundOrigin(current: string | undefined): Promise<string | undefined> {
    if (this.originMemo) {
      return this.originMemo;
    }
    try {
      const stored = await this.secrets.get(this.names.origin);
      if (stored) {
        this.originMemo = stored;
        return stored;
      }
      if (current && (await this.get())) {
        await this.secrets.store(this.names.origin, current);
      }
      return current;
    } catch {
      return current;
    }
  }

  /** After the user allowed it and the key was verified there: the key now goes to `origin`. */
  async bindOrigin(origin: string): Promise<void> {
    await this.secrets.store(this.names.origin, origin);
    this.originMemo = origin;
  }

  /**
   * The key for a request to `baseUrl`: none when unset; a `key_origin` error when it was verified
   * for another server, so a changed base URL never receives it without the user's word.
   */
  async keyFor(baseUrl: string): Promise<string | undefined> {
    const key = await this.get();
    if (!key) {
      return undefined;
    }
    const origin = originOf(baseUrl);
    const bound = await this.boundOrigin(origin);
    if (origin && bound && origin !== bound) {
      throw new RetabError(
        'key_origin',
        l10n.t(
          'The API key was verified for {0}, not for {1}: it is not sent there until you allow it ("Retab: Use API Key for This Server…").',
          bound,
          origin,
        ),
      );
    }
    return key;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.clear();
  }

  /** Another window (or this one, echoed back) changed the key: announce it only if it differs. */
  private async onStorageChanged(): Promise<void> {
    this.memo = undefined;
    this.originMemo = undefined;
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
    this.changed.fire();
  }

  private async read(): Promise<string | undefined> {
    try {
      return (await this.secrets.get(this.names.key)) || undefined;
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
    l10n.t("Retab cannot use its API key: the system's secret storage is unavailable ({0}). ", reason) +
    l10n.t('On Linux, install and unlock a keyring such as GNOME Keyring or KWallet, then reload the window.')
  );
}
