import { l10n } from '../l10n';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KeyValueStorage } from './snapshotStore';

/** A saved file larger than this is not read back (it cannot be ours): the store starts empty. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Key-value storage in one JSON file, written atomically: the text goes to a temporary file
 * beside it, is flushed to disk, then renamed over the file. A host killed at any moment leaves
 * either the previous file or the new one, whole — never half of one (rename is atomic within a
 * folder on every platform VS Code runs on). Writes are serialised, the last one wins.
 *
 * What the last-known lists are kept in (see SnapshotStore): VS Code's global state would hold
 * them in its own database, but it is meant for small values and writes on its own schedule.
 */
export class AtomicFileStorage implements KeyValueStorage {
  private values: Record<string, unknown>;
  private queue: Promise<void> = Promise.resolve();
  private writes = 0;

  /** Reads the file now (once, at start); a missing or unreadable file is an empty store, said through `onError`. */
  constructor(
    private readonly file: string,
    private readonly onError: (message: string) => void = () => undefined,
  ) {
    this.values = this.readAtStart();
  }

  get<T>(key: string): T | undefined {
    return Object.hasOwn(this.values, key) ? (this.values[key] as T) : undefined;
  }

  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) {
      delete this.values[key];
    } else {
      this.values[key] = value;
    }
    const text = JSON.stringify(this.values);
    // Each write waits for the one before, so an older text never lands after a newer one.
    const write = this.queue.then(() => writeFileAtomically(this.file, text, ++this.writes));
    this.queue = write.catch(() => undefined);
    return write;
  }

  private readAtStart(): Record<string, unknown> {
    removeLeftovers(this.file);
    let text: string;
    try {
      if (fs.statSync(this.file).size > MAX_FILE_BYTES) {
        this.onError(l10n.t('{0} is larger than {1} MB: not read.', this.file, MAX_FILE_BYTES / 1024 / 1024));
        return {};
      }
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return {};
    }
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        return value as Record<string, unknown>;
      }
    } catch {
      // Not ours or damaged by something else: start empty rather than fail the extension.
    }
    this.onError(l10n.t('{0} could not be read: the last-known lists start empty.', this.file));
    return {};
  }
}

/** Writes `text` to `file` so that a reader (or a crash) sees the old content or the new, whole. */
export async function writeFileAtomically(file: string, text: string, sequence = 0): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${sequence}.tmp`;
  const handle = await fs.promises.open(temporary, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.promises.rename(temporary, file);
  } catch (caught) {
    await fs.promises.rm(temporary, { force: true });
    throw caught;
  }
}

/** A temporary file older than this is a write whose host was killed (another window's may be in progress). */
const LEFTOVER_AGE_MS = 60_000;

/** Temporary files of writes that never reached their rename (the host was killed): never read, removed. */
function removeLeftovers(file: string): void {
  const folder = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) {
      try {
        const leftover = path.join(folder, name);
        if (Date.now() - fs.statSync(leftover).mtimeMs > LEFTOVER_AGE_MS) {
          fs.rmSync(leftover, { force: true });
        }
      } catch {
        // Another window's write in progress, or not ours to remove: harmless either way.
      }
    }
  }
}
