import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AtomicFileStorage } from '../../src/data/atomicFileStorage';
import { KeyValueStorage, SnapshotStore } from '../../src/data/snapshotStore';

function temporaryFolder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'retab-atomic-'));
}

/** Starts the writer, waits for its first write, lets it run `ms` more, then kills it without warning. */
async function killMidWrite(file: string, ms: number): Promise<void> {
  const child = spawn(process.execPath, [path.join(__dirname, 'support', 'atomicWriter.js'), file, String(512 * 1024)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the writer exited early (${code})`)));
  });
  await new Promise((resolve) => setTimeout(resolve, ms));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('Saved lists on disk', () => {
  it('are whole after the host is killed mid-write, whenever that happens', async function () {
    this.timeout(60_000);
    const folder = temporaryFolder();
    const file = path.join(folder, 'last-known-lists.json');
    // Kills spread over a write's life: each write of ~0.5 MB takes a few ms, so some land mid-write.
    const delays = [0, 1, 3, 7, 12, 20, 33, 50, 75, 110];
    let lastVersion = 0;
    for (const delay of delays) {
      await killMidWrite(file, delay);
      const errors: string[] = [];
      const storage = new AtomicFileStorage(file, (message) => errors.push(message));
      const saved = storage.get<{ version: number; payload: string }>('lists');
      assert.deepEqual(errors, [], `read back after a kill ${delay} ms in`);
      assert.ok(saved, 'a value was saved');
      const { version, payload } = saved;
      assert.equal(payload, `${String(version % 10).repeat(512 * 1024)}#${version}`, 'one version, whole');
      assert.ok(version >= 1);
      lastVersion = version;
    }
    assert.ok(lastVersion > 0);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('write in order, the last one wins, and a damaged file is an empty store, said once', async () => {
    const folder = temporaryFolder();
    const file = path.join(folder, 'nested', 'lists.json');
    const storage = new AtomicFileStorage(file);
    await Promise.all([storage.update('a', 1), storage.update('a', 2), storage.update('b', 'x')]);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { a: 2, b: 'x' });
    await storage.update('b', undefined);
    assert.equal(new AtomicFileStorage(file).get('b'), undefined);
    assert.deepEqual(
      fs.readdirSync(path.dirname(file)).filter((name) => name.endsWith('.tmp')),
      [],
      'no temporary file left',
    );
    fs.writeFileSync(file, '{"a": 2, "b":');
    const errors: string[] = [];
    const damaged = new AtomicFileStorage(file, (message) => errors.push(message));
    assert.equal(damaged.get('a'), undefined);
    assert.equal(errors.length, 1);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('take over the lists earlier versions kept in global state, once', async () => {
    const folder = temporaryFolder();
    const file = path.join(folder, 'lists.json');
    const legacyValues = new Map<string, unknown>([['retab.snapshots.v2', { 'https://x/v1 workflows': { savedAt: 1, value: { workflows: [] } } }]]);
    const legacy: KeyValueStorage = {
      get: <T>(key: string) => legacyValues.get(key) as T | undefined,
      update: async (key, value) => {
        if (value === undefined) {
          legacyValues.delete(key);
        } else {
          legacyValues.set(key, value);
        }
      },
    };
    const store = new SnapshotStore(new AtomicFileStorage(file), () => 'https://x/v1', undefined, legacy);
    assert.deepEqual(store.load('workflows'), { savedAt: 1, value: { workflows: [] } });
    await store.flush();
    assert.equal(legacyValues.size, 0, 'global state no longer holds them');
    const reopened = new SnapshotStore(new AtomicFileStorage(file), () => 'https://x/v1', undefined, legacy);
    assert.deepEqual(reopened.load('workflows'), { savedAt: 1, value: { workflows: [] } });
    fs.rmSync(folder, { recursive: true, force: true });
  });
});
