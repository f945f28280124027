/** One cause of failure: the documents that failed with it. */
import { l10n } from '../../../l10n';
import * as vscode from 'vscode';
import { firstLine, plural, showInvisibles } from '../../../format';
import { codeBlock } from '../../shared/markdown';
import { accessible, firstLines, markdown } from './parts';
import { FailureGroupNode } from '../nodes';
import { nodeId } from './registry';
import { RowKind } from './row';

function failureGroupItem(node: FailureGroupNode): vscode.TreeItem {
  const group = node.group;
  // The count leads: in a narrow sidebar the message is cut, the size of the group must not be.
  const signature = showInvisibles(firstLine(group.signature, 90));
  const item = new vscode.TreeItem(`${group.jobs.length}× ${signature}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = 'failureGroup';
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
  item.accessibilityInformation = accessible(
    l10n.t('{0} failed with: {1}', plural(group.jobs.length, l10n.t('{0} document'), l10n.t('{0} documents')), signature),
  );
  const tooltip = markdown();
  tooltip.appendMarkdown(l10n.t('**{0}** failed with:\n\n', plural(group.jobs.length, l10n.t('{0} document'), l10n.t('{0} documents'))));
  tooltip.appendMarkdown(codeBlock(firstLines(group.example, 12)));
  item.tooltip = tooltip;
  return item;
}

export const failureGroupRow: RowKind<FailureGroupNode> = {
  id: (node) => `${nodeId(node.parent)}/${node.index}`,
  item: failureGroupItem,
  children: {
    known: (node) =>
      node.group.jobs.flatMap((job) => {
        const document = node.parent.documents.get(job.documentId);
        return document ? [{ ...document, parent: node }] : [];
      }),
  },
};
