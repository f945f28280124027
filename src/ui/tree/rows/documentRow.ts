/** A document of a run (or a placeholder of a never-run experiment): opens its job. */
import { l10n } from '../../../l10n';
import * as vscode from 'vscode';
import { firstLine, formatDuration, formatScore, formatScoreDelta, showInvisibles, statusWord } from '../../../format';
import { codeBlock, codeSpan, escapeMarkdown } from '../../shared/markdown';
import { accessible, firstLines, joinParts, markdown, spokenDelta } from './parts';
import { DocumentNode } from '../nodes';
import { nodeId } from './registry';
import { RowKind } from './row';
import { Job, documentLabel, isLive } from '../../../api/models';
import { statusCodicon, statusIcon } from '../../shared/statusIcons';
import { COMMANDS } from '../../shared/names';

function documentItem(node: DocumentNode): vscode.TreeItem {
  const job: Job = node.job;
  const label = showInvisibles(documentLabel(job));
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.contextValue = job.isPlaceholder ? 'document.placeholder' : 'document';
  item.iconPath = job.isPlaceholder ? new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('disabledForeground')) : statusIcon(job.status);
  item.description = documentDescription(node) || undefined;
  item.accessibilityInformation = accessible(l10n.t('Document {0}', label), documentDescription(node, true));
  if (!job.isPlaceholder) {
    item.command = { command: COMMANDS.openJob, title: l10n.t('Open Job'), arguments: [node.ref] };
  }
  return item;
}

/** Built on hover (resolveTreeItem): a 5,000-document run should not build 5,000 tooltips up front. */
export function documentTooltip(node: DocumentNode): vscode.MarkdownString {
  const job: Job = node.job;
  const tooltip = markdown();
  tooltip.appendMarkdown(`**${escapeMarkdown(documentLabel(job))}** — $(${statusCodicon(job.status)}) ${escapeMarkdown(statusWord(job.status))}`);
  if (job.isPlaceholder) {
    tooltip.appendMarkdown(l10n.t(' (placeholder: not run yet)'));
  }
  const duration =
    job.durationMs !== null && l10n.t('Duration: {0}{1}', formatDuration(job.durationMs), node.slow ? l10n.t(' (slow: far above the run’s median)') : '');
  const facts = joinParts([duration, !job.isPlaceholder && l10n.t('attempt {0}', job.attempt)]);
  tooltip.appendMarkdown(facts ? `\n\n${facts}  \n` : '\n\n');
  if (node.metric && node.metric.score !== null) {
    const delta = formatScoreDelta(node.metric.score, node.metric.priorScore);
    tooltip.appendMarkdown(l10n.t('Score: {0}{1}  \n', formatScore(node.metric.score), delta ? l10n.t(' ({0} against the prior run)', delta) : ''));
  }
  if (job.error) {
    tooltip.appendMarkdown(`\n${codeBlock(firstLines(job.error, 8))}`);
  }
  tooltip.appendMarkdown(l10n.t('\nDocument: {0}  \nJob: {1}', codeSpan(job.documentId), codeSpan(job.id)));
  return tooltip;
}

/** What a document row says beside its name; `spoken` gives the words for screen readers. */
export function documentDescription(node: DocumentNode, spoken = false): string {
  const job: Job = node.job;
  if (job.isPlaceholder) {
    return l10n.t('placeholder · not run yet');
  }
  if (job.status === 'error' && job.error) {
    const line = showInvisibles(firstLine(job.error, 60));
    return spoken ? l10n.t('failed: {0}', line) : line;
  }
  if (isLive(job.status)) {
    return statusWord(job.status);
  }
  const parts: string[] = [];
  if (spoken) {
    parts.push(statusWord(job.status));
  }
  if (node.metric && node.metric.score !== null) {
    const delta = formatScoreDelta(node.metric.score, node.metric.priorScore);
    parts.push(
      spoken
        ? joinParts([l10n.t('score {0}', formatScore(node.metric.score)), delta && spokenDelta(delta)])
        : delta
          ? `${formatScore(node.metric.score)} ${delta}`
          : formatScore(node.metric.score),
    );
  }
  if (job.durationMs !== null) {
    parts.push(node.slow ? l10n.t('{0} (slow)', formatDuration(job.durationMs)) : formatDuration(job.durationMs));
  }
  return spoken ? parts.join(', ') : joinParts(parts);
}

export const documentRow: RowKind<DocumentNode> = {
  // Under a failure group the same document is another row than under its run.
  id: (node) => (node.parent.kind === 'failureGroup' ? `${nodeId(node.parent)}/${node.ref.documentId}` : `doc:${node.ref.runId}/${node.ref.documentId}`),
  entityId: (node) => node.ref.documentId,
  item: documentItem,
  tooltip: (node) => documentTooltip(node),
  // The tooltip is built lazily (VS Code keeps the one it resolved until the row is redrawn), so what it would say counts too.
  signature: (node) => documentTooltip(node).value,
  children: 'none',
};
