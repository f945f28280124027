import * as assert from 'node:assert/strict';
import { SnapshotStore } from '../../src/data/snapshotStore';

describe('SnapshotStore', () => {
  it('reports a failing save instead of rejecting, and keeps the data in memory', async () => {
    const errors: string[] = [];
    const failing = {
      get: <T>(): T | undefined => undefined,
      update: (): Promise<void> => Promise.reject(new Error('disk full')),
    };
    const store = new SnapshotStore(
      failing,
      () => 'https://api.retab.com/v1',
      (message) => errors.push(message),
    );
    store.save('workflows', { version: 1, kind: 'workflows', data: { workflows: [] } });
    await store.flush();
    assert.equal(errors.length, 1);
    assert.match(errors[0], /disk full/);
    assert.ok(store.load('workflows'));
  });

  it('ignores stored data of an unknown shape and never reads inherited keys', () => {
    const storage = {
      get: <T>(): T | undefined => ({ 'https://x/v1 workflows': 'not a snapshot' }) as T,
      update: (): Promise<void> => Promise.resolve(),
    };
    const store = new SnapshotStore(storage, () => 'https://x/v1');
    assert.equal(store.load('workflows'), undefined);
    assert.equal(store.load('constructor'), undefined);
  });
});
