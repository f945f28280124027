/** A row that stands in for children: an empty level, missing scores, an error with its way forward. */
import { l10n } from '../../../l10n';
import * as vscode from 'vscode';
import { showInvisibles } from '../../../format';
import { accessible, markedUri } from './parts';
import { MessageNode, ParentNode, fieldsRunOf } from '../nodes';
import { entityId, nodeId } from './registry';
import { RowKind } from './row';
import { COMMANDS } from '../../shared/names';
import { ERROR_ACTION_COMMANDS, errorActionLabels, ErrorAction } from '../../shared/errorGuidance';

const actionWords = (): Record<NonNullable<MessageNode['action']>, string> => ({
  retry: l10n.t('Retry'),
  setApiKey: l10n.t('Set Key'),
  useKeyForBaseUrl: l10n.t('Allow…'),
  openSettings: l10n.t('Settings'),
  showLog: l10n.t('Show Log'),
});

function messageItem(node: MessageNode): vscode.TreeItem {
  // A message may quote the server (a metrics reason), and its detail is an error's description.
  const text = showInvisibles(node.text);
  const detail = node.detail === undefined ? undefined : showInvisibles(node.detail);
  // The way forward is part of the label, right after a short text: a description would be cut off.
  const label = node.action ? `${text} — ${actionWords()[node.action]}` : text;
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.contextValue = `message.${node.severity}`;
  item.description = node.summary === undefined ? (node.severity === 'error' ? undefined : detail) : showInvisibles(node.summary);
  item.tooltip = detail ? `${label}\n${detail}` : label;
  item.accessibilityInformation = accessible(
    node.severity === 'error' ? l10n.t('Error: {0}', text) : text,
    node.action && l10n.t('click to {0}', actionWords()[node.action].replace('…', '').toLowerCase()),
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
  const title = errorActionLabels()[action];
  if (action === 'retry') {
    return { command: COMMANDS.retryNode, title, arguments: [node] };
  }
  const [command, ...args] = ERROR_ACTION_COMMANDS[action];
  return { command, title, arguments: args };
}

function entityIdOf(node: ParentNode): string {
  // Field rows have no id a URI may carry (paths are server text): their run's stands in.
  return node.kind === 'fields' || node.kind === 'field' ? fieldsRunOf(node).run.id : (entityId(node) ?? 'root');
}

export const messageRow: RowKind<MessageNode> = {
  id: (node) => `msg:${node.parent ? nodeId(node.parent) : 'root'}:${node.severity}:${node.text}`,
  item: messageItem,
  children: 'none',
};
