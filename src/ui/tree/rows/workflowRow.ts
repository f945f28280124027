/** A workflow: its experiments below it. */
import { l10n } from '../../../l10n';
import * as vscode from 'vscode';
import { formatTimestamp, showInvisibles, statusWord } from '../../../format';
import { codeSpan, escapeMarkdown, escapeMarkdownLines } from '../../shared/markdown';
import { accessible, markdown } from './parts';
import { ExperimentNode, TreeNode, WorkflowNode } from '../nodes';
import { nodeId } from './registry';
import { ChildrenContext, RowKind } from './row';
import { Workflow } from '../../../api/models';
import { empty } from '../messageRows';

function workflowItem(node: WorkflowNode): vscode.TreeItem {
  const workflow: Workflow = node.workflow;
  const name = showInvisibles(workflow.name);
  const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = 'workflow';
  item.iconPath = new vscode.ThemeIcon('type-hierarchy-sub');
  item.description = node.draftDiffers ? l10n.t('draft differs from published') : workflow.published ? statusWord('published') : undefined;
  item.accessibilityInformation = accessible(l10n.t('Workflow {0}', name), workflow.published ? statusWord('published') : undefined);
  const tooltip = markdown();
  tooltip.appendMarkdown(`**${escapeMarkdown(workflow.name)}**\n\n`);
  if (workflow.description) {
    tooltip.appendMarkdown(`${escapeMarkdownLines(workflow.description)}\n\n`);
  }
  if (node.draftDiffers) {
    tooltip.appendMarkdown(l10n.t('$(edit) The draft was edited here and differs from the published version: *Publish Workflow…* puts it in production.\n\n'));
  }
  tooltip.appendMarkdown(`ID: ${codeSpan(workflow.id)}`);
  if (workflow.updatedAt) {
    tooltip.appendMarkdown(l10n.t('  \nUpdated: {0}', escapeMarkdown(formatTimestamp(workflow.updatedAt))));
  }
  item.tooltip = tooltip;
  return item;
}

export const workflowRow: RowKind<WorkflowNode> = {
  id: (node) => `wf:${node.workflow.id}`,
  entityId: (node) => node.workflow.id,
  item: workflowItem,
  children: {
    async load(node, context: ChildrenContext): Promise<TreeNode[]> {
      const experiments = await context.repository.listExperiments(node.workflow.id, { signal: context.signal });
      const nodes = experiments.map((experiment): ExperimentNode => ({ kind: 'experiment', parent: node, experiment }));
      return nodes.length > 0 ? nodes : [empty(node, l10n.t('No experiments in this workflow'))];
    },
  },
};
