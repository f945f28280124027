import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { BundleError, MANIFEST_FILE, assembleConfig, splitConfig } from '../../analysis/blockBundle';
import { ManifestError, buildManifest, manifestText, parseManifest, pushVerdict } from '../../analysis/bundleManifest';
import { WorkflowBlock } from '../../api/blocks/blockModels';
import { toRetabError } from '../../api/errors';
import { BlockRepository } from '../../data/blocks/blockRepository';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** A bundle's files are small; anything larger is not one. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Pull Block to Folder… and Push Block from Folder: the CLI's bundle (`retab workflows blocks config
 * pull|push`) written and read by the extension, byte-compatible with the CLI's (the same files,
 * the same manifest and baseline hash), so either side pushes what the other pulled.
 */
export async function pullToFolder(block: WorkflowBlock, folder: vscode.Uri, confirmedReplace: boolean): Promise<boolean> {
  const existing = await Promise.resolve(vscode.workspace.fs.readDirectory(folder)).catch(() => []);
  if (existing.length > 0 && !confirmedReplace) {
    const choice = await vscode.window.showWarningMessage(
      l10n.t('{0} is not empty. Write the bundle of “{1}” into it?', folder.fsPath, block.label || block.id),
      { modal: true, detail: l10n.t('Its manifest.json and the block’s files are replaced; other files are left alone. (The CLI asks for --force here.)') },
      l10n.t('Write'),
    );
    if (choice !== l10n.t('Write')) {
      return false;
    }
  }
  const bundle = splitConfig(block.type, block.config);
  const manifest = buildManifest(block, bundle.files);
  for (const [path, text] of bundle.texts) {
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, path), encoder.encode(text));
  }
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, MANIFEST_FILE), encoder.encode(manifestText(manifest)));
  return true;
}

async function readSmall(uri: vscode.Uri): Promise<string> {
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > MAX_FILE_BYTES) {
    throw new BundleError(l10n.t('{0} is larger than a bundle file can be (4 MB).', uri.path.split('/').pop() ?? ''), uri.path);
  }
  return decoder.decode(await vscode.workspace.fs.readFile(uri));
}

/** What a push did: pushed, refused (with the reason), or stopped by the person. */
export type PushOutcome = { pushed: true; block: WorkflowBlock } | { pushed: false; reason: string };

/**
 * Pushes a bundle folder with the CLI's rule: local checks (manifest, files), the server's block
 * read and compared with the baseline, then `PATCH {config, config_mode: "replace"}`, and the
 * folder rewritten from the server's answer (its canonical config, a new baseline). Never in an
 * untrusted workspace: a bundle there is read, not pushed.
 */
export async function pushFromFolder(
  blocks: BlockRepository,
  folder: vscode.Uri,
  options: { force?: boolean; confirmed?: boolean } = {},
): Promise<PushOutcome> {
  if (!vscode.workspace.isTrusted) {
    return { pushed: false, reason: l10n.t('This workspace is not trusted: a bundle in it can be read, not pushed. Trust the workspace to push.') };
  }
  let manifest;
  let config;
  try {
    manifest = parseManifest(await readSmall(vscode.Uri.joinPath(folder, MANIFEST_FILE)));
    const texts = new Map<string, string>();
    for (const file of manifest.files) {
      texts.set(file.path, await readSmall(vscode.Uri.joinPath(folder, file.path)));
    }
    config = assembleConfig(manifest.target.block_type, texts);
    if ('hil' in config) {
      throw new BundleError(l10n.t('config.hil is rejected by the server: use review.predicate.'), 'config.json');
    }
  } catch (caught) {
    if (caught instanceof ManifestError || caught instanceof BundleError) {
      return { pushed: false, reason: caught.message };
    }
    if (caught instanceof vscode.FileSystemError) {
      return { pushed: false, reason: l10n.t('The folder is not a complete bundle: {0}', caught.message) };
    }
    throw caught;
  }
  const remote = await blocks.getBlock(manifest.target.block_id, manifest.target.workflow_id);
  let verdict = pushVerdict(manifest, remote, options.force === true);
  if (!verdict.push && verdict.overridable && !options.confirmed) {
    const choice = await vscode.window.showWarningMessage(
      l10n.t('{0} Push anyway?', verdict.reason),
      { modal: true, detail: l10n.t('The server’s version is replaced by the bundle’s.') },
      l10n.t('Push Anyway'),
    );
    if (choice === l10n.t('Push Anyway')) {
      verdict = pushVerdict(manifest, remote, true);
    }
  }
  if (!verdict.push) {
    return { pushed: false, reason: verdict.reason };
  }
  try {
    const block = await blocks.replaceConfig(remote.id, remote.workflowId, config);
    await pullToFolder(block, folder, true);
    return { pushed: true, block };
  } catch (caught) {
    return { pushed: false, reason: l10n.t('The server refused the push: {0}', toRetabError(caught).message) };
  }
}
