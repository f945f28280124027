import { l10n } from '../l10n';
import { isObject } from '../api/validate';
import { AdapterName, BundleFileSpec, CONFIG_FILE, adapterFor, possibleFiles } from './blockBundle';
import { bundleConfigHash } from './goJson';

/**
 * The CLI bundle's `manifest.json` (retab workflows blocks config pull/push): what block the folder
 * is, the adapter, the baseline (the CLI's hash of the config it pulled, and the block's
 * `updated_at`, stored but never compared), and the files. Read strictly, as the CLI reads it: an
 * unknown key, a role the type does not have, a path outside the folder, all fail.
 */
export interface BundleManifest {
  target: { kind: 'workflow_block'; workflow_id: string; block_id: string; block_type: string; block_label?: string };
  adapter: { name: AdapterName };
  baseline: { config_hash: string; block_updated_at?: string };
  files: BundleFileSpec[];
}

export class ManifestError extends Error {}

/** The manifest of a pull: the baseline is the pulled config's bundle hash. */
export function buildManifest(
  block: { id: string; workflowId: string; type: string; label: string; updatedAt: string; config: Record<string, unknown> | null },
  files: BundleFileSpec[],
): BundleManifest {
  return {
    target: {
      kind: 'workflow_block',
      workflow_id: block.workflowId,
      block_id: block.id,
      block_type: block.type,
      ...(block.label ? { block_label: block.label } : {}),
    },
    adapter: { name: adapterFor(block.type) },
    baseline: { config_hash: bundleConfigHash(block.config ?? {}), ...(block.updatedAt ? { block_updated_at: block.updatedAt } : {}) },
    files,
  };
}

const ROLES_BY_FILE: Record<string, string> = {
  'config.json': 'config',
  'json_schema.json': 'json_schema',
  'subdocuments.json': 'subdocuments',
  'categories.json': 'categories',
  'function.py': 'function',
  'function.ts': 'function',
  'mounts.json': 'mounts',
  'output_schema.json': 'output_schema',
  'request_schema.json': 'request_schema',
};

function only(value: Record<string, unknown>, keys: readonly string[], where: string): void {
  const extra = Object.keys(value).filter((key) => !keys.includes(key));
  if (extra.length > 0) {
    throw new ManifestError(
      extra.length > 1
        ? l10n.t('{0} has unknown keys {1}.', where, extra.map((key) => `"${key}"`).join(', '))
        : l10n.t('{0} has unknown key {1}.', where, `"${extra[0]}"`),
    );
  }
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 512) {
    throw new ManifestError(l10n.t('{0} must be a non-empty string.', where));
  }
  return value;
}

