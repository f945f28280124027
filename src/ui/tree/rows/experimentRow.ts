/** An experiment: its runs, newest first (or, never run, the documents that wait). */
import { l10n } from '../../../l10n';
import * as vscode from 'vscode';
import { formatScore, formatTimestamp, plural, showInvisibles, statusWord } from '../../../format';
import { codeSpan, escapeMarkdown } from '../../shared/markdown';
import { accessible, joinParts, markdown, markedUri } from './parts';
import { DocumentNode, ExperimentNode, RunNode, TreeNode, experimentNodeId, runNodeId } from '../nodes';
import { nodeId } from './registry';
import { ChildrenContext, RowKind } from './row';
import { Experiment, numberedRuns } from '../../../api/models';
import { statusCodicon, statusIcon } from '../../shared/statusIcons';
import { RowMark } from '../../decorations/rowMarks';
import { empty } from '../messageRows';

const BLOCK_KIND_ICONS: Record<Experiment['blockKind'], string> = {
  extract: 'symbol-field',
  classifier: 'tag',
  split: 'split-horizontal',
  for_each: 'list-ordered',
  unknown: 'beaker',
};

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
  const warnings = [experiment.isStale && 'stale', experiment.schemaDrift === 'drifted' && l10n.t('schema drifted')];
  // Warnings first: what is cut off is the end of a row.
  item.description = joinParts([...warnings, formatScore(experiment.score), statusWord(experiment.status), experiment.blockKind]);
  item.accessibilityInformation = accessible(
    l10n.t('Experiment {0}', name),
    l10n.t('{0} block', experiment.blockKind),
    statusWord(experiment.status),
    experiment.score !== null && l10n.t('score {0}', formatScore(experiment.score)),
    ...warnings,
  );
  const tooltip = markdown();
  tooltip.appendMarkdown(l10n.t('**{0}** — {1} block\n\n', escapeMarkdown(experiment.name), escapeMarkdown(experiment.blockKind)));
  if (experiment.isStale) {
    tooltip.appendMarkdown(
      l10n.t(
        '$(warning) **Stale** (S): the block or the documents changed since the last run, so its score no longer describes the current definition. Start a new run to refresh it.\n\n',
      ),
    );
  }
  if (experiment.schemaDrift === 'drifted') {
    tooltip.appendMarkdown(
      l10n.t("$(warning) **Schema drifted** (D): the block's output schema changed since the last run; earlier results may not match today's fields.\n\n"),
    );
  }
  tooltip.appendMarkdown(
    `$(${statusCodicon(experiment.status)}) ${joinParts([experiment.status, experiment.score !== null && l10n.t('score {0}', formatScore(experiment.score))])}  \n`,
  );
  const counts = joinParts([
    plural(experiment.documentCount, l10n.t('{0} document'), l10n.t('{0} documents')),
    experiment.nConsensus !== null && l10n.t('consensus ×{0}', experiment.nConsensus),
  ]);
  tooltip.appendMarkdown(`${counts}\n\nID: ${codeSpan(experiment.id)}`);
  if (experiment.updatedAt) {
    tooltip.appendMarkdown(l10n.t('  \nUpdated: {0}', escapeMarkdown(formatTimestamp(experiment.updatedAt))));
  }
  item.tooltip = tooltip;
  return item;
}

/** Before any run the server lists one placeholder job per document: show what will be run. */
async function neverRunChildren(node: ExperimentNode, context: ChildrenContext): Promise<TreeNode[]> {
  const workflowId = node.parent.workflow.id;
  const content = await context.repository.placeholderContent(workflowId, node.experiment.id, context.signal);
  const documents = content.jobs.map((job): DocumentNode => ({
    kind: 'document',
    parent: node,
    job,
    ref: { workflowId, experimentId: node.experiment.id, runId: job.runId, documentId: job.documentId },
    metric: undefined,
    slow: false,
  }));
  const text =
    documents.length > 0
      ? l10n.t('No runs yet: {0} documents wait for the first run', documents.length)
      : node.experiment.documentCount > 0
        ? l10n.t('No runs yet: {0} documents wait for the first run (Start Run…)', node.experiment.documentCount)
        : l10n.t('No runs yet');
  return [empty(node, text), ...documents];
}

export const experimentRow: RowKind<ExperimentNode> = {
  id: (node) => experimentNodeId(node.experiment.id),
  entityId: (node) => node.experiment.id,
  item: experimentItem,
  children: {
    async load(node, context) {
      const workflowId = node.parent.workflow.id;
      const runs = await context.repository.listRuns(workflowId, node.experiment.id, { signal: context.signal });
      const latestDefinition = runs[0]?.definitionFingerprint ?? null;
      const nodes = numberedRuns(runs).map(({ run, number }, index): RunNode => ({
        kind: 'run',
        parent: node,
        run,
        number,
        previous: runs[index + 1],
        olderDefinition: latestDefinition !== null && run.definitionFingerprint !== null && run.definitionFingerprint !== latestDefinition,
        expanded: context.isExpanded(runNodeId(run.id)),
      }));
      return nodes.length > 0 ? nodes : neverRunChildren(node, context);
    },
  },
};
