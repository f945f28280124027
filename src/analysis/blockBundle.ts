import { l10n } from '../l10n';
import { JsonObject, isObject } from '../api/validate';

/**
 * A block's config as files: the layout of Retab's CLI bundle (`retab workflows blocks config
 * pull`): `config.json` holds the config minus the keys a type splits out, and each split key,
 * when present, has a file of its own. The same files back the editor (`retab:` documents) and a
 * pulled folder, so a person finds one layout in both. Keys nobody here knows stay in `config.json`
 * verbatim.
 */

/** The CLI's adapter names, by block type. */
export type AdapterName = 'json_schema' | 'split' | 'classifier' | 'function' | 'api_call' | 'generic';

/** One file of a bundle: its role (the CLI's manifest word), its name and format. */
export interface BundleFileSpec {
  role: string;
  path: string;
  format: 'json' | 'python' | 'typescript';
}

/** One key split out of the config into a file of its own. */
interface Sidecar {
  role: string;
  key: string;
  /** The file name; for code, chosen by the config's language. */
  path: (config: JsonObject) => string;
  format: (config: JsonObject) => BundleFileSpec['format'];
  /** JSON files hold the key's value; a code file holds the raw text of a string key. */
  raw: boolean;
  /** The CLI refuses anything but an array here. */
  mustBeArray: boolean;
}

const json = (role: string, key: string, mustBeArray = false): Sidecar => ({
  role,
  key,
  path: () => `${role}.json`,
  format: () => 'json',
  raw: false,
  mustBeArray,
});

const functionCode: Sidecar = {
  role: 'function',
  key: 'code',
  path: (config) => (isTypeScript(config) ? 'function.ts' : 'function.py'),
  format: (config) => (isTypeScript(config) ? 'typescript' : 'python'),
  raw: true,
  mustBeArray: false,
};

function isTypeScript(config: JsonObject): boolean {
  return config.language === 'typescript';
}

const ADAPTERS: Readonly<Record<AdapterName, readonly Sidecar[]>> = {
  json_schema: [json('json_schema', 'json_schema')],
  split: [json('subdocuments', 'subdocuments', true)],
  classifier: [json('categories', 'categories', true)],
  function: [functionCode, json('mounts', 'mounts'), json('output_schema', 'output_schema')],
  api_call: [json('mounts', 'mounts'), json('output_schema', 'output_schema'), json('request_schema', 'request_schema')],
  generic: [],
};

export const CONFIG_FILE = 'config.json';
export const MANIFEST_FILE = 'manifest.json';

/** The adapter the CLI uses for a block type (`generic` for every type it does not split). */
export function adapterFor(blockType: string): AdapterName {
  switch (blockType) {
    case 'extract':
    case 'start_json':
      return 'json_schema';
    case 'split':
    case 'classifier':
    case 'function':
    case 'api_call':
      return blockType;
    default:
      return 'generic';
  }
}

/** Every file name a block of this type may have (config.json first), whether present or not. */
export function possibleFiles(blockType: string): string[] {
  const adapter = adapterFor(blockType);
  const names = ADAPTERS[adapter].flatMap((sidecar) => (sidecar.raw ? ['function.py', 'function.ts'] : [sidecar.path({})]));
  return [CONFIG_FILE, ...names];
}

/** A bundle's files: name → text, in the manifest's order (config first, then by role). */
export interface BundleFiles {
  files: BundleFileSpec[];
  texts: Map<string, string>;
}

/** JSON as the files hold it: two spaces, a final newline. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * A config split into the type's files: `config.json` without the split keys, then a file per
 * split key that is present (and of the shape the CLI accepts; anything else stays in config.json).
 */
export function splitConfig(blockType: string, config: JsonObject | null): BundleFiles {
  const rest: JsonObject = { ...(config ?? {}) };
  const source = config ?? {};
  const sidecars: BundleFileSpec[] = [];
  const texts = new Map<string, string>();
  for (const sidecar of ADAPTERS[adapterFor(blockType)]) {
    if (!(sidecar.key in source)) {
      continue;
    }
    const value = source[sidecar.key];
    if (sidecar.raw ? typeof value !== 'string' : value === null || (sidecar.mustBeArray && !Array.isArray(value))) {
      continue;
    }
    delete rest[sidecar.key];
    const path = sidecar.path(source);
    sidecars.push({ role: sidecar.role, path, format: sidecar.format(source) });
    texts.set(path, sidecar.raw ? (value as string) : formatJson(value));
  }
  sidecars.sort((a, b) => (a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
  const files: BundleFileSpec[] = [{ role: 'config', path: CONFIG_FILE, format: 'json' }, ...sidecars];
  texts.set(CONFIG_FILE, formatJson(rest));
  return { files, texts: new Map(files.map((file) => [file.path, texts.get(file.path) as string])) };
}

/** Why a bundle's files do not make a config: the file and, when known, the text offset. */
export class BundleError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

/**
 * The config the files make: config.json's object with each sidecar's value put back under its
 * key. Throws `BundleError` naming the file when one is not JSON or not of the shape the CLI
 * accepts. `mounts.tables[].local_path` is local only and is left out, as the CLI does on push.
 */
export function assembleConfig(blockType: string, files: ReadonlyMap<string, string>): JsonObject {
  const configText = files.get(CONFIG_FILE);
  if (configText === undefined) {
    throw new BundleError(l10n.t('config.json is missing.'), CONFIG_FILE);
  }
  const base = parseJsonFile(CONFIG_FILE, configText);
  if (!isObject(base)) {
    throw new BundleError(l10n.t('config.json must hold a JSON object.'), CONFIG_FILE, 0);
  }
  const config: JsonObject = { ...base };
  for (const sidecar of ADAPTERS[adapterFor(blockType)]) {
    const path = sidecar.raw ? (files.has('function.ts') ? 'function.ts' : 'function.py') : sidecar.path({});
    const text = files.get(path);
    if (text === undefined) {
      continue;
    }
    if (sidecar.key in base) {
      throw new BundleError(l10n.t('"{0}" is both in config.json and in {1}: keep it in one place.', sidecar.key, path), CONFIG_FILE);
    }
    if (sidecar.raw) {
      if (text.trim() === '') {
        throw new BundleError(l10n.t('{0} is empty: a function block needs its code.', path), path, 0);
      }
      config[sidecar.key] = text;
      continue;
    }
    const value = parseJsonFile(path, text);
    if (sidecar.mustBeArray && !Array.isArray(value)) {
      throw new BundleError(l10n.t('{0} must hold a JSON array.', path), path, 0);
    }
    config[sidecar.key] = sidecar.key === 'mounts' ? withoutLocalPaths(value) : value;
  }
  return config;
}

function parseJsonFile(path: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : String(caught);
    const position = /position (\d+)/.exec(message);
    throw new BundleError(l10n.t('{0} is not valid JSON: {1}', path, message), path, position ? Number(position[1]) : undefined);
  }
}

function withoutLocalPaths(mounts: unknown): unknown {
  if (!isObject(mounts) || !Array.isArray(mounts.tables)) {
    return mounts;
  }
  return {
    ...mounts,
    tables: mounts.tables.map((table: unknown) => {
      if (!isObject(table) || !('local_path' in table)) {
        return table;
      }
      const kept: Record<string, unknown> = { ...table };
      delete kept.local_path;
      return kept;
    }),
  };
}