/** Reads a manifest as the CLI does; throws ManifestError naming what is wrong. */
export function parseManifest(source: string): BundleManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch {
    throw new ManifestError(l10n.t('manifest.json is not valid JSON.'));
  }
  if (!isObject(raw)) {
    throw new ManifestError(l10n.t('manifest.json must hold an object.'));
  }
  only(raw, ['target', 'adapter', 'baseline', 'files'], 'manifest.json');
  const target = raw.target;
  const adapter = raw.adapter;
  const baseline = raw.baseline;
  if (!isObject(target) || !isObject(adapter) || !isObject(baseline) || !Array.isArray(raw.files)) {
    throw new ManifestError(l10n.t('manifest.json needs target, adapter, baseline (objects) and files (a list).'));
  }
  only(target, ['kind', 'workflow_id', 'block_id', 'block_type', 'block_label'], 'target');
  only(adapter, ['name'], 'adapter');
  only(baseline, ['config_hash', 'block_updated_at'], 'baseline');
  if (target.kind !== 'workflow_block') {
    throw new ManifestError(l10n.t('target.kind must be "workflow_block".'));
  }
  const blockType = text(target.block_type, 'target.block_type');
  const name = text(adapter.name, 'adapter.name');
  if (name !== adapterFor(blockType)) {
    throw new ManifestError(l10n.t('adapter "{0}" does not fit a {1} block (its adapter is "{2}").', name, blockType, adapterFor(blockType)));
  }
  const allowed = possibleFiles(blockType);
  const seen = new Set<string>();
  const files = raw.files.map((entry, index): BundleFileSpec => {
    if (!isObject(entry)) {
      throw new ManifestError(l10n.t('files[{0}] must be an object.', index));
    }
    only(entry, ['role', 'path', 'format'], `files[${index}]`);
    const path = text(entry.path, `files[${index}].path`);
    const role = text(entry.role, `files[${index}].role`);
    if (path.includes('/') || path.includes('\\') || path === '..' || path.startsWith('.')) {
      throw new ManifestError(l10n.t('files[{0}].path "{1}" must be a file of the bundle\'s own folder.', index, path));
    }
    if (!allowed.includes(path) || ROLES_BY_FILE[path] !== role) {
      throw new ManifestError(l10n.t('files[{0}]: a {1} block has no file "{2}" with role "{3}".', index, blockType, path, role));
    }
    if (seen.has(role)) {
      throw new ManifestError(l10n.t('files[{0}]: role "{1}" is listed twice.', index, role));
    }
    seen.add(role);
    const format = entry.format;
    const expected = path.endsWith('.py') ? 'python' : path.endsWith('.ts') ? 'typescript' : 'json';
    if (format !== expected) {
      throw new ManifestError(l10n.t('files[{0}].format must be "{1}" for {2}.', index, expected, path));
    }
    return { role, path, format: expected };
  });
  if (files[0]?.path !== CONFIG_FILE) {
    throw new ManifestError(l10n.t('files must list config.json first.'));
  }
  const configHash = baseline.config_hash;
  if (typeof configHash !== 'string') {
    throw new ManifestError(l10n.t('baseline.config_hash must be a string.'));
  }
  return {
    target: {
      kind: 'workflow_block',
      workflow_id: text(target.workflow_id, 'target.workflow_id'),
      block_id: text(target.block_id, 'target.block_id'),
      block_type: blockType,
      ...(typeof target.block_label === 'string' ? { block_label: target.block_label } : {}),
    },
    adapter: { name: adapterFor(blockType) },
    baseline: { config_hash: configHash, ...(typeof baseline.block_updated_at === 'string' ? { block_updated_at: baseline.block_updated_at } : {}) },
    files,
  };
}

/** The manifest as the files hold it. */
export function manifestText(manifest: BundleManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** What a push may do, by the CLI's rule. */
export type PushVerdict = { push: true } | { push: false; reason: string; overridable: boolean };

/**
 * The CLI's conflict rule for a push: a bundle without a baseline, or for another block (id,
 * workflow or type), is refused; a block whose config changed on the server since the pull (its
 * bundle hash is not the baseline) is refused unless forced. `block_updated_at` is not compared
 * (any PATCH bumps it, even a move).
 */
export function pushVerdict(
  manifest: BundleManifest,
  remote: { id: string; workflowId: string; type: string; config: Record<string, unknown> | null },
  force: boolean,
): PushVerdict {
  if (manifest.baseline.config_hash === '' && !force) {
    return { push: false, reason: l10n.t('The bundle has no baseline (baseline.config_hash is empty): pull it again, or push anyway.'), overridable: true };
  }
  if (remote.id !== manifest.target.block_id || remote.workflowId !== manifest.target.workflow_id) {
    return {
      push: false,
      reason: l10n.t(
        "The server's block is {0}/{1}, not the bundle's {2}/{3}.",
        remote.workflowId,
        remote.id,
        manifest.target.workflow_id,
        manifest.target.block_id,
      ),
      overridable: false,
    };
  }
  if (remote.type !== manifest.target.block_type) {
    return {
      push: false,
      reason: l10n.t("The server's block is a {0} block; the bundle is for a {1} block.", remote.type, manifest.target.block_type),
      overridable: false,
    };
  }
  if (!force && manifest.baseline.config_hash !== '' && bundleConfigHash(remote.config ?? {}) !== manifest.baseline.config_hash) {
    return { push: false, reason: l10n.t('The block’s config changed on the server since this bundle was pulled.'), overridable: true };
  }
  return { push: true };
}
