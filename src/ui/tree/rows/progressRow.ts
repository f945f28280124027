/** How far a live, expanded run got: the first row under it. */
import * as vscode from 'vscode';
import { accessible, joinParts } from './parts';
import { ProgressNode } from '../nodes';
import { nodeId } from './registry';
import { RowKind } from './row';

function progressItem(node: ProgressNode): vscode.TreeItem {
  const done = `${node.done.toLocaleString('en-US')} / ${node.total.toLocaleString('en-US')} done`;
  const item = new vscode.TreeItem(done, vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.contextValue = 'progress';
  item.iconPath =
    node.running > 0
      ? new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'))
      : new vscode.ThemeIcon('clock', new vscode.ThemeColor('testing.iconQueued'));
  const failed = node.failed > 0 && `${node.failed.toLocaleString('en-US')} failed`;
  const running = node.running > 0 && `${node.running.toLocaleString('en-US')} running`;
  item.description = joinParts([failed, running]) || undefined;
  item.accessibilityInformation = accessible(`Progress: ${node.done} of ${node.total} documents done`, failed, running);
  item.tooltip =
    'Documents this run has finished (completed, failed or skipped), from their statuses; updated while the run is live. The run’s row gives its score when it ends.';
  return item;
}

export const progressRow: RowKind<ProgressNode> = {
  // One id for the run's whole life: a live update redraws this row alone.
  id: (node) => `progress:${node.parent.run.id}`,
  item: progressItem,
  children: 'none',
};
