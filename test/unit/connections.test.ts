import * as assert from 'node:assert/strict';
import { API_KEY_ORIGIN_SECRET, API_KEY_SECRET, SecretStorageLike } from '../../src/data/apiKeyStore';
import { ConnectionStore, FIRST_CONNECTION_ID, defaultNameFor, secretNamesOf } from '../../src/data/connections';
import { KeyValueStorage, SnapshotStore } from '../../src/data/snapshotStore';
import { scopedStorage } from '../../src/data/scopedStorage';

function secrets(initial: Record<string, string> = {}): SecretStorageLike & { values: Map<string, string> } {
  const values = new Map(Object.entries(initial));
  return {
    values,
    get: async (key) => values.get(key),
    store: async (key, value) => {
      values.set(key, value);
    },
    delete: async (key) => {
      values.delete(key);
    },
    onDidChange: () => ({ dispose: () => undefined }),
  };
}

function memento(initial: Record<string, unknown> = {}): KeyValueStorage & { values: Map<string, unknown> } {
  const values = new Map(Object.entries(initial));
  return {
    values,
    get: <T>(key: string) => values.get(key) as T | undefined,
    update: async (key, value) => {
      if (value === undefined) {
        values.delete(key);
      } else {
        values.set(key, value);
      }
    },
  };
}

describe('Connections', () => {
  it('makes the single key and retab.apiBaseUrl of earlier versions the first connection, moving no secret', async () => {
    const vault = secrets({ [API_KEY_SECRET]: 'sk_old', [API_KEY_ORIGIN_SECRET]: 'https://eu.retab.example' });
    const state = memento();
    let settingsUrl = 'https://eu.retab.example/';
    const store = new ConnectionStore(
      state,
      vault,
      () => assert.fail('no warning'),
      () => settingsUrl,
    );
    assert.deepEqual(store.list(), [{ id: FIRST_CONNECTION_ID, name: 'eu.retab.example' }]);
    assert.equal(await store.keys.get(), 'sk_old');
    assert.equal(await store.keys.keyFor('https://eu.retab.example/v1'), 'sk_old');
    // It keeps following the setting, and the key stays bound to the origin it was verified for.
    settingsUrl = 'https://other.example';
    assert.equal(store.baseUrl(), 'https://other.example');
    assert.equal(store.active().name, 'other.example', 'its name follows its server until renamed');
    await assert.rejects(store.keys.keyFor(store.baseUrl()), /verified for https:\/\/eu\.retab\.example/);
    // The list is kept: the next start reads it instead of migrating again.
    assert.ok(state.values.has('retab.connections.v1'));
    assert.deepEqual(
      new ConnectionStore(
        state,
        vault,
        () => undefined,
        () => settingsUrl,
      ).list(),
      store.list(),
    );
    assert.equal(defaultNameFor('https://api.retab.com'), 'Retab');
    await store.rename(FIRST_CONNECTION_ID, 'Acme prod');
    settingsUrl = 'https://third.example';
    assert.equal(store.active().name, 'Acme prod', 'a name given stays');
  });

  it('keeps each key under its own name, switches, and removes a key with its connection', async () => {
    const vault = secrets({ [API_KEY_SECRET]: 'sk_first', [API_KEY_ORIGIN_SECRET]: 'https://api.retab.com' });
    const state = memento();
    const store = new ConnectionStore(
      state,
      vault,
      () => undefined,
      () => 'https://api.retab.com',
    );
    const changes: boolean[] = [];
    store.onDidChange((change) => changes.push(change.switched));
    const staging = await store.add('Acme staging\n', 'https://staging.acme.example/', 'sk_staging');
    assert.equal(staging.name, 'Acme staging');
    assert.equal(staging.baseUrl, 'https://staging.acme.example');
    assert.equal(vault.values.get(secretNamesOf(staging.id).key), 'sk_staging');
    assert.equal(await store.keys.get(), 'sk_first', 'adding does not switch');

    await store.switchTo(staging.id);
    assert.deepEqual(changes, [true]);
    assert.equal(store.active().id, staging.id);
    assert.equal(await store.keys.keyFor(store.baseUrl()), 'sk_staging');
    // The first key never goes to the second server, nor the second to the first.
    await assert.rejects(store.keyStoreOf(FIRST_CONNECTION_ID).keyFor('https://staging.acme.example'), /not sent there/);
    await assert.rejects(store.keys.keyFor('https://api.retab.com'), /not sent there/);
    // The choice survives a restart.
    assert.equal(
      new ConnectionStore(
        state,
        vault,
        () => undefined,
        () => 'https://api.retab.com',
      ).active().id,
      staging.id,
    );

    await store.remove(staging.id);
    assert.equal(vault.values.has(secretNamesOf(staging.id).key), false);
    assert.equal(vault.values.has(secretNamesOf(staging.id).origin), false);
    assert.equal(store.active().id, FIRST_CONNECTION_ID);
    assert.equal(await store.keys.get(), 'sk_first');
    await store.remove(FIRST_CONNECTION_ID);
    assert.equal(store.list().length, 1, 'the last connection stays');
  });

  it('reads a damaged list as the first connection again, and drops entries that are not connections', () => {
    const state = memento({
      'retab.connections.v1': [
        { id: 'abc123', name: 'Client X', baseUrl: 'https://x.example' },
        { id: 'abc123', name: 'duplicate' },
        { id: '../x', name: 'bad id' },
        { id: 'def456', name: 'Bad URL', baseUrl: 'javascript:alert(1)' },
        'nonsense',
      ],
      'retab.activeConnection': 'gone',
    });
    const store = new ConnectionStore(
      state,
      secrets(),
      () => undefined,
      () => 'https://api.retab.com',
    );
    assert.deepEqual(store.list(), [{ id: 'abc123', name: 'Client X', baseUrl: 'https://x.example' }]);
    assert.equal(store.active().id, 'abc123');
    const broken = new ConnectionStore(
      memento({ 'retab.connections.v1': 42 }),
      secrets(),
      () => undefined,
      () => 'https://api.retab.com',
    );
    assert.deepEqual(broken.list(), [{ id: FIRST_CONNECTION_ID, name: 'Retab' }]);
  });

  it('keeps saved lists and remembered generations per connection', async () => {
    const state = memento();
    const store = new ConnectionStore(
      state,
      secrets(),
      () => undefined,
      () => 'https://api.retab.com',
    );
    const other = await store.add('Client X', 'https://api.retab.com', 'sk_x');
    const scope = (): string => store.scope() + store.baseUrl();
    const files = memento();
    const snapshots = new SnapshotStore(files, scope);
    snapshots.save('workflows', ['first account']);
    await store.switchTo(other.id);
    assert.equal(snapshots.load('workflows'), undefined, 'same server, other account: nothing crosses');
    snapshots.save('workflows', ['client x']);
    snapshots.clear();
    await store.switchTo(FIRST_CONNECTION_ID);
    assert.deepEqual(snapshots.load('workflows')?.value, ['first account'], "clearing one connection's lists keeps the other's");

    const generations = scopedStorage(state, () => store.scope());
    await generations.update('retab.generation', { 'https://api.retab.com': 'g3' });
    await store.switchTo(other.id);
    assert.equal(generations.get('retab.generation'), undefined);
    await store.switchTo(FIRST_CONNECTION_ID);
    assert.deepEqual(generations.get('retab.generation'), { 'https://api.retab.com': 'g3' });
  });
});
