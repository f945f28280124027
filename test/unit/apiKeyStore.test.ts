import * as assert from 'node:assert/strict';
import { API_KEY_SECRET, ApiKeyStore, SecretStorageLike } from '../../src/data/apiKeyStore';

function memoryStorage(): SecretStorageLike & { values: Map<string, string>; fire(key: string): void } {
  const values = new Map<string, string>();
  const listeners = new Set<(event: { key: string }) => unknown>();
  return {
    values,
    get: async (key) => values.get(key),
    store: async (key, value) => {
      values.set(key, value);
      // VS Code echoes a window's own change back to it, sometimes; the store must not double-announce.
      setTimeout(() => listeners.forEach((listener) => listener({ key })), 0);
    },
    delete: async (key) => {
      values.delete(key);
    },
    onDidChange: (listener) => {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    fire: (key) => listeners.forEach((listener) => listener({ key })),
  };
}

describe('ApiKeyStore', () => {
  it('keeps the key only in secret storage and follows changes from elsewhere', async () => {
    const storage = memoryStorage();
    const store = new ApiKeyStore(storage, () => assert.fail('no warning expected'));
    let changes = 0;
    store.onDidChange(() => changes++);
    await store.set('sk_1', 'https://api.retab.com');
    assert.equal(changes, 1, 'a key set here is announced at once, without waiting for storage events');
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(changes, 1, 'the echo of our own change is not announced again');
    assert.equal(storage.values.get(API_KEY_SECRET), 'sk_1');
    assert.equal(await store.get(), 'sk_1');
    storage.values.set(API_KEY_SECRET, 'sk_2');
    storage.fire(API_KEY_SECRET);
    assert.equal(await store.get(), 'sk_2');
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(changes, 2, 'a change from another window is announced');
    await store.clear();
    assert.equal(await store.has(), false);
  });

  it('says once, clearly, when secret storage is unavailable', async () => {
    const warnings: string[] = [];
    const broken: SecretStorageLike = {
      get: () => Promise.reject(new Error('Cannot create an item in a locked collection')),
      store: () => Promise.reject(new Error('Cannot create an item in a locked collection')),
      delete: async () => undefined,
      onDidChange: () => ({ dispose: () => undefined }),
    };
    const store = new ApiKeyStore(broken, (message) => warnings.push(message));
    assert.equal(await store.get(), undefined);
    assert.equal(await store.get(), undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /secret storage is unavailable.*keyring/);
    await assert.rejects(store.set('sk_1', 'https://api.retab.com'), /secret storage is unavailable/);
  });

  it('binds the key to the origin it was verified for and refuses it elsewhere until allowed', async () => {
    const store = new ApiKeyStore(memoryStorage(), () => assert.fail('no warning expected'));
    await store.set('sk_1', 'https://api.retab.com');
    assert.equal(await store.keyFor('https://api.retab.com/v1'), 'sk_1');
    await assert.rejects(
      store.keyFor('https://evil.example/v1'),
      (error: Error & { kind?: string }) => error.kind === 'key_origin' && /evil\.example/.test(error.message),
    );
    await assert.rejects(store.keyFor('https://api.retab.com:8443/v1'), (error: Error & { kind?: string }) => error.kind === 'key_origin');
    await store.bindOrigin('https://evil.example');
    assert.equal(await store.keyFor('https://evil.example/v1'), 'sk_1');
    await store.clear();
    assert.equal(await store.keyFor('https://evil.example/v1'), undefined);
  });
});
