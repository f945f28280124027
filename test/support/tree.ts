import * as assert from 'node:assert/strict';
import type { RetabExtensionApi } from '../../src/extension';
import { TreeNode } from '../../src/ui/tree/nodes';
import { entityId } from '../../src/ui/tree/rows/registry';
import { sleep } from './wait';

/** A row's label as the view shows it. */
export function labelOf(api: RetabExtensionApi, node: TreeNode): string {
  const label = api.tree.getTreeItem(node).label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

/**
 * The child with this id (workflow, experiment, run or document id), read again for a while if it
 * is not there yet: settings and key changes refresh the tree as their events arrive, and the
 * visible view's own loads may cancel ours (the provider keeps one load per node), which then
 * lists nothing.
 */
export async function childById<T extends TreeNode = TreeNode>(
  api: RetabExtensionApi,
  parent: TreeNode | undefined,
  id: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const children = await api.tree.getChildren(parent);
    const found = children.find((child) => entityId(child) === id);
    if (found) {
      return found as T;
    }
    if (Date.now() > deadline) {
      assert.fail(`${id} among: ${children.map((child) => entityId(child) ?? labelOf(api, child)).join(', ')}`);
    }
    await sleep(100);
  }
}

/** Down the tree from the root, one child by id per level: `[workflowId, experimentId, runId]` answers the run. */
export async function descendById<T extends TreeNode = TreeNode>(api: RetabExtensionApi, ids: readonly string[]): Promise<T> {
  let node: TreeNode | undefined;
  for (const id of ids) {
    node = await childById(api, node, id);
  }
  if (!node) {
    throw new Error('descendById needs at least one id');
  }
  return node as T;
}
