/** Where a label's votes went, or came from. */
import * as vscode from 'vscode';
import { firstLine, formatScore, showInvisibles } from '../../../format';
import { codeSpan } from '../../shared/markdown';
import { accessible, markdown } from './parts';
import { VoteFlowNode, fieldsRunOf } from '../nodes';
import { nodeId } from './registry';
import { RowKind } from './row';

function flowList(flows: ReadonlyArray<{ label: string; score: number }>, shown: number): string {
  const named = flows.slice(0, shown).map((flow) => `${firstLine(flow.label, 40)} ${formatScore(flow.score)}`);
  return flows.length > shown ? `${named.join(', ')}, +${flows.length - shown} more` : named.join(', ');
}

function voteFlowItem(node: VoteFlowNode): vscode.TreeItem {
  const words = node.direction === 'to' ? 'Votes went to' : 'Votes came from';
  const list = showInvisibles(flowList(node.flows, 3));
  const item = new vscode.TreeItem(`${words}: ${list}`, vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.contextValue = 'voteFlow';
  item.iconPath = new vscode.ThemeIcon(node.direction === 'to' ? 'arrow-right' : 'arrow-left');
  item.accessibilityInformation = accessible(`${words} other labels: ${list}`);
  return item;
}

/** Built on hover (resolveTreeItem): every flow, labels escaped. */
export function voteFlowTooltip(node: VoteFlowNode): vscode.MarkdownString {
  const tooltip = markdown();
  const label = codeSpan(node.parent.path);
  tooltip.appendMarkdown(
    node.direction === 'to'
      ? `Where the consensus was ${label}, the share of votes for another label:\n\n`
      : `Where the consensus was another label, the share of its votes that went to ${label}:\n\n`,
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
