import * as vscode from 'vscode';
import { DurationStats } from '../../analysis/durations';
import { Experiment, Job, RunSummary, Workflow, disagrees, documentLabel, isLive } from '../../api/models';
import { jsonText } from '../shared/jsonText';
import { firstLine, formatDuration, formatRelativeTime, formatScore, formatScoreDelta, formatTimestamp, plural, showInvisibles } from '../../format';
import { codeBlock, codeSpan, escapeMarkdown, escapeMarkdownLines } from '../shared/markdown';
import { RowMark, rowUri } from '../decorations/rowMarks';
import { statusCodicon, statusIcon } from '../shared/statusIcons';
import { ERROR_ACTION_COMMANDS, ERROR_ACTION_LABELS, ErrorAction } from '../shared/errorGuidance';
import { COMMANDS } from '../shared/names';
import {
  DocumentNode,
  ExperimentNode,
  FailureGroupNode,
  FailuresNode,
  FieldDocumentNode,
  FieldNode,
  FieldsNode,
  LoadMoreNode,
  MessageNode,
  ParentNode,
  ProgressNode,
  RunNode,
  TreeNode,
  VoteFlowNode,
  WorkflowNode,
  entityId,
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
    case 'progress':
      return progressItem(node);
    case 'fields':
      return fieldsItem(node);
    case 'field':
      return fieldItem(node);
    case 'fieldDocument':
      return fieldDocumentItem(node);
    case 'voteFlow':
      return voteFlowItem(node);
    case 'loadMore':
      return loadMoreItem(node);
    case 'message':
      return messageItem(node);
  }
}

/** " · " between the parts that say something: an unknown value is left out, never shown as "—". */
export function joinParts(parts: ReadonlyArray<string | false | null | undefined>): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '' && part !== '—').join(' · ');
}

/** "▲ 3.1" read aloud. */
function spokenDelta(delta: string): string {
  if (delta.startsWith('▲')) {
    return `up ${delta.slice(1).trim()} points`;
  }
  if (delta.startsWith('▼')) {
    return `down ${delta.slice(1).trim()} points`;
  }
  return delta === '= 0.0' ? 'unchanged' : delta;
}

function accessible(...parts: ReadonlyArray<string | false | null | undefined>): vscode.AccessibilityInformation {
  return { label: parts.filter((part): part is string => typeof part === 'string' && part !== '' && part !== '—').join(', ') };
}

function markedUri(kind: string, id: string, marks: readonly RowMark[]): vscode.Uri | undefined {
  return marks.length > 0 ? vscode.Uri.parse(rowUri(kind, id, marks)) : undefined;
}

function workflowItem(node: WorkflowNode): vscode.TreeItem {
  const workflow: Workflow = node.workflow;
  const name = showInvisibles(workflow.name);
  const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = 'workflow';
  item.iconPath = new vscode.ThemeIcon('type-hierarchy-sub');
  item.description = workflow.published ? 'published' : undefined;
  item.accessibilityInformation = accessible(`Workflow ${name}`, workflow.published ? 'published' : undefined);
  const tooltip = markdown();
  tooltip.appendMarkdown(`**${escapeMarkdown(workflow.name)}**\n\n`);
  if (workflow.description) {
    tooltip.appendMarkdown(`${escapeMarkdownLines(workflow.description)}\n\n`);
  }
  tooltip.appendMarkdown(`ID: ${codeSpan(workflow.id)}`);
  if (workflow.updatedAt) {
    tooltip.appendMarkdown(`  \nUpdated: ${escapeMarkdown(formatTimestamp(workflow.updatedAt))}`);
  }
  item.tooltip = tooltip;
  return item;
}

function experimentMarks(experiment: Experiment): RowMark[] {
  const marks: RowMark[] = [];
  if (experiment.isStale) {
    marks.push('stale');
  }
  if (experiment.schemaDrift === 'drifted') {
    marks.push('drifted');
  }
  return marks;
}

