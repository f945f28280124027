import type { KeyValueStorage } from './snapshotStore';

/**
 * The same storage seen through a prefix read at each call (the connection in use), so what one
 * connection remembers is never read for another. An empty prefix is the storage itself.
 */
export function scopedStorage(storage: KeyValueStorage, prefix: () => string): KeyValueStorage {
  return {
    get: <T>(key: string) => storage.get<T>(prefix() + key),
    update: (key, value) => storage.update(prefix() + key, value),
  };
}
