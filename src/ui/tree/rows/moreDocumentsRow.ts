/** Show more documents: the last row under a run with more documents than the view shows at once. */
import { l10n } from '../../../l10n';
import * as vscode from 'vscode';
import { accessible } from './parts';
import { MoreDocumentsNode, runNodeId } from '../nodes';
import { RowKind } from './row';
import { COMMANDS } from '../../shared/names';
import { plural, formatNumber } from '../../../format';

/** Document rows a run shows at once, and how many more each click adds: each redraw builds them all. */
export const DOCUMENT_ROWS_STEP = 1_000;

function moreDocumentsItem(node: MoreDocumentsNode): vscode.TreeItem {
  const next = Math.min(DOCUMENT_ROWS_STEP, node.remaining);
  const item = new vscode.TreeItem(l10n.t('Show {0} more…', formatNumber(next)), vscode.TreeItemCollapsibleState.None);
  item.id = runNodeId(node.parent.run.id) + ':more';
  item.description = l10n.t('{0} not shown', plural(node.remaining, l10n.t('{0} document'), l10n.t('{0} documents')));
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.tooltip = l10n.t('{0} documents shown. Sort or filter the documents to find one among all of them.', formatNumber(node.shown));
  item.accessibilityInformation = accessible(l10n.t('Show {0} more documents', next), l10n.t('{0} not shown', node.remaining));
  item.command = { command: COMMANDS.showMoreDocuments, title: l10n.t('Show More Documents'), arguments: [node] };
  return item;
}

export const moreDocumentsRow: RowKind<MoreDocumentsNode> = {
  id: (node) => `${runNodeId(node.parent.run.id)}:more`,
  item: moreDocumentsItem,
  children: 'none',
};
