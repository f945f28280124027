/** Show more documents: the last row under a run with more documents than the view shows at once. */
import * as vscode from 'vscode';
import { accessible } from './parts';
import { MoreDocumentsNode, runNodeId } from '../nodes';
import { RowKind } from './row';
import { COMMANDS } from '../../shared/names';
import { plural } from '../../../format';

/** Document rows a run shows at once, and how many more each click adds: each redraw builds them all. */
export const DOCUMENT_ROWS_STEP = 1_000;

function moreDocumentsItem(node: MoreDocumentsNode): vscode.TreeItem {
  const next = Math.min(DOCUMENT_ROWS_STEP, node.remaining);
  const item = new vscode.TreeItem(`Show ${next.toLocaleString('en-US')} more…`, vscode.TreeItemCollapsibleState.None);
  item.id = runNodeId(node.parent.run.id) + ':more';
  item.description = `${plural(node.remaining, 'document')} not shown`;
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.tooltip = `${node.shown.toLocaleString('en-US')} documents shown. Sort or filter the documents to find one among all of them.`;
  item.accessibilityInformation = accessible(`Show ${next} more documents`, `${node.remaining} not shown`);
  item.command = { command: COMMANDS.showMoreDocuments, title: 'Show More Documents', arguments: [node] };
  return item;
}

export const moreDocumentsRow: RowKind<MoreDocumentsNode> = {
  id: (node) => `${runNodeId(node.parent.run.id)}:more`,
  item: moreDocumentsItem,
  children: 'none',
};
