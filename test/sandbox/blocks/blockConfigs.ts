import { ExperimentSeed } from '../data';
import { FAMILIES } from '../families';
import { labelsOf, schemaFieldsOf } from '../fields';

/**
 * What a sandbox block's config holds in each definition version (SDK 61d9c44e, retab-blocks
 * facts §3): an extraction's JSON schema made of the experiment's fields (each with a
 * description), a classifier's categories, a splitter's subdocuments, a for_each's map method.
 * Versions differ as the experiment's tuning says (a field `appears` with a version; a field
 * that gets `worse` has lost its description's hint), and otherwise by model, so that every
 * version is a different config.
 */

type Json = Record<string, unknown>;

/** Config keys the server accepts, by block type; anything else is a 422 (the facts' "Invalid config fields"). */
export const VALID_KEYS: Readonly<Record<string, readonly string[]>> = {
  extract: ['inputs', 'json_schema', 'model', 'n_consensus', 'review'],
  classifier: ['categories', 'first_n_pages', 'inputs', 'model', 'n_consensus', 'review'],
  split: ['inputs', 'model', 'n_consensus', 'review', 'subdocuments'],
  for_each: ['key', 'map_method', 'map_source_path', 'review'],
  start_document: [],
};

/** Legacy keys the server now rejects (the CLI's hint: set them to null). */
export const LEGACY_KEYS = ['image_resolution_dpi', 'prompt', 'hil'];

const MODELS = ['retab-small', 'retab-large'];

/** A field's description; a `worse` one has lost its hint. */
/** What a field that got `worse` says of itself: its hint is gone. */
export const VAGUE_DESCRIPTION = 'An identifier.';

function describe(path: string, vague: boolean): string {
  const words = path.split('.').pop()?.replace(/_/g, ' ') ?? path;
  return vague ? VAGUE_DESCRIPTION : `The ${words}.`;
}

/** The field's extra hint that makes voters agree (what the edit loop adds): present when the description says where to look. */
export const HINT_PATTERN = /\b(look|found|printed|labelled|next to|under|format)\b/i;

function fieldState(experiment: ExperimentSeed, version: number, path: string): { present: boolean; vague: boolean } {
  let present = true;
  let vague = false;
  for (const tuning of [...experiment.tuning].sort((a, b) => a.fromVersion - b.fromVersion)) {
    if (tuning.path !== path) {
      continue;
    }
    if (tuning.change === 'appears') {
      present = version >= tuning.fromVersion;
    } else if (version >= tuning.fromVersion) {
      vague = tuning.change === 'worse';
    }
  }
  return { present, vague };
}

/** `a.b.c` → nested object properties, each leaf a string with its description. */
function jsonSchemaOf(experiment: ExperimentSeed, version: number): Json {
  const root: Json = { type: 'object', properties: {} };
  const fields = schemaFieldsOf(experiment);
  for (const path of fields.header) {
    const state = fieldState(experiment, version, path);
    if (!state.present) {
      continue;
    }
    let node = root;
    const parts = path.split('.');
    parts.forEach((part, index) => {
      const properties = node.properties as Json;
      if (index === parts.length - 1) {
        properties[part] = { type: 'string', description: describe(path, state.vague) };
      } else {
        properties[part] ??= { type: 'object', properties: {} };
        node = properties[part] as Json;
      }
    });
  }
  if (fields.list) {
    (root.properties as Json)[fields.list.name] = {
      type: 'array',
      items: { type: 'object', properties: Object.fromEntries(fields.list.keys.map((key) => [key, { type: 'string', description: describe(key, false) }])) },
    };
  }
  return root;
}

export function blockTypeOf(experiment: ExperimentSeed): string {
  return experiment.blockKind;
}

/** The block's config in one definition version of its experiment. */
export function configFor(experiment: ExperimentSeed, version: number): Json {
  const model = MODELS[version % MODELS.length];
  const inputs = [{ name: 'document', type: 'file', is_primary: true }];
  switch (experiment.blockKind) {
    case 'extract':
      return {
        model,
        n_consensus: experiment.nConsensus,
        inputs,
        json_schema: jsonSchemaOf(experiment, version),
        review: { predicate: { kind: 'confidence_lt', threshold: 0.8 } },
      };
    case 'classifier':
      return {
        model,
        n_consensus: experiment.nConsensus,
        first_n_pages: 3,
        categories: labelsOf(experiment).map((name) => ({ name, description: `Documents that are a ${name.replace(/_/g, ' ')}.` })),
      };
    case 'split':
      return {
        model,
        n_consensus: experiment.nConsensus,
        subdocuments: labelsOf(experiment).map((name) => ({ name, description: `The pages of the ${name.replace(/_/g, ' ')}.` })),
      };
    case 'for_each':
      return experiment.forEachOperation === 'partition'
        ? { map_method: 'split_by_key', key: FAMILIES[experiment.family].partitionKey }
        : { map_method: 'iterate_pages' };
  }
}

/** What is wrong with a config for a block type (the server's 422), or undefined. Null top-level keys count as absent. */
export function configProblem(type: string, config: Json): string | undefined {
  const valid = VALID_KEYS[type];
  if (!valid) {
    return undefined;
  }
  const unknown = Object.keys(config)
    .filter((key) => config[key] !== null && !valid.includes(key))
    .sort();
  if (unknown.length > 0) {
    return `Invalid config fields for '${type}' block: ${unknown.join(', ')}. Valid fields: ${valid.join(', ')}.`;
  }
  if ('json_schema' in config && config.json_schema !== null && (typeof config.json_schema !== 'object' || Array.isArray(config.json_schema))) {
    return 'json_schema must be a JSON object (a JSON Schema).';
  }
  const n = config.n_consensus;
  if (n !== undefined && n !== null && (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 16)) {
    return 'n_consensus must be an integer between 1 and 16.';
  }
  for (const key of ['categories', 'subdocuments']) {
    const list = config[key];
    if (
      list !== undefined &&
      list !== null &&
      (!Array.isArray(list) || list.some((item) => typeof item !== 'object' || item === null || typeof (item as Json).name !== 'string'))
    ) {
      return `${key} must be an array of objects with a name.`;
    }
  }
  if ('model' in config && config.model !== null && typeof config.model !== 'string') {
    return 'model must be a string.';
  }
  return undefined;
}

/** Top-level null keys dropped: what a replace with `{"prompt": null}` stores. */
export function withoutNulls(config: Json): Json {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== null));
}

/** RFC 7396 merge patch: objects recurse, arrays and scalars replace, null deletes. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    return patch;
  }
  const base: Json = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Json) } : {};
  for (const [key, value] of Object.entries(patch as Json)) {
    if (value === null) {
      delete base[key];
    } else {
      base[key] = mergePatch(base[key], value);
    }
  }
  return base;
}

/** Dotted paths whose values differ (arrays compared whole; `$` for the root). */
export function changedPaths(from: unknown, to: unknown, path = ''): Array<{ field: string; from_value?: unknown; to_value?: unknown }> {
  const isObj = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObj(from) && isObj(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((key) => changedPaths(from[key], to[key], path ? `${path}.${key}` : key));
  }
  if (JSON.stringify(from) === JSON.stringify(to)) {
    return [];
  }
  return [{ field: path ? `config.${path}` : 'config', ...(from === undefined ? {} : { from_value: from }), ...(to === undefined ? {} : { to_value: to }) }];
}
