import * as vscode from 'vscode';
import { DurationStats } from '../../analysis/durations';
import { Experiment, Job, RunSummary, Workflow, documentLabel, isLive } from '../../api/models';
import { firstLine, formatDuration, formatRelativeTime, formatScore, formatScoreDelta, formatTimestamp, plural, showInvisibles } from '../../format';
import { codeBlock, codeSpan, escapeMarkdown, escapeMarkdownLines } from '../markdown';
import { statusCodicon, statusIcon } from '../statusIcons';
import {
  DocumentNode,
  ExperimentNode,
  FailureGroupNode,
  FailuresNode,
  LoadMoreNode,
  MessageNode,
  RunNode,
  TreeNode,
  WorkflowNode,
  nodeId,
} from './nodes';

const BLOCK_KIND_ICONS: Record<Experiment['blockKind'], string> = {
  extract: 'symbol-field',
  classifier: 'tag',
  split: 'split-horizontal',
  for_each: 'list-ordered',
  unknown: 'beaker',
};

/**
 * Tree rows carry server text: markdown tooltips must not let it inject links or commands, so
 * every piece of it goes through the helpers of ../markdown.
 */
function markdown(): vscode.MarkdownString {
  const text = new vscode.MarkdownString('', true);
  text.isTrusted = false;
  return text;
}

export function buildTreeItem(node: TreeNode): vscode.TreeItem {
  switch (node.kind) {
    case 'workflow':
      return workflowItem(node);
    case 'experiment':
      return experimentItem(node);
    case 'run':
      return runItem(node);
    case 'document':
      return documentItem(node);
    case 'failures':
      return failuresItem(node);
    case 'failureGroup':
      return failureGroupItem(node);
    case 'loadMore':
      return loadMoreItem(node);
    case 'message':
      return messageItem(node);
  }
}

