import { l10n } from '../l10n';
import { ApiKeyStore, KeyStore, LEGACY_SECRET_NAMES, SecretNames, SecretStorageLike, originOf } from './apiKeyStore';
import { Listeners } from './listeners';
import { trimTrailingSlashes } from '../api/strings';
import type { KeyValueStorage } from './snapshotStore';

/**
 * One Retab account on one server: what a person names "Acme prod" or "Client X". The key is in
 * secret storage under names derived from the id; everything loaded, saved and detected for a
 * connection is scoped by `scopeOf`, so two connections never see each other's data.
 */
export interface Connection {
  readonly id: string;
  readonly name: string;
  /** Absent for the first connection, which keeps following the `retab.apiBaseUrl` setting. */
  readonly baseUrl?: string;
}

/** The connection made from the single key and `retab.apiBaseUrl` of earlier versions. */
export const FIRST_CONNECTION_ID = 'default';
const LIST_KEY = 'retab.connections.v1';
const ACTIVE_KEY = 'retab.activeConnection';
const MAX_CONNECTIONS = 50;
const MAX_NAME_LENGTH = 80;

/** The first connection keeps the names the key always had, so migrating moves no secret. */
export function secretNamesOf(id: string): SecretNames {
  return id === FIRST_CONNECTION_ID ? LEGACY_SECRET_NAMES : { key: `retab.connection.${id}.apiKey`, origin: `retab.connection.${id}.apiKey.origin` };
}

/**
 * The prefix of everything saved or remembered for a connection. The first connection's is empty,
 * so what earlier versions saved (last-known lists, detected generations) stays its own.
 */
export function scopeOf(id: string): string {
  return id === FIRST_CONNECTION_ID ? '' : `connection:${id}|`;
}

/** "Retab" for Retab's own server, else the host: the first connection's name. */
export function defaultNameFor(baseUrl: string): string {
  const origin = originOf(baseUrl);
  if (!origin) {
    return l10n.t('Retab');
  }
  const host = new URL(origin).host;
  return host === 'api.retab.com' ? l10n.t('Retab') : host;
}

/** What is kept in global state: `name` absent for the first connection until it is renamed. */
type StoredConnection = Omit<Connection, 'name'> & { readonly name?: string };

export interface ConnectionChange {
  /** Another connection is in use now (not just another key for the same one). */
  readonly switched: boolean;
}

/**
 * The connections, the one in use, and its key. Reads of the list are validated (global state is
 * shared with every other window and version of the extension); an unreadable list becomes the
 * first connection again rather than failing activation.
 */
