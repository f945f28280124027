import * as vscode from 'vscode';
import { Experiment, Job, RunSummary, Workflow, documentLabel } from '../../api/models';
import { firstLine, formatDuration, formatRelativeTime, formatScore, formatTimestamp, plural } from '../../format';
import { statusCodicon, statusIcon } from '../statusIcons';
import { DocumentNode, ExperimentNode, LoadMoreNode, MessageNode, RunNode, TreeNode, WorkflowNode, nodeId } from './nodes';

const BLOCK_KIND_ICONS: Record<Experiment['blockKind'], string> = {
  extract: 'symbol-field',
  classifier: 'tag',
  split: 'split-horizontal',
  for_each: 'list-ordered',
  unknown: 'beaker',
};

/** Tree rows carry server text: markdown tooltips must not let it inject links or commands. */
function markdown(): vscode.MarkdownString {
  const text = new vscode.MarkdownString('', true);
  text.isTrusted = false;
  return text;
}

function code(value: string): string {
  return '`' + value.replace(/`/g, "'") + '`';
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
    case 'loadMore':
      return loadMoreItem(node);
    case 'message':
      return messageItem(node);
  }
}

function workflowItem(node: WorkflowNode): vscode.TreeItem {
  const workflow: Workflow = node.workflow;
  const item = new vscode.TreeItem(workflow.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = 'workflow';
  item.iconPath = new vscode.ThemeIcon('type-hierarchy-sub');
  item.description = workflow.published ? 'published' : undefined;
  const tooltip = markdown();
  tooltip.appendMarkdown(`**${escapeMd(workflow.name)}**\n\n`);
  if (workflow.description) {
    tooltip.appendText(workflow.description);
    tooltip.appendMarkdown('\n\n');
  }
  tooltip.appendMarkdown(`ID: ${code(workflow.id)}  \nUpdated: ${formatTimestamp(workflow.updatedAt)}`);
  item.tooltip = tooltip;
  return item;
}

function experimentItem(node: ExperimentNode): vscode.TreeItem {
  const experiment = node.experiment;
  const item = new vscode.TreeItem(experiment.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = 'experiment';
  item.iconPath =
    experiment.status === 'processing' || experiment.status === 'failed'
      ? statusIcon(experiment.status)
      : new vscode.ThemeIcon(BLOCK_KIND_ICONS[experiment.blockKind]);
  item.description = [experiment.blockKind, formatScore(experiment.score), experiment.status].join(' · ');
  const tooltip = markdown();
  tooltip.appendMarkdown(`**${escapeMd(experiment.name)}** — ${experiment.blockKind} block\n\n`);
  tooltip.appendMarkdown(`$(${statusCodicon(experiment.status)}) ${experiment.status} · score ${formatScore(experiment.score)}  \n`);
  if (experiment.documentCount !== null) {
    tooltip.appendMarkdown(`${plural(experiment.documentCount, 'document')}`);
  }
  if (experiment.nConsensus !== null) {
    tooltip.appendMarkdown(` · consensus ×${experiment.nConsensus}`);
  }
  tooltip.appendMarkdown(`\n\nID: ${code(experiment.id)}  \nUpdated: ${formatTimestamp(experiment.updatedAt)}`);
  item.tooltip = tooltip;
  return item;
}

function runItem(node: RunNode): vscode.TreeItem {
  const run: RunSummary = node.run;
  const item = new vscode.TreeItem(`Run ${node.number}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = 'run';
  item.iconPath = statusIcon(run.status);
  const parts = [formatScore(run.score)];
  if (run.documentCount !== null) {
    parts.push(plural(run.documentCount, 'doc'));
  }
  if (run.errorCount) {
    parts.push(plural(run.errorCount, 'error'));
  }
  parts.push(formatRelativeTime(run.createdAt));
  item.description = parts.filter(Boolean).join(' · ');
  const tooltip = markdown();
  tooltip.appendMarkdown(`**Run ${node.number}** — $(${statusCodicon(run.status)}) ${run.status}\n\n`);
  tooltip.appendMarkdown(`Score: ${formatScore(run.score)}  \n`);
  tooltip.appendMarkdown(`Documents: ${run.documentCount ?? '—'} · errors: ${run.errorCount ?? '—'}  \n`);
  if (run.nConsensus !== null) {
    tooltip.appendMarkdown(`Consensus: ×${run.nConsensus}  \n`);
  }
  tooltip.appendMarkdown(`Started: ${formatTimestamp(run.createdAt)}  \nDuration: ${formatDuration(run.durationMs)}\n\n`);
  tooltip.appendMarkdown(`ID: ${code(run.id)}`);
  item.tooltip = tooltip;
  return item;
}

function documentItem(node: DocumentNode): vscode.TreeItem {
  const job: Job = node.job;
  const item = new vscode.TreeItem(documentLabel(job), vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.contextValue = job.isPlaceholder ? 'document.placeholder' : 'document';
  item.iconPath = job.isPlaceholder ? new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('disabledForeground')) : statusIcon(job.status);
  item.description = documentDescription(job);
  item.command = { command: 'retab.openJob', title: 'Open Job', arguments: [node.ref] };
  const tooltip = markdown();
  tooltip.appendMarkdown(`**${escapeMd(documentLabel(job))}** — $(${statusCodicon(job.status)}) ${job.status}`);
  if (job.isPlaceholder) {
    tooltip.appendMarkdown(' (placeholder: not run yet)');
  }
  tooltip.appendMarkdown(`\n\nDuration: ${formatDuration(job.durationMs)} · attempt ${job.attempt}  \n`);
  if (job.error) {
    tooltip.appendMarkdown('\n');
    tooltip.appendCodeblock(firstLines(job.error, 8), 'text');
  }
  tooltip.appendMarkdown(`\nDocument: ${code(job.documentId)}  \nJob: ${code(job.id)}`);
  item.tooltip = tooltip;
  return item;
}

export function documentDescription(job: Job): string {
  if (job.isPlaceholder) {
    return 'not run yet';
  }
  if (job.status === 'error' && job.error) {
    return firstLine(job.error, 60);
  }
  if (job.status === 'running' || job.status === 'pending') {
    return job.status;
  }
  return formatDuration(job.durationMs);
}

function loadMoreItem(node: LoadMoreNode): vscode.TreeItem {
  const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.command = { command: 'retab.loadMoreWorkflows', title: 'Load More' };
  return item;
}

function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.contextValue = `message.${node.severity}`;
  item.description = node.detail;
  item.tooltip = node.detail ? `${node.text}\n${node.detail}` : node.text;
  if (node.severity === 'error') {
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  } else if (node.severity === 'loading') {
    item.iconPath = new vscode.ThemeIcon('loading~spin');
  } else {
    item.iconPath = new vscode.ThemeIcon('info');
  }
  if (node.action === 'retry') {
    item.command = { command: 'retab.retryNode', title: 'Retry', arguments: [node] };
    item.label = `${node.text} — click to retry`;
  } else if (node.action === 'setApiKey') {
    item.command = { command: 'retab.setApiKey', title: 'Set API Key' };
    item.label = `${node.text} — click to set the API key`;
  }
  return item;
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (char) => `\\${char}`);
}

function firstLines(text: string, count: number): string {
  const lines = text.split(/\r?\n/);
  const shown = lines.slice(0, count).map((line) => (line.length > 200 ? `${line.slice(0, 199)}…` : line));
  return lines.length > count ? `${shown.join('\n')}\n…` : shown.join('\n');
}
