/** A run's Failures: its failed documents grouped by cause. */
import { l10n } from '../../../l10n';
import * as vscode from 'vscode';
import { plural } from '../../../format';
import { accessible } from './parts';
import { FailureGroupNode, FailuresNode } from '../nodes';
import { nodeId } from './registry';
import { RowKind } from './row';

function failuresItem(node: FailuresNode): vscode.TreeItem {
  const failed = node.groups.reduce((sum, group) => sum + group.jobs.length, 0);
  const item = new vscode.TreeItem(l10n.t('Failures'), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = 'failures';
  item.iconPath = new vscode.ThemeIcon('bug', new vscode.ThemeColor('testing.iconFailed'));
  item.description = `${plural(failed, l10n.t('{0} document'), l10n.t('{0} documents'))} · ${plural(node.groups.length, l10n.t('{0} cause'), l10n.t('{0} causes'))}`;
  item.accessibilityInformation = accessible(
    l10n.t('Failures'),
    plural(failed, l10n.t('{0} failed document'), l10n.t('{0} failed documents')),
    plural(node.groups.length, l10n.t('{0} cause'), l10n.t('{0} causes')),
  );
  item.tooltip = l10n.t('Failed documents grouped by error message (ids, numbers and paths folded), largest group first.');
  return item;
}

export const failuresRow: RowKind<FailuresNode> = {
  id: (node) => `failures:${node.parent.run.id}`,
  item: failuresItem,
  children: { known: (node) => node.groups.map((group, index): FailureGroupNode => ({ kind: 'failureGroup', parent: node, group, index })) },
};
