/** Load more workflows: the last row of a paged list. */
import { l10n } from '../../../l10n';
import * as vscode from 'vscode';
import { accessible } from './parts';
import { LoadMoreNode } from '../nodes';
import { nodeId } from './registry';
import { RowKind } from './row';
import { COMMANDS } from '../../shared/names';

function loadMoreItem(node: LoadMoreNode): vscode.TreeItem {
  const item = new vscode.TreeItem(l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.accessibilityInformation = accessible(l10n.t('Load more workflows'));
  item.command = { command: COMMANDS.loadMoreWorkflows, title: l10n.t('Load More') };
  return item;
}

export const loadMoreRow: RowKind<LoadMoreNode> = {
  id: (node) => `more:${node.cursor}`,
  item: loadMoreItem,
  children: 'none',
};
