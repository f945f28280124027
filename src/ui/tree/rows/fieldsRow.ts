/** A finished run's Fields: its field paths (or labels) worst first. */
import { l10n } from '../../../l10n';
import * as vscode from 'vscode';
import { plural, formatNumber } from '../../../format';
import { accessible, joinParts } from './parts';
import { FieldsNode } from '../nodes';
import { nodeId } from './registry';
import { RowKind } from './row';
import { disagrees } from '../../../api/models';
import { fieldsChildren } from '../fieldChildren';

function fieldsItem(node: FieldsNode): vscode.TreeItem {
  const item = new vscode.TreeItem(l10n.t('Fields'), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeId(node);
  item.contextValue = 'fields';
  const scores = node.scores;
  // Not the block kinds' icons (symbol-field, tag): this row is not an experiment.
  item.iconPath = new vscode.ThemeIcon(scores?.kind === 'label' ? 'symbol-enum' : 'symbol-structure');
  if (!scores) {
    item.description = l10n.t('scores not read');
    item.accessibilityInformation = accessible(l10n.t('Fields'), l10n.t('the run’s scores could not be read; expand to try again'));
    item.tooltip = l10n.t('The run’s scores could not be read with its documents. Expand to try again.');
    return item;
  }
  const disagreeing = scores.scores.filter((field) => disagrees(field.score)).length;
  const total =
    scores.kind === 'label' ? plural(scores.total, l10n.t('{0} label'), l10n.t('{0} labels')) : plural(scores.total, l10n.t('{0} field'), l10n.t('{0} fields'));
  const counts = [total, disagreeing === 0 ? l10n.t('all agree') : l10n.t('{0} disagree', formatNumber(disagreeing))];
  item.description = joinParts(counts);
  item.accessibilityInformation = accessible(l10n.t('Fields'), ...counts, l10n.t('worst first'));
  item.tooltip =
    scores.kind === 'label'
      ? l10n.t(
          'Each label’s run-level score (how often the votes agreed when the consensus was that label), worst first, with the change against the run before. Expand a label for the documents that disagree and where the votes went.',
        )
      : l10n.t(
          'Each field’s run-level score (the share of voters that agreed with the consensus), worst first, with the change against the run before. Expand a field for the documents that disagree on it.',
        );
  return item;
}

export const fieldsRow: RowKind<FieldsNode> = {
  id: (node) => `fields:${node.parent.run.id}`,
  item: fieldsItem,
  children: { load: (node, context) => fieldsChildren(context.repository, node, context.signal) },
};
