/**
 * A child process for the kill test: writes ever newer versions of a large value through
 * AtomicFileStorage until it is killed. Each version's payload ends with its own number, so a
 * reader can tell a whole value from a mix of two.
 */
import { AtomicFileStorage } from '../../../src/data/atomicFileStorage';

const [file, sizeText] = process.argv.slice(2);
const size = Number(sizeText);
const storage = new AtomicFileStorage(file);

async function main(): Promise<void> {
  for (let version = 1; ; version++) {
    const payload = `${String(version % 10).repeat(size)}#${version}`;
    await storage.update('lists', { version, payload });
    if (version === 1) {
      process.stdout.write('written\n');
    }
  }
}

void main();