function experimentItem(node: ExperimentNode): vscode.TreeItem {
  const experiment = node.experiment;
  const name = showInvisibles(experiment.name);
  const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = `experiment.${experiment.status}`;
  const marks = experimentMarks(experiment);
  // A long name leaves no room for the description: the icon, the label's colour and the badge
  // (see ../decorations) are what says "stale" in a narrow sidebar.
  item.iconPath =
    experiment.status === 'processing' || experiment.status === 'failed'
      ? statusIcon(experiment.status)
      : marks.length > 0
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
        : new vscode.ThemeIcon(BLOCK_KIND_ICONS[experiment.blockKind]);
  item.resourceUri = markedUri('experiment', experiment.id, marks);
  const warnings = [experiment.isStale && 'stale', experiment.schemaDrift === 'drifted' && 'schema drifted'];
  // Warnings first: what is cut off is the end of a row.
  item.description = joinParts([...warnings, formatScore(experiment.score), experiment.status, experiment.blockKind]);
  item.accessibilityInformation = accessible(
    `Experiment ${name}`,
    `${experiment.blockKind} block`,
    experiment.status,
    experiment.score !== null && `score ${formatScore(experiment.score)}`,
    ...warnings,
  );
  const tooltip = markdown();
  tooltip.appendMarkdown(`**${escapeMarkdown(experiment.name)}** — ${escapeMarkdown(experiment.blockKind)} block\n\n`);
  if (experiment.isStale) {
    tooltip.appendMarkdown(
      '$(warning) **Stale** (S): the block or the documents changed since the last run, so its score no longer describes the current definition. Start a new run to refresh it.\n\n',
    );
  }
  if (experiment.schemaDrift === 'drifted') {
    tooltip.appendMarkdown(
      "$(warning) **Schema drifted** (D): the block's output schema changed since the last run; earlier results may not match today's fields.\n\n",
    );
  }
  tooltip.appendMarkdown(
    `$(${statusCodicon(experiment.status)}) ${joinParts([experiment.status, experiment.score !== null && `score ${formatScore(experiment.score)}`])}  \n`,
  );
  const counts = joinParts([plural(experiment.documentCount, 'document'), experiment.nConsensus !== null && `consensus ×${experiment.nConsensus}`]);
  tooltip.appendMarkdown(`${counts}\n\nID: ${codeSpan(experiment.id)}`);
  if (experiment.updatedAt) {
    tooltip.appendMarkdown(`  \nUpdated: ${escapeMarkdown(formatTimestamp(experiment.updatedAt))}`);
  }
  item.tooltip = tooltip;
  return item;
}

/**
 * "12 / 40 done" while a run is live. Servers of the first generation send no counts (they read
 * 0): a count only shows once the server reports documents done, else the run's size does.
 */
export function runProgress(run: RunSummary): string {
  const total = run.totalDocumentCount || run.documentCount;
  return run.completedDocumentCount > 0
    ? `${run.completedDocumentCount.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} done`
    : plural(total, 'doc');
}

export function runDescription(node: RunNode): string {
  const run = node.run;
  // "older definition" leads: "Run 6" is short, so the start of the description is always seen.
  const older = node.olderDefinition && 'older definition';
  if (isLive(run.status)) {
    // Expanded, the row below says how far it got (see RunNode.expanded); this row stays still.
    return node.expanded
      ? joinParts([older, run.status])
      : joinParts([older, run.status, runProgress(run), run.errorCount > 0 && plural(run.errorCount, 'error')]);
  }
  const delta = formatScoreDelta(run.score, node.previous?.score);
  return joinParts([
    older,
    run.score !== null && (delta ? `${formatScore(run.score)} ${delta}` : formatScore(run.score)),
    plural(run.documentCount, 'doc'),
    run.errorCount > 0 && plural(run.errorCount, 'error'),
    formatRelativeTime(run.createdAt),
  ]);
}