export class ConnectionStore {
  /** As stored: the first connection has no name until renamed (its name follows its server). */
  private connections: StoredConnection[];
  private activeId: string;
  private readonly stores = new Map<string, ApiKeyStore>();
  private readonly changed = new Listeners<ConnectionChange>();
  private readonly listChanged = new Listeners();
  private readonly keySubscriptions = new Map<string, { dispose(): void }>();
  /** The key store of the connection in use: what requests and the key commands go through. */
  readonly keys: KeyStore;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly secrets: SecretStorageLike,
    private readonly warnUnavailable: (message: string) => void,
    private readonly settingsBaseUrl: () => string,
  ) {
    const stored = readConnections(storage.get<unknown>(LIST_KEY));
    if (stored) {
      this.connections = stored;
    } else {
      // Migration: the single key and retab.apiBaseUrl become the first connection, nothing moved.
      this.connections = [{ id: FIRST_CONNECTION_ID }];
      void Promise.resolve(storage.update(LIST_KEY, this.connections)).catch(() => undefined);
    }
    const active = storage.get<unknown>(ACTIVE_KEY);
    this.activeId = typeof active === 'string' && this.connections.some((c) => c.id === active) ? active : this.connections[0].id;
    this.keys = this.activeKeys();
  }

  /** Fires when the connection in use changes, or its key does. */
  onDidChange(listener: (change: ConnectionChange) => void): { dispose(): void } {
    return this.changed.add(listener);
  }

  /** Fires when connections are added, renamed or removed. */
  onDidChangeList(listener: () => void): { dispose(): void } {
    return this.listChanged.add(listener);
  }

  list(): readonly Connection[] {
    return this.connections.map((stored) => this.named(stored));
  }

  active(): Connection {
    return this.named(this.connections.find((c) => c.id === this.activeId) ?? this.connections[0]);
  }

  /** A connection never renamed (the first) is named after the server retab.apiBaseUrl names now. */
  private named(stored: StoredConnection): Connection {
    return { ...stored, name: stored.name ?? defaultNameFor(this.baseUrl(stored)) };
  }

  /** Where the connection's requests go. */
  baseUrl(connection: StoredConnection = this.active()): string {
    return connection.baseUrl ?? this.settingsBaseUrl();
  }

  /** The prefix of what is saved and remembered for the connection in use. */
  scope(): string {
    return scopeOf(this.active().id);
  }

  keyStoreOf(id: string): ApiKeyStore {
    let store = this.stores.get(id);
    if (!store) {
      store = new ApiKeyStore(this.secrets, this.warnUnavailable, secretNamesOf(id));
      this.stores.set(id, store);
      this.keySubscriptions.set(
        id,
        store.onDidChange(() => {
          if (id === this.activeId) {
            this.changed.fire({ switched: false });
          }
        }),
      );
    }
    return store;
  }

  /** Adds a connection whose key was checked at `baseUrl`; it is not made active here. */
  async add(name: string, baseUrl: string, key: string): Promise<Connection> {
    const origin = originOf(baseUrl);
    if (!origin) {
      // Shown to the person adding it ("the connection was not added: …").
      throw new Error(l10n.t('"{0}" is not an http(s) URL.', baseUrl.slice(0, 200)));
    }
    if (this.connections.length >= MAX_CONNECTIONS) {
      throw new Error(l10n.t('At most {0} connections can be kept.', MAX_CONNECTIONS));
    }
    const connection: Connection = { id: newId(this.connections), name: cleanName(name), baseUrl: trimTrailingSlashes(baseUrl.trim()) };
    await this.keyStoreOf(connection.id).set(key, origin);
    this.connections = [...this.connections, connection];
    await this.saveList();
    return connection;
  }

  async rename(id: string, name: string): Promise<void> {
    this.connections = this.connections.map((c) => (c.id === id ? { ...c, name: cleanName(name) } : c));
    await this.saveList();
  }

  /** Makes `id` the connection in use; everything shown afterwards is that connection's. */
  async switchTo(id: string): Promise<void> {
    if (id === this.activeId || !this.connections.some((c) => c.id === id)) {
      return;
    }
    this.activeId = id;
    await Promise.resolve(this.storage.update(ACTIVE_KEY, id)).catch(() => undefined);
    this.changed.fire({ switched: true });
    this.listChanged.fire();
  }

  /** Removes a connection and its key from secret storage; the last one cannot go (clear its key instead). */
  async remove(id: string): Promise<void> {
    if (this.connections.length <= 1 || !this.connections.some((c) => c.id === id)) {
      return;
    }
    await this.keyStoreOf(id).clear();
    this.keySubscriptions.get(id)?.dispose();
    this.keySubscriptions.delete(id);
    this.stores.get(id)?.dispose();
    this.stores.delete(id);
    this.connections = this.connections.filter((c) => c.id !== id);
    await this.saveList();
    if (id === this.activeId) {
      await this.switchTo(this.connections[0].id);
    }
  }

  dispose(): void {
    for (const subscription of this.keySubscriptions.values()) {
      subscription.dispose();
    }
    for (const store of this.stores.values()) {
      store.dispose();
    }
    this.changed.clear();
    this.listChanged.clear();
  }

  private async saveList(): Promise<void> {
    await this.storage.update(LIST_KEY, this.connections);
    this.listChanged.fire();
  }

  /** A key store that always speaks for the connection in use at the moment of the call. */
  private activeKeys(): KeyStore {
    const current = (): ApiKeyStore => this.keyStoreOf(this.activeId);
    return {
      onDidChange: (listener) => this.changed.add(() => listener()),
      get: () => current().get(),
      has: () => current().has(),
      set: (key, origin) => current().set(key, origin),
      clear: () => current().clear(),
      boundOrigin: (at) => current().boundOrigin(at),
      bindOrigin: (origin) => current().bindOrigin(origin),
      keyFor: (baseUrl) => current().keyFor(baseUrl),
    };
  }
}

// Control characters would break a status bar item and a quick pick alike.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;

function cleanName(name: string): string {
  const cleaned = name.replace(CONTROL_CHARACTERS, ' ').trim().slice(0, MAX_NAME_LENGTH);
  return cleaned || l10n.t('Retab');
}

function newId(existing: readonly StoredConnection[]): string {
  for (;;) {
    const id = Math.random().toString(36).slice(2, 10);
    if (id.length >= 6 && !existing.some((c) => c.id === id)) {
      return id;
    }
  }
}

/** The stored list, or undefined when absent or not a list of connections (then migrated again). */
function readConnections(value: unknown): StoredConnection[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    return undefined;
  }
  const connections: StoredConnection[] = [];
  for (const entry of value.slice(0, MAX_CONNECTIONS)) {
    if (typeof entry !== 'object' || entry === null) {
      continue;
    }
    const { id, name, baseUrl } = entry as Record<string, unknown>;
    const unnamedFirst = id === FIRST_CONNECTION_ID && name === undefined;
    if (typeof id !== 'string' || !/^[a-z0-9]{1,32}$/.test(id) || connections.some((c) => c.id === id) || (typeof name !== 'string' && !unnamedFirst)) {
      continue;
    }
    if (baseUrl !== undefined && (typeof baseUrl !== 'string' || !originOf(baseUrl))) {
      continue;
    }
    const named = typeof name === 'string' ? { name: cleanName(name) } : {};
    connections.push(baseUrl === undefined ? { id, ...named } : { id, ...named, baseUrl });
  }
  return connections.length ? connections : undefined;
}
