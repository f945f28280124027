/** A document that disagrees on a field: opens its job on that field. */
import { l10n } from '../../../l10n';
import * as vscode from 'vscode';
import { formatScore, formatScoreDelta, showInvisibles } from '../../../format';
import { codeBlock, codeSpan, escapeMarkdown } from '../../shared/markdown';
import { accessible, changeMarks, firstLines, markdown, markedUri, shownPath, spokenDelta } from './parts';
import { FieldDocumentNode } from '../nodes';
import { nodeId } from './registry';
import { RowKind } from './row';
import { COMMANDS } from '../../shared/names';
import { jsonText } from '../../shared/jsonText';

function fieldDocumentItem(node: FieldDocumentNode): vscode.TreeItem {
  const label = showInvisibles(node.filename ?? node.ref.documentId);
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.contextValue = 'fieldDocument';
  // Not 'file': with a resourceUri, VS Code draws the file icon theme's icon for it instead.
  item.iconPath = new vscode.ThemeIcon('note', new vscode.ThemeColor('list.warningForeground'));
  item.resourceUri = markedUri('fieldDocument', node.ref.runId, changeMarks(node.score, node.priorScore));
  const delta = formatScoreDelta(node.score, node.priorScore);
  item.description = delta ? `${formatScore(node.score)} ${delta}` : formatScore(node.score);
  item.accessibilityInformation = accessible(
    l10n.t('Document {0}', label),
    l10n.t('disagrees on {0}', shownPath(node.parent.path)),
    l10n.t('score {0}', formatScore(node.score)),
    delta && l10n.t('{0} against the prior run', spokenDelta(delta)),
  );
  // Opens the job with this field chosen: its votes, and its value marked in the document.
  item.command = { command: COMMANDS.openJob, title: l10n.t('Open Job'), arguments: [{ ...node.ref, fieldPath: node.parent.path }] };
  return item;
}

/** Built on hover (resolveTreeItem): names, paths and the consensus value are server text. */
export function fieldDocumentTooltip(node: FieldDocumentNode): vscode.MarkdownString {
  const tooltip = markdown();
  tooltip.appendMarkdown(l10n.t('**{0}** disagrees on {1}\n\n', escapeMarkdown(node.filename ?? node.ref.documentId), codeSpan(node.parent.path)));
  const delta = formatScoreDelta(node.score, node.priorScore);
  tooltip.appendMarkdown(l10n.t('Score: {0}{1}  \n', formatScore(node.score), delta ? l10n.t(' ({0} against the prior run)', delta) : ''));
  const value = jsonText(node.value, { maxLength: 400 });
  tooltip.appendMarkdown(l10n.t('Consensus:\n{0}', codeBlock(firstLines(value, 8))));
  tooltip.appendMarkdown(l10n.t('\nDocument: {0}  \nClick to open its job.', codeSpan(node.ref.documentId)));
  return tooltip;
}

export const fieldDocumentRow: RowKind<FieldDocumentNode> = {
  id: (node) => `fielddoc:${node.ref.runId}/${node.ref.documentId}@${node.parent.path}`,
  entityId: (node) => node.ref.documentId,
  item: fieldDocumentItem,
  tooltip: (node) => fieldDocumentTooltip(node),
  children: 'none',
};
