import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { assertSafeId } from '../../api/ids';
import { RETAB_SCHEME } from '../documents/retabScheme';

/**
 * A block's files: `retab:/blocks/<workflow>/<type>/<block>/<file>`, the files of the CLI's bundle
 * for that type (config.json, json_schema.json, …). The type is in the path so that the JSON
 * schemas the extension contributes (package.json `jsonValidation`) match by type.
 */
export interface BlockAddress {
  workflowId: string;
  blockType: string;
  blockId: string;
}

export interface BlockFileAddress extends BlockAddress {
  /** The file's name, or undefined for the block's folder. */
  file: string | undefined;
}

const ROOT = 'blocks';

export function blockKey(address: BlockAddress): string {
  return `${address.workflowId}/${address.blockId}`;
}

export function blockFolderUri(address: BlockAddress): vscode.Uri {
  const parts = [
    assertSafeId(address.workflowId, l10n.t('Workflow id')),
    assertSafeId(address.blockType, l10n.t('Block type')),
    assertSafeId(address.blockId, l10n.t('Block id')),
  ];
  return vscode.Uri.from({ scheme: RETAB_SCHEME, path: `/${ROOT}/${parts.join('/')}` });
}

export function blockFileUri(address: BlockAddress, file: string): vscode.Uri {
  return vscode.Uri.joinPath(blockFolderUri(address), file);
}

/** The block (and file) a `retab:` URI names; undefined for the other `retab:` documents. */
export function parseBlockUri(uri: vscode.Uri): BlockFileAddress | undefined {
  if (uri.scheme !== RETAB_SCHEME) {
    return undefined;
  }
  const parts = uri.path.split('/').filter(Boolean);
  if (parts[0] !== ROOT || parts.length < 4 || parts.length > 5) {
    return undefined;
  }
  const [, workflowId, blockType, blockId, file] = parts;
  return { workflowId, blockType, blockId, file };
}

/** `/blocks`, `/blocks/<wf>`, `/blocks/<wf>/<type>`: folders above the blocks. */
export function isBlocksFolder(uri: vscode.Uri): boolean {
  const parts = uri.path.split('/').filter(Boolean);
  return uri.scheme === RETAB_SCHEME && parts[0] === ROOT && parts.length < 4;
}

const VERSIONS = 'versions';

export interface VersionFileAddress extends BlockAddress {
  versionId: string;
  file: string | undefined;
}

/** A block version's files, read-only: `retab:/versions/<workflow>/<type>/<block>/<version>/<file>`. */
export function versionFileUri(address: BlockAddress, versionId: string, file: string): vscode.Uri {
  const parts = [address.workflowId, address.blockType, address.blockId, versionId].map((part) => assertSafeId(part, 'Id'));
  return vscode.Uri.from({ scheme: RETAB_SCHEME, path: `/${VERSIONS}/${parts.join('/')}/${file}` });
}

export function parseVersionUri(uri: vscode.Uri): VersionFileAddress | undefined {
  if (uri.scheme !== RETAB_SCHEME) {
    return undefined;
  }
  const parts = uri.path.split('/').filter(Boolean);
  if (parts[0] !== VERSIONS || parts.length < 5 || parts.length > 6) {
    return undefined;
  }
  const [, workflowId, blockType, blockId, versionId, file] = parts;
  return { workflowId, blockType, blockId, versionId, file };
}

const CHANGES = 'changes';

/** The server's list of changes between two block versions, read-only: `retab:/changes/<workflow>/<block>/<from>/<to>/changes.md`. */
export function changesUri(workflowId: string, blockId: string, fromVersionId: string, toVersionId: string): vscode.Uri {
  const parts = [workflowId, blockId, fromVersionId, toVersionId].map((part) => assertSafeId(part, 'Id'));
  return vscode.Uri.from({ scheme: RETAB_SCHEME, path: `/${CHANGES}/${parts.join('/')}/changes.md` });
}

export function parseChangesUri(uri: vscode.Uri): { workflowId: string; blockId: string; fromVersionId: string; toVersionId: string } | undefined {
  const parts = uri.path.split('/').filter(Boolean);
  if (uri.scheme !== RETAB_SCHEME || parts[0] !== CHANGES || parts.length !== 6 || parts[5] !== 'changes.md') {
    return undefined;
  }
  const [, workflowId, blockId, fromVersionId, toVersionId] = parts;
  return { workflowId, blockId, fromVersionId, toVersionId };
}
