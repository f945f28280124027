import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RetabExtensionApi } from '../../../src/extension';
import type { PanelState } from '../../../src/ui/panel/jobView';
import { TreeNode, entityId } from '../../../src/ui/tree/nodes';

export const EXTENSION_ID = 'retab-labs.retab-experiments';

export async function activateExtension(): Promise<RetabExtensionApi> {
  const extension = vscode.extensions.getExtension<RetabExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed in the host`);
  return extension.activate();
}

export async function setBaseUrl(url: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('retab').update('apiBaseUrl', url, vscode.ConfigurationTarget.Global);
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves with the first panel state the webview reports as rendered that matches. */
export function panelRendered(api: RetabExtensionApi, matches: (state: PanelState) => boolean, timeoutMs = 15_000): Promise<PanelState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`panel did not render the expected state; last: ${JSON.stringify(summary(api.panelState()))}`));
    }, timeoutMs);
    const subscription = api.onDidRenderPanel((state) => {
      if (matches(state)) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(state);
      }
    });
  });
}

function summary(state: PanelState | undefined): unknown {
  if (!state) {
    return undefined;
  }
  return state.kind === 'job' ? { kind: state.kind, job: state.job.id } : state.kind === 'error' ? state.error : state.kind;
}

export function labelOf(api: RetabExtensionApi, node: TreeNode): string {
  const label = api.tree.getTreeItem(node).label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

export async function childByLabel(api: RetabExtensionApi, parent: TreeNode | undefined, label: string): Promise<TreeNode> {
  const children = await api.tree.getChildren(parent);
  const found = children.find((child) => labelOf(api, child) === label);
  assert.ok(found, `"${label}" among: ${children.map((child) => labelOf(api, child)).join(', ')}`);
  return found;
}

/**
 * The child with this id, read again for a few seconds if it is not there yet: settings and key
 * changes refresh the tree as their events arrive, and a load they cancel lists nothing.
 */
export async function childById(api: RetabExtensionApi, parent: TreeNode | undefined, id: string, timeoutMs = 10_000): Promise<TreeNode> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const children = await api.tree.getChildren(parent);
    const found = children.find((child) => entityId(child) === id);
    if (found) {
      return found;
    }
    if (Date.now() > deadline) {
      assert.fail(`${id} among: ${children.map((child) => entityId(child) ?? labelOf(api, child)).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
