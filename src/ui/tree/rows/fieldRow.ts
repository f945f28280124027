/** One field path (or label) of a run: the documents that disagree on it, and where a label's votes went. */
import { l10n } from '../../../l10n';
import * as vscode from 'vscode';
import { formatScore, formatScoreDelta } from '../../../format';
import { codeSpan } from '../../shared/markdown';
import { accessible, changeMarks, fieldNoun, joinParts, markdown, markedUri, priorRunName, shownPath, spokenDelta } from './parts';
import { FieldNode, fieldsRunOf } from '../nodes';
import { nodeId } from './registry';
import { RowKind } from './row';
import { disagrees } from '../../../api/models';
import { fieldChildren } from '../fieldChildren';

/** What a field row says beside its path; `spoken` gives the words for screen readers. */
export function fieldDescription(node: FieldNode, spoken = false): string {
  if (node.score === null) {
    return l10n.t('not scored');
  }
  const run = fieldsRunOf(node);
  const delta = formatScoreDelta(node.score, node.priorScore);
  if (spoken) {
    const parts = [
      l10n.t('score {0}', formatScore(node.score)),
      delta && l10n.t('{0} against {1}', spokenDelta(delta), priorRunName(run)),
      node.isNew && l10n.t('new since {0}', priorRunName(run)),
    ];
    return parts.filter((part): part is string => typeof part === 'string' && part !== '').join(', ');
  }
  return joinParts([delta ? `${formatScore(node.score)} ${delta}` : formatScore(node.score), node.isNew && 'new']);
}

function fieldItem(node: FieldNode): vscode.TreeItem {
  const run = fieldsRunOf(node);
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
    `${node.label ? l10n.t('Label') : l10n.t('Field')} ${label}`,
    fieldDescription(node, true),
    disagrees(node.score) && l10n.t('expand for the documents that disagree'),
  );
  return item;
}

/** Built on hover (resolveTreeItem): the path is server text, escaped. */
export function fieldTooltip(node: FieldNode): vscode.MarkdownString {
  const run = fieldsRunOf(node);
  const tooltip = markdown();
  tooltip.appendMarkdown(l10n.t('**{0}** — {1} of run {2}\n\n', codeSpan(node.path), node.label ? 'label' : 'field', run.number));
  if (node.score === null) {
    tooltip.appendMarkdown(l10n.t('No document of this run has a score for it.\n\n'));
  } else {
    const delta = formatScoreDelta(node.score, node.priorScore);
    const change = delta ? l10n.t(' ({0} against {1})', delta, priorRunName(run)) : node.isNew ? l10n.t(' (new since {0})', priorRunName(run)) : '';
    tooltip.appendMarkdown(l10n.t('Score: {0}{1}  \n', formatScore(node.score), change));
    if (node.priorScore !== null && !delta) {
      tooltip.appendMarkdown(l10n.t('Run {0}: {1}  \n', run.number - 1, formatScore(node.priorScore)));
    }
    tooltip.appendMarkdown(
      node.label
        ? l10n.t('\nHow often the votes agreed when the consensus was this label.')
        : l10n.t('\nThe share of voters that agreed with the consensus, over the run’s documents.'),
    );
    if (node.label || disagrees(node.score)) {
      tooltip.appendMarkdown(
        l10n.t(' Expand for the documents that disagree on this {0}{1}.', fieldNoun(node), node.label ? l10n.t(' and where its votes went') : ''),
      );
    }
  }
  return tooltip;
}

export const fieldRow: RowKind<FieldNode> = {
  // Field paths are server text: they come last, after ids that cannot hold '@' or '/', so no
  // path can make one node's id another's.
  id: (node) => `field:${fieldsRunOf(node).run.id}@${node.path}`,
  item: fieldItem,
  tooltip: (node) => fieldTooltip(node),
  children: { load: (node, context) => fieldChildren(context.repository, node, context.signal) },
};
