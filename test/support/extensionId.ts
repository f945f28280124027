import * as fs from 'node:fs';
import * as path from 'node:path';

/** The manifest at the repository's root (this file runs as out/test/support/extensionId.js). */
const MANIFEST = path.resolve(__dirname, '../../../package.json');

/** `publisher.name` from package.json: the id VS Code knows the extension by. */
export const EXTENSION_ID: string = (() => {
  const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as { publisher?: unknown; name?: unknown };
  if (typeof manifest.publisher !== 'string' || typeof manifest.name !== 'string') {
    throw new Error(`${MANIFEST} names no publisher and name`);
  }
  return `${manifest.publisher}.${manifest.name}`;
})();
