import { formatNumber } from '../../../format';
/** How far a live, expanded run got: the first row under it. */
import { l10n } from '../../../l10n';
import * as vscode from 'vscode';
import { accessible, joinParts } from './parts';
import { ProgressNode } from '../nodes';
import { nodeId } from './registry';
import { RowKind } from './row';

function progressItem(node: ProgressNode): vscode.TreeItem {
  const done = l10n.t('{0} / {1} done', formatNumber(node.done), formatNumber(node.total));
  const item = new vscode.TreeItem(done, vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.contextValue = 'progress';
  item.iconPath =
    node.running > 0
      ? new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'))
      : new vscode.ThemeIcon('clock', new vscode.ThemeColor('testing.iconQueued'));
  const failed = node.failed > 0 && l10n.t('{0} failed', formatNumber(node.failed));
  const running = node.running > 0 && l10n.t('{0} running', formatNumber(node.running));
  item.description = joinParts([failed, running]) || undefined;
  item.accessibilityInformation = accessible(l10n.t('Progress: {0} of {1} documents done', node.done, node.total), failed, running);
  item.tooltip = l10n.t(
    'Documents this run has finished (completed, failed or skipped), from their statuses; updated while the run is live. The run’s row gives its score when it ends.',
  );
  return item;
}

export const progressRow: RowKind<ProgressNode> = {
  // One id for the run's whole life: a live update redraws this row alone.
  id: (node) => `progress:${node.parent.run.id}`,
  item: progressItem,
  children: 'none',
};
