import { l10n } from '../l10n';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { CONFIG_FILE, possibleFiles } from './blockBundle';

/**
 * Where a block config's problem belongs in its files: the server's reason (validate-config's 422,
 * a refused save) turned into places a person can see. "Invalid config fields for 'extract' block:
 * prompt, x. Valid fields: …" names top-level keys: each goes on its key in config.json (or at the
 * top of the file a split key lives in). Anything else goes at the top of the file being edited.
 */
export interface ConfigProblem {
  file: string;
  /** Offset and length in that file's text. */
  offset: number;
  length: number;
  message: string;
  /** The key the server refused: a quick fix can set it to null (the CLI's advice for legacy keys). */
  key?: string;
}

/** Keys the server once took and now rejects; a stored one breaks every later merge until nulled (the CLI's hint). */
export const LEGACY_KEYS: readonly string[] = ['image_resolution_dpi', 'prompt', 'temperature', 'hil'];

const INVALID_FIELDS = /Invalid config fields for '[^']{1,64}' block: ([^.]{1,2000})\./;

/** The top-level keys an "Invalid config fields" reason names, if it is one. */
export function refusedKeys(message: string): string[] {
  const match = INVALID_FIELDS.exec(message);
  if (!match) {
    return [];
  }
  return match[1]
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0 && key.length <= 200)
    .slice(0, 50);
}

/** The problems a server reason makes, placed in the block's files (`texts`: each file's current text). */
export function placeProblems(blockType: string, message: string, texts: ReadonlyMap<string, string>, editedFile: string): ConfigProblem[] {
  const keys = refusedKeys(message);
  if (keys.length === 0) {
    return [{ file: texts.has(editedFile) ? editedFile : CONFIG_FILE, offset: 0, length: 0, message }];
  }
  const sidecars = new Set(possibleFiles(blockType).slice(1));
  return keys.map((key): ConfigProblem => {
    const text = texts.get(CONFIG_FILE) ?? '';
    const node = findNodeAtLocation(parseTree(text) ?? { type: 'null', offset: 0, length: 0 }, [key]);
    const property = node?.parent;
    const what = l10n.t(
      'The server does not take "{0}" in a {1} block\'s config.{2}',
      key,
      blockType,
      LEGACY_KEYS.includes(key) ? l10n.t(' It is a legacy key: set it to null to clear it.') : '',
    );
    if (property && property.type === 'property' && property.children?.[0]) {
      const keyNode = property.children[0];
      return { file: CONFIG_FILE, offset: keyNode.offset, length: keyNode.length, message: `${what} (${message})`, key };
    }
    const sidecar = [...sidecars].find((file) => file.replace(/\.\w+$/, '') === key);
    return { file: sidecar && texts.has(sidecar) ? sidecar : CONFIG_FILE, offset: 0, length: 0, message: `${what} (${message})` };
  });
}
