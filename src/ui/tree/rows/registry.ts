/**
 * Every kind of row of the Experiments view, one line each; the union of node kinds is derived
 * from this map, so a new kind is its row module and one line here. The tree provider, live
 * updates and commands reach rows only through the functions below.
 */
import * as vscode from 'vscode';
import { documentRow } from './documentRow';
import { experimentRow } from './experimentRow';
import { failureGroupRow } from './failureGroupRow';
import { failuresRow } from './failuresRow';
import { fieldDocumentRow } from './fieldDocumentRow';
import { fieldRow } from './fieldRow';
import { fieldsRow } from './fieldsRow';
import { loadMoreRow } from './loadMoreRow';
import { moreDocumentsRow } from './moreDocumentsRow';
import { messageRow } from './messageRow';
import { progressRow } from './progressRow';
import { RowKind } from './row';
import { runRow } from './runRow';
import { voteFlowRow } from './voteFlowRow';
import { workflowRow } from './workflowRow';

const ROWS = {
  workflow: workflowRow,
  experiment: experimentRow,
  run: runRow,
  document: documentRow,
  progress: progressRow,
  failures: failuresRow,
  failureGroup: failureGroupRow,
  fields: fieldsRow,
  field: fieldRow,
  fieldDocument: fieldDocumentRow,
  voteFlow: voteFlowRow,
  loadMore: loadMoreRow,
  moreDocuments: moreDocumentsRow,
  message: messageRow,
} as const;

type NodeOf<R> = R extends RowKind<infer N> ? N : never;

/**
 * Every kind of node the view shows: the nodes of the rows registered above, so a new kind is its
 * row module (with its node type) and one line in ROWS. Each row's key is its node's kind.
 */
export type TreeNode = { [K in keyof typeof ROWS]: NodeOf<(typeof ROWS)[K]> }[keyof typeof ROWS];

/** Does not compile when a row is registered under another kind than its node's. */
type Misregistered = { [K in keyof typeof ROWS]: NodeOf<(typeof ROWS)[K]>['kind'] extends K ? never : K }[keyof typeof ROWS];
export const ROWS_UNDER_THEIR_KINDS: [Misregistered] extends [never] ? true : never = true;

/**
 * The row of a node: the one place a node's kind picks its module. (Rows' methods take their own
 * kind of node; they are called only with it, as `ROWS` is keyed by kind.)
 */
export function rowOf(node: TreeNode): RowKind<TreeNode> {
  return ROWS[node.kind];
}

export function nodeId(node: TreeNode): string {
  return rowOf(node).id(node);
}

/** The id a user would copy from a node: the entity's own id. */
export function entityId(node: TreeNode): string | undefined {
  return rowOf(node).entityId?.(node);
}

export function buildTreeItem(node: TreeNode): vscode.TreeItem {
  return rowOf(node).item(node);
}

/**
 * Everything a row shows, as one string: live updates redraw a row only when this changes, so a
 * tooltip resting on a row that did not change stays open.
 */
export function rowSignature(node: TreeNode): string {
  const item = buildTreeItem(node);
  const icon = item.iconPath instanceof vscode.ThemeIcon ? [item.iconPath.id, item.iconPath.color?.id] : [];
  const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip;
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
    rowOf(node).signature?.(node),
  ]);
}