function runItem(node: RunNode): vscode.TreeItem {
  const run: RunSummary = node.run;
  const item = new vscode.TreeItem(`Run ${node.number}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = `run.${run.status}`;
  item.iconPath = statusIcon(run.status);
  item.resourceUri = markedUri('run', run.id, node.olderDefinition ? ['older'] : []);
  item.description = runDescription(node);
  const delta = formatScoreDelta(run.score, node.previous?.score);
  const older = node.olderDefinition && 'older block definition';
  // Like the description: an expanded live run's row says nothing that changes while it runs
  // (its progress row does), or each change would redraw every document row under it.
  item.accessibilityInformation =
    isLive(run.status) && node.expanded
      ? accessible(`Run ${node.number}`, run.status, 'progress in the first row below', older)
      : accessible(
          `Run ${node.number}`,
          run.status,
          isLive(run.status) ? runProgress(run) : plural(run.documentCount, 'document'),
          run.score !== null && `score ${formatScore(run.score)}`,
          delta && `${spokenDelta(delta)} against run ${node.number - 1}`,
          run.errorCount > 0 && plural(run.errorCount, 'error'),
          older,
        );
  return item;
}

/** Built on hover (resolveTreeItem), when the run's documents may be in memory for percentiles. */
export function runTooltip(node: RunNode, stats: DurationStats | undefined): vscode.MarkdownString {
  const run = node.run;
  const tooltip = markdown();
  tooltip.appendMarkdown(`**Run ${node.number}** — $(${statusCodicon(run.status)}) ${run.status}\n\n`);
  if (run.statusMessage) {
    tooltip.appendMarkdown(`${escapeMarkdown(firstLine(run.statusMessage, 300))}\n\n`);
  }
  if (run.score !== null) {
    const delta = formatScoreDelta(run.score, node.previous?.score);
    tooltip.appendMarkdown(`Score: ${formatScore(run.score)}${delta ? ` (${delta} against run ${node.number - 1})` : ''}  \n`);
  }
  if (isLive(run.status)) {
    tooltip.appendMarkdown(`Progress: ${runProgress(run)}  \n`);
  }
  tooltip.appendMarkdown(
    `${joinParts([`Documents: ${run.documentCount.toLocaleString('en-US')}`, `errors: ${run.errorCount.toLocaleString('en-US')}`, run.nConsensus !== null && `consensus ×${run.nConsensus}`])}  \n`,
  );
  if (run.createdAt) {
    tooltip.appendMarkdown(`Started: ${escapeMarkdown(formatTimestamp(run.createdAt))}  \n`);
  }
  if (run.durationMs !== null) {
    tooltip.appendMarkdown(`Duration: ${formatDuration(run.durationMs)}  \n`);
  }
  if (stats) {
    const slowest =
      stats.slowest.length > 0 &&
      `slow: ${stats.slowest
        .slice(0, 3)
        .map((job) => escapeMarkdown(documentLabel(job)))
        .join(', ')}`;
    tooltip.appendMarkdown(`${joinParts([`Per document: p50 ${formatDuration(stats.p50)}`, `p95 ${formatDuration(stats.p95)}`, slowest])}  \n`);
  } else if (!isLive(run.status)) {
    tooltip.appendMarkdown('Expand the run for per-document duration percentiles.  \n');
  }
  if (node.olderDefinition) {
    tooltip.appendMarkdown('\n$(history) **Older definition**: this run used an older block definition than the latest run; compare scores with care.\n');
  }
  tooltip.appendMarkdown(`\nID: ${codeSpan(run.id)}`);
  return tooltip;
}

function documentItem(node: DocumentNode): vscode.TreeItem {
  const job: Job = node.job;
  const label = showInvisibles(documentLabel(job));
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.contextValue = job.isPlaceholder ? 'document.placeholder' : 'document';
  item.iconPath = job.isPlaceholder ? new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('disabledForeground')) : statusIcon(job.status);
  item.description = documentDescription(node) || undefined;
  item.accessibilityInformation = accessible(`Document ${label}`, documentDescription(node, true));
  if (!job.isPlaceholder) {
    item.command = { command: COMMANDS.openJob, title: 'Open Job', arguments: [node.ref] };
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
  const duration = job.durationMs !== null && `Duration: ${formatDuration(job.durationMs)}${node.slow ? ' (slow: far above the run’s median)' : ''}`;
  const facts = joinParts([duration, !job.isPlaceholder && `attempt ${job.attempt}`]);
  tooltip.appendMarkdown(facts ? `\n\n${facts}  \n` : '\n\n');
  if (node.metric && node.metric.score !== null) {
    const delta = formatScoreDelta(node.metric.score, node.metric.priorScore);
    tooltip.appendMarkdown(`Score: ${formatScore(node.metric.score)}${delta ? ` (${delta} against the prior run)` : ''}  \n`);
  }
  if (job.error) {
    tooltip.appendMarkdown(`\n${codeBlock(firstLines(job.error, 8))}`);
  }
  tooltip.appendMarkdown(`\nDocument: ${codeSpan(job.documentId)}  \nJob: ${codeSpan(job.id)}`);
  return tooltip;
}

/** What a document row says beside its name; `spoken` gives the words for screen readers. */
export function documentDescription(node: DocumentNode, spoken = false): string {
  const job: Job = node.job;
  if (job.isPlaceholder) {
    return 'placeholder · not run yet';
  }
  if (job.status === 'error' && job.error) {
    const line = showInvisibles(firstLine(job.error, 60));
    return spoken ? `failed: ${line}` : line;
  }
  if (isLive(job.status)) {
    return job.status;
  }
  const parts: string[] = [];
  if (spoken) {
    parts.push(job.status);
  }
  if (node.metric && node.metric.score !== null) {
    const delta = formatScoreDelta(node.metric.score, node.metric.priorScore);
    parts.push(
      spoken
        ? joinParts([`score ${formatScore(node.metric.score)}`, delta && spokenDelta(delta)])
        : delta
          ? `${formatScore(node.metric.score)} ${delta}`
          : formatScore(node.metric.score),
    );
  }
  if (job.durationMs !== null) {
    parts.push(node.slow ? `${formatDuration(job.durationMs)} (slow)` : formatDuration(job.durationMs));
  }
  return spoken ? parts.join(', ') : joinParts(parts);
}

function failuresItem(node: FailuresNode): vscode.TreeItem {
  const failed = node.groups.reduce((sum, group) => sum + group.jobs.length, 0);
  const item = new vscode.TreeItem('Failures', vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = 'failures';
  item.iconPath = new vscode.ThemeIcon('bug', new vscode.ThemeColor('testing.iconFailed'));
  item.description = `${plural(failed, 'document')} · ${plural(node.groups.length, 'cause')}`;
  item.accessibilityInformation = accessible('Failures', plural(failed, 'failed document'), plural(node.groups.length, 'cause'));
  item.tooltip = 'Failed documents grouped by error message (ids, numbers and paths folded), largest group first.';
  return item;
}

function failureGroupItem(node: FailureGroupNode): vscode.TreeItem {
  const group = node.group;
  // The count leads: in a narrow sidebar the message is cut, the size of the group must not be.
  const signature = showInvisibles(firstLine(group.signature, 90));
  const item = new vscode.TreeItem(`${group.jobs.length}× ${signature}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = 'failureGroup';
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
  item.accessibilityInformation = accessible(`${plural(group.jobs.length, 'document')} failed with: ${signature}`);
  const tooltip = markdown();
  tooltip.appendMarkdown(`**${plural(group.jobs.length, 'document')}** failed with:\n\n`);
  tooltip.appendMarkdown(codeBlock(firstLines(group.example, 12)));
  item.tooltip = tooltip;
  return item;
}

function progressItem(node: ProgressNode): vscode.TreeItem {
  const done = `${node.done.toLocaleString('en-US')} / ${node.total.toLocaleString('en-US')} done`;
  const item = new vscode.TreeItem(done, vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.contextValue = 'progress';
  item.iconPath =
    node.running > 0
      ? new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue'))
      : new vscode.ThemeIcon('clock', new vscode.ThemeColor('testing.iconQueued'));
  const failed = node.failed > 0 && `${node.failed.toLocaleString('en-US')} failed`;
  const running = node.running > 0 && `${node.running.toLocaleString('en-US')} running`;
  item.description = joinParts([failed, running]) || undefined;
  item.accessibilityInformation = accessible(`Progress: ${node.done} of ${node.total} documents done`, failed, running);
  item.tooltip =
    'Documents this run has finished (completed, failed or skipped), from their statuses; updated while the run is live. The run’s row gives its score when it ends.';
  return item;
}

/** The run a field row compares with: the one listed just before its own. */
function priorRunName(run: RunNode): string {
  return `run ${run.number - 1}`;
}

/** "field" or "label", for a field row's words. */
function fieldNoun(node: FieldNode): string {
  return node.label ? 'label' : 'field';
}

/** A path for a row's label: whole unless absurdly long (the tooltip has it whole). */
function shownPath(path: string): string {
  const shown = showInvisibles(path);
  return shown.length > 120 ? `${shown.slice(0, 119)}…` : shown;
}

/** `worse` / `better` from the score change, on the same threshold as the `▲` / `▼` shown. */
function changeMarks(score: number | null, priorScore: number | null): RowMark[] {
  const delta = formatScoreDelta(score, priorScore);
  return delta.startsWith('▼') ? ['worse'] : delta.startsWith('▲') ? ['better'] : [];
}

function fieldsItem(node: FieldsNode): vscode.TreeItem {
  const item = new vscode.TreeItem('Fields', vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = 'fields';
  const scores = node.scores;
  // Not the block kinds' icons (symbol-field, tag): this row is not an experiment.
  item.iconPath = new vscode.ThemeIcon(scores?.kind === 'label' ? 'symbol-enum' : 'symbol-structure');
  if (!scores) {
    item.description = 'scores not read';
    item.accessibilityInformation = accessible('Fields', 'the run’s scores could not be read; expand to try again');
    item.tooltip = 'The run’s scores could not be read with its documents. Expand to try again.';
    return item;
  }
  const noun = scores.kind === 'label' ? 'label' : 'field';
  const disagreeing = scores.scores.filter((field) => disagrees(field.score)).length;
  const counts = [plural(scores.total, noun), disagreeing === 0 ? 'all agree' : `${disagreeing.toLocaleString('en-US')} disagree`];
  item.description = joinParts(counts);
  item.accessibilityInformation = accessible('Fields', ...counts, 'worst first');
  item.tooltip =
    scores.kind === 'label'
      ? 'Each label’s run-level score (how often the votes agreed when the consensus was that label), worst first, with the change against the run before. Expand a label for the documents that disagree and where the votes went.'
      : 'Each field’s run-level score (the share of voters that agreed with the consensus), worst first, with the change against the run before. Expand a field for the documents that disagree on it.';
  return item;
}

/** What a field row says beside its path; `spoken` gives the words for screen readers. */
export function fieldDescription(node: FieldNode, spoken = false): string {
  if (node.score === null) {
    return 'not scored';
  }
  const run = node.parent.parent;
  const delta = formatScoreDelta(node.score, node.priorScore);
  if (spoken) {
    const parts = [
      `score ${formatScore(node.score)}`,
      delta && `${spokenDelta(delta)} against ${priorRunName(run)}`,
      node.isNew && `new since ${priorRunName(run)}`,
    ];
    return parts.filter((part): part is string => typeof part === 'string' && part !== '').join(', ');
  }
  return joinParts([delta ? `${formatScore(node.score)} ${delta}` : formatScore(node.score), node.isNew && 'new']);
}

function fieldItem(node: FieldNode): vscode.TreeItem {
  const run = node.parent.parent;
  // Nothing below a field every voter agreed on, or one nobody scored: no arrow, no request.
  const expandable = node.label || disagrees(node.score);
  const label = shownPath(node.path);
  const item = new vscode.TreeItem(label, expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.contextValue = node.label ? 'field.label' : 'field';
  item.iconPath =
    node.score === null
      ? new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('disabledForeground'))
      : disagrees(node.score)
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
        : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
  item.resourceUri = markedUri('field', run.run.id, changeMarks(node.score, node.priorScore));
  item.description = fieldDescription(node);
  item.accessibilityInformation = accessible(
    `${node.label ? 'Label' : 'Field'} ${label}`,
    fieldDescription(node, true),
    disagrees(node.score) && 'expand for the documents that disagree',
  );
  return item;
}

/** Built on hover (resolveTreeItem): the path is server text, escaped. */
export function fieldTooltip(node: FieldNode): vscode.MarkdownString {
  const run = node.parent.parent;
  const tooltip = markdown();
  tooltip.appendMarkdown(`**${codeSpan(node.path)}** — ${node.label ? 'label' : 'field'} of run ${run.number}\n\n`);
  if (node.score === null) {
    tooltip.appendMarkdown('No document of this run has a score for it.\n\n');
  } else {
    const delta = formatScoreDelta(node.score, node.priorScore);
    const change = delta ? ` (${delta} against ${priorRunName(run)})` : node.isNew ? ` (new since ${priorRunName(run)})` : '';
    tooltip.appendMarkdown(`Score: ${formatScore(node.score)}${change}  \n`);
    if (node.priorScore !== null && !delta) {
      tooltip.appendMarkdown(`Run ${run.number - 1}: ${formatScore(node.priorScore)}  \n`);
    }
    tooltip.appendMarkdown(
      node.label
        ? '\nHow often the votes agreed when the consensus was this label.'
        : '\nThe share of voters that agreed with the consensus, over the run’s documents.',
    );
    if (node.label || disagrees(node.score)) {
      tooltip.appendMarkdown(` Expand for the documents that disagree on this ${fieldNoun(node)}${node.label ? ' and where its votes went' : ''}.`);
    }
  }
  return tooltip;
}

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
    `Document ${label}`,
    `disagrees on ${shownPath(node.parent.path)}`,
    `score ${formatScore(node.score)}`,
    delta && `${spokenDelta(delta)} against the prior run`,
  );
  // Opens the job with this field chosen: its votes, and its value marked in the document.
  item.command = { command: COMMANDS.openJob, title: 'Open Job', arguments: [{ ...node.ref, fieldPath: node.parent.path }] };
  return item;
}

/** Built on hover (resolveTreeItem): names, paths and the consensus value are server text. */
export function fieldDocumentTooltip(node: FieldDocumentNode): vscode.MarkdownString {
  const tooltip = markdown();
  tooltip.appendMarkdown(`**${escapeMarkdown(node.filename ?? node.ref.documentId)}** disagrees on ${codeSpan(node.parent.path)}\n\n`);
  const delta = formatScoreDelta(node.score, node.priorScore);
  tooltip.appendMarkdown(`Score: ${formatScore(node.score)}${delta ? ` (${delta} against the prior run)` : ''}  \n`);
  const value = jsonText(node.value, { maxLength: 400 });
  tooltip.appendMarkdown(`Consensus:\n${codeBlock(firstLines(value, 8))}`);
  tooltip.appendMarkdown(`\nDocument: ${codeSpan(node.ref.documentId)}  \nClick to open its job.`);
  return tooltip;
}

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

function loadMoreItem(node: LoadMoreNode): vscode.TreeItem {
  const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.accessibilityInformation = accessible('Load more workflows');
  item.command = { command: COMMANDS.loadMoreWorkflows, title: 'Load More' };
  return item;
}

const ACTION_WORDS: Record<NonNullable<MessageNode['action']>, string> = {
  retry: 'Retry',
  setApiKey: 'Set Key',
  useKeyForBaseUrl: 'Allow…',
  openSettings: 'Settings',
  showLog: 'Show Log',
};

function messageItem(node: MessageNode): vscode.TreeItem {
  // A message may quote the server (a metrics reason), and its detail is an error's description.
  const text = showInvisibles(node.text);
  const detail = node.detail === undefined ? undefined : showInvisibles(node.detail);
  // The way forward is part of the label, right after a short text: a description would be cut off.
  const label = node.action ? `${text} — ${ACTION_WORDS[node.action]}` : text;
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.contextValue = `message.${node.severity}`;
  item.description = node.summary === undefined ? (node.severity === 'error' ? undefined : detail) : showInvisibles(node.summary);
  item.tooltip = detail ? `${label}\n${detail}` : label;
  item.accessibilityInformation = accessible(
    node.severity === 'error' ? `Error: ${text}` : text,
    node.action && `click to ${ACTION_WORDS[node.action].replace('…', '').toLowerCase()}`,
    detail,
  );
  if (node.severity === 'error') {
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    item.resourceUri = markedUri('message', node.parent ? entityIdOf(node.parent) : 'root', ['error']);
  } else if (node.severity === 'loading') {
    item.iconPath = new vscode.ThemeIcon('loading~spin');
  } else {
    item.iconPath = new vscode.ThemeIcon('info');
  }
  item.command = node.action && messageCommand(node, node.action);
  return item;
}

function messageCommand(node: MessageNode, action: ErrorAction): vscode.Command {
  const title = ERROR_ACTION_LABELS[action];
  if (action === 'retry') {
    return { command: COMMANDS.retryNode, title, arguments: [node] };
  }
  const [command, ...args] = ERROR_ACTION_COMMANDS[action];
  return { command, title, arguments: args };
}

function entityIdOf(node: ParentNode): string {
  // Field rows have no id a URI may carry (paths are server text): their run's stands in.
  return node.kind === 'fields' ? node.parent.run.id : node.kind === 'field' ? node.parent.parent.run.id : (entityId(node) ?? 'root');
}

/**
 * Everything a row shows, as one string: live updates redraw a row only when this changes, so a
 * tooltip resting on a row that did not change stays open. A document's tooltip is built lazily
 * (VS Code keeps the one it resolved until the row is redrawn), so what it would say counts too.
 */
export function rowSignature(node: TreeNode): string {
  const item = buildTreeItem(node);
  const icon = item.iconPath instanceof vscode.ThemeIcon ? [item.iconPath.id, item.iconPath.color?.id] : [];
  const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip;
  const lazy = node.kind === 'document' ? documentTooltip(node).value : undefined;
  return JSON.stringify([
    item.label,
    item.description,
    icon,
    item.contextValue,
    item.resourceUri?.toString(),
    item.collapsibleState,
    item.accessibilityInformation?.label,
    item.command?.command,
    tooltip,
    lazy,
  ]);
}

function firstLines(text: string, count: number): string {
  const lines = text.split(/\r?\n/);
  const shown = lines.slice(0, count).map((line) => (line.length > 200 ? `${line.slice(0, 199)}…` : line));
  return lines.length > count ? `${shown.join('\n')}\n…` : shown.join('\n');
}