function workflowItem(node: WorkflowNode): vscode.TreeItem {
  const workflow: Workflow = node.workflow;
  const item = new vscode.TreeItem(showInvisibles(workflow.name), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = 'workflow';
  item.iconPath = new vscode.ThemeIcon('type-hierarchy-sub');
  item.description = workflow.published ? 'published' : undefined;
  const tooltip = markdown();
  tooltip.appendMarkdown(`**${escapeMarkdown(workflow.name)}**\n\n`);
  if (workflow.description) {
    tooltip.appendMarkdown(`${escapeMarkdownLines(workflow.description)}\n\n`);
  }
  tooltip.appendMarkdown(`ID: ${codeSpan(workflow.id)}  \nUpdated: ${escapeMarkdown(formatTimestamp(workflow.updatedAt))}`);
  item.tooltip = tooltip;
  return item;
}

function experimentItem(node: ExperimentNode): vscode.TreeItem {
  const experiment = node.experiment;
  const item = new vscode.TreeItem(showInvisibles(experiment.name), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = `experiment.${experiment.status}`;
  item.iconPath =
    experiment.status === 'processing' || experiment.status === 'failed'
      ? statusIcon(experiment.status)
      : new vscode.ThemeIcon(BLOCK_KIND_ICONS[experiment.blockKind]);
  const badges = [experiment.isStale ? '⚠ stale' : '', experiment.schemaDrift === 'drifted' ? '⚠ schema drifted' : ''].filter(Boolean);
  item.description = [experiment.blockKind, formatScore(experiment.score), experiment.status, ...badges].join(' · ');
  const tooltip = markdown();
  tooltip.appendMarkdown(`**${escapeMarkdown(experiment.name)}** — ${escapeMarkdown(experiment.blockKind)} block\n\n`);
  if (experiment.isStale) {
    tooltip.appendMarkdown('$(warning) **Stale**: the block or the documents changed since the last run, so its score no longer describes the current definition. Start a new run to refresh it.\n\n');
  }
  if (experiment.schemaDrift === 'drifted') {
    tooltip.appendMarkdown("$(warning) **Schema drifted**: the block's output schema changed since the last run; earlier results may not match today's fields.\n\n");
  }
  tooltip.appendMarkdown(`$(${statusCodicon(experiment.status)}) ${experiment.status} · score ${formatScore(experiment.score)}  \n`);
  if (experiment.documentCount !== null) {
    tooltip.appendMarkdown(`${plural(experiment.documentCount, 'document')}`);
  }
  if (experiment.nConsensus !== null) {
    tooltip.appendMarkdown(` · consensus ×${experiment.nConsensus}`);
  }
  tooltip.appendMarkdown(`\n\nID: ${codeSpan(experiment.id)}  \nUpdated: ${escapeMarkdown(formatTimestamp(experiment.updatedAt))}`);
  item.tooltip = tooltip;
  return item;
}

function runItem(node: RunNode): vscode.TreeItem {
  const run: RunSummary = node.run;
  const item = new vscode.TreeItem(`Run ${node.number}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = `run.${run.status}`;
  item.iconPath = statusIcon(run.status);
  const delta = formatScoreDelta(run.score, node.previous?.score);
  const parts = [delta ? `${formatScore(run.score)} ${delta}` : formatScore(run.score)];
  if (run.documentCount !== null) {
    parts.push(plural(run.documentCount, 'doc'));
  }
  if (run.errorCount) {
    parts.push(plural(run.errorCount, 'error'));
  }
  parts.push(formatRelativeTime(run.createdAt));
  if (node.olderDefinition) {
    parts.push('older definition');
  }
  item.description = parts.filter(Boolean).join(' · ');
  return item;
}

/** Built on hover (resolveTreeItem), when the run's documents may be in memory for percentiles. */
export function runTooltip(node: RunNode, stats: DurationStats | undefined): vscode.MarkdownString {
  const run = node.run;
  const tooltip = markdown();
  tooltip.appendMarkdown(`**Run ${node.number}** — $(${statusCodicon(run.status)}) ${run.status}\n\n`);
  const delta = formatScoreDelta(run.score, node.previous?.score);
  tooltip.appendMarkdown(`Score: ${formatScore(run.score)}${delta ? ` (${delta} against run ${node.number - 1})` : ''}  \n`);
  tooltip.appendMarkdown(`Documents: ${run.documentCount ?? '—'} · errors: ${run.errorCount ?? '—'}  \n`);
  if (run.nConsensus !== null) {
    tooltip.appendMarkdown(`Consensus: ×${run.nConsensus}  \n`);
  }
  tooltip.appendMarkdown(`Started: ${escapeMarkdown(formatTimestamp(run.createdAt))}  \nDuration: ${formatDuration(run.durationMs)}  \n`);
  if (stats) {
    tooltip.appendMarkdown(`Per document: p50 ${formatDuration(stats.p50)} · p95 ${formatDuration(stats.p95)}`);
    if (stats.slowest.length > 0) {
      tooltip.appendMarkdown(` · slowest: ${stats.slowest.slice(0, 3).map((job) => escapeMarkdown(documentLabel(job))).join(', ')}`);
    }
    tooltip.appendMarkdown('  \n');
  } else {
    tooltip.appendMarkdown('Expand the run for per-document duration percentiles.  \n');
  }
  if (node.olderDefinition) {
    tooltip.appendMarkdown('\n$(history) This run used an older block definition than the latest run; compare scores with care.\n');
  }
  tooltip.appendMarkdown(`\nID: ${codeSpan(run.id)}`);
  return tooltip;
}

function documentItem(node: DocumentNode): vscode.TreeItem {
  const job: Job = node.job;
  const item = new vscode.TreeItem(showInvisibles(documentLabel(job)), vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.contextValue = job.isPlaceholder ? 'document.placeholder' : 'document';
  item.iconPath = job.isPlaceholder ? new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('disabledForeground')) : statusIcon(job.status);
  item.description = documentDescription(node);
  if (!job.isPlaceholder) {
    item.command = { command: 'retab.openJob', title: 'Open Job', arguments: [node.ref] };
  }
  return item;
}

/** Built on hover (resolveTreeItem): a 5,000-document run should not build 5,000 tooltips up front. */
export function documentTooltip(node: DocumentNode): vscode.MarkdownString {
  const job: Job = node.job;
  const tooltip = markdown();
  tooltip.appendMarkdown(`**${escapeMarkdown(documentLabel(job))}** — $(${statusCodicon(job.status)}) ${escapeMarkdown(job.status)}`);
  if (job.isPlaceholder) {
    tooltip.appendMarkdown(' (placeholder: not run yet)');
  }
  tooltip.appendMarkdown(`\n\nDuration: ${formatDuration(job.durationMs)}${node.slow ? ' (among the slowest 5%)' : ''} · attempt ${job.attempt}  \n`);
  if (node.metric) {
    const delta = formatScoreDelta(node.metric.score, node.metric.priorScore);
    tooltip.appendMarkdown(`Score: ${formatScore(node.metric.score)}${delta ? ` (${delta} against the prior run)` : ''}  \n`);
  }
  if (job.error) {
    tooltip.appendMarkdown(`\n${codeBlock(firstLines(job.error, 8))}`);
  }
  tooltip.appendMarkdown(`\nDocument: ${codeSpan(job.documentId)}  \nJob: ${codeSpan(job.id)}`);
  return tooltip;
}

export function documentDescription(node: DocumentNode): string {
  const job: Job = node.job;
  if (job.isPlaceholder) {
    return 'placeholder · not run yet';
  }
  if (job.status === 'error' && job.error) {
    return showInvisibles(firstLine(job.error, 60));
  }
  if (isLive(job.status)) {
    return job.status;
  }
  const parts: string[] = [];
  if (node.metric && node.metric.score !== null) {
    const delta = formatScoreDelta(node.metric.score, node.metric.priorScore);
    parts.push(delta ? `${formatScore(node.metric.score)} ${delta}` : formatScore(node.metric.score));
  }
  parts.push(node.slow ? `${formatDuration(job.durationMs)} (slow)` : formatDuration(job.durationMs));
  return parts.join(' · ');
}

function failuresItem(node: FailuresNode): vscode.TreeItem {
  const failed = node.groups.reduce((sum, group) => sum + group.jobs.length, 0);
  const item = new vscode.TreeItem('Failures', vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = 'failures';
  item.iconPath = new vscode.ThemeIcon('bug', new vscode.ThemeColor('testing.iconFailed'));
  item.description = `${plural(failed, 'document')} · ${plural(node.groups.length, 'cause')}`;
  item.tooltip = 'Failed documents grouped by error message (ids, numbers and paths folded), largest group first.';
  return item;
}

function failureGroupItem(node: FailureGroupNode): vscode.TreeItem {
  const group = node.group;
  // The count leads: in a narrow sidebar the message is cut, the size of the group must not be.
  const item = new vscode.TreeItem(`${group.jobs.length}× ${showInvisibles(firstLine(group.signature, 90))}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = 'failureGroup';
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
  const tooltip = markdown();
  tooltip.appendMarkdown(`**${plural(group.jobs.length, 'document')}** failed with:\n\n`);
  tooltip.appendMarkdown(codeBlock(firstLines(group.example, 12)));
  item.tooltip = tooltip;
  return item;
}

function loadMoreItem(node: LoadMoreNode): vscode.TreeItem {
  const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.command = { command: 'retab.loadMoreWorkflows', title: 'Load More' };
  return item;
}

function messageItem(node: MessageNode): vscode.TreeItem {
  // A message may quote the server (a metrics reason), and its detail is an error's description.
  const text = showInvisibles(node.text);
  const item = new vscode.TreeItem(text, vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.contextValue = `message.${node.severity}`;
  item.description = node.detail === undefined ? undefined : showInvisibles(node.detail);
  item.tooltip = node.detail ? `${text}\n${showInvisibles(node.detail)}` : text;
  if (node.severity === 'error') {
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  } else if (node.severity === 'loading') {
    item.iconPath = new vscode.ThemeIcon('loading~spin');
  } else {
    item.iconPath = new vscode.ThemeIcon('info');
  }
  if (node.action === 'retry') {
    item.command = { command: 'retab.retryNode', title: 'Retry', arguments: [node] };
    item.label = `${text} — click to retry`;
  } else if (node.action === 'setApiKey') {
    item.command = { command: 'retab.setApiKey', title: 'Set API Key' };
    item.label = `${text} — click to set the API key`;
  } else if (node.action === 'useKeyForBaseUrl') {
    item.command = { command: 'retab.useKeyForBaseUrl', title: 'Use API Key for This Server…' };
    item.label = `${text} — click to allow`;
  }
  return item;
}

function firstLines(text: string, count: number): string {
  const lines = text.split(/\r?\n/);
  const shown = lines.slice(0, count).map((line) => (line.length > 200 ? `${line.slice(0, 199)}…` : line));
  return lines.length > count ? `${shown.join('\n')}\n…` : shown.join('\n');
}
