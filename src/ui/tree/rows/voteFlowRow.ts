/** Where a label's votes went, or came from. */
import { l10n } from '../../../l10n';
import * as vscode from 'vscode';
import { firstLine, formatScore, showInvisibles } from '../../../format';
import { codeSpan } from '../../shared/markdown';
import { accessible, markdown } from './parts';
import { VoteFlowNode, fieldsRunOf } from '../nodes';
import { nodeId } from './registry';
import { RowKind } from './row';

function flowList(flows: ReadonlyArray<{ label: string; score: number }>, shown: number): string {
  const named = flows.slice(0, shown).map((flow) => `${firstLine(flow.label, 40)} ${formatScore(flow.score)}`);
  return flows.length > shown ? l10n.t('{0}, +{1} more', named.join(', '), flows.length - shown) : named.join(', ');
}

function voteFlowItem(node: VoteFlowNode): vscode.TreeItem {
  const words = node.direction === 'to' ? l10n.t('Votes went to') : l10n.t('Votes came from');
  const list = showInvisibles(flowList(node.flows, 3));
  const item = new vscode.TreeItem(`${words}: ${list}`, vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.contextValue = 'voteFlow';
  item.iconPath = new vscode.ThemeIcon(node.direction === 'to' ? 'arrow-right' : 'arrow-left');
  item.accessibilityInformation = accessible(l10n.t('{0} other labels: {1}', words, list));
  return item;
}

/** Built on hover (resolveTreeItem): every flow, labels escaped. */
export function voteFlowTooltip(node: VoteFlowNode): vscode.MarkdownString {
  const tooltip = markdown();
  const label = codeSpan(node.parent.path);
  tooltip.appendMarkdown(
    node.direction === 'to'
      ? l10n.t('Where the consensus was {0}, the share of votes for another label:\n\n', label)
      : l10n.t('Where the consensus was another label, the share of its votes that went to {0}:\n\n', label),
  );
  for (const flow of node.flows) {
    tooltip.appendMarkdown(`- ${codeSpan(flow.label)} ${formatScore(flow.score)}\n`);
  }
  return tooltip;
}

export const voteFlowRow: RowKind<VoteFlowNode> = {
  id: (node) => `flow:${fieldsRunOf(node.parent).run.id}:${node.direction}@${node.parent.path}`,
  item: voteFlowItem,
  tooltip: (node) => voteFlowTooltip(node),
  children: 'none',
};
