import type * as vscode from 'vscode';
import type { RetabRepository } from '../../../data/repository';
import type { DocumentFilter, DocumentSort } from '../documentArrangement';
import type { TreeNode } from '../nodes';
import type { Progress, ReadState } from '../follower';

/** What a row's children are read with: the repository, the load's cancellation and the view's state. */
export interface ChildrenContext {
  repository: RetabRepository;
  signal: AbortSignal;
  /** Whether the row with this id is expanded (a live run then gives its progress in a row below). */
  isExpanded(rowId: string): boolean;
  /** The documents' sort and filter, as the view's title buttons set them. */
  arrangement: { sort: DocumentSort; filter: DocumentFilter };
  /**
   * Stays unaborted while the row's children are wanted past this load (until the row is
   * collapsed, refreshed or the view goes): what a read that goes on in the background subscribes with.
   */
  keepReading: AbortSignal;
  /**
   * Redraws the row (and so builds its children again, from memory) as `progress` goes on, a few
   * times a second at most and at once when it ends; `onProgress` hears of each step first.
   */
  follow(progress: Progress, onProgress?: (state: ReadState) => void): void;
  /** How many document rows this row shows at once (Show More raises it). */
  documentRows: number;
}

/** What a tooltip built on hover may read: the repository, and the hover's cancellation. */
export interface TooltipContext {
  repository: RetabRepository;
  token: vscode.CancellationToken;
}

/**
 * Everything the Experiments view knows of one kind of row, in the row's own module: its id, how
 * it is drawn (pure, from its plain-data node), its tooltip when that is built on hover, and its
 * children. A row says it has none (`'none'`), that they are in its node already (`known`), or
 * how to read them (`load`: the tree runs it cancellably, with an error row on failure). The
 * registry (registry.ts) lists every row, and the union of node kinds is derived from it.
 */
export interface RowKind<N extends { kind: string }> {
  /** Unique in the view, stable across reloads: change events and expansion state name rows by it. */
  id(node: N): string;
  /** The id a person copies from the row (Copy ID), where it stands for one entity. */
  entityId?(node: N): string | undefined;
  item(node: N): vscode.TreeItem;
  tooltip?(node: N, context: TooltipContext): vscode.MarkdownString | Promise<vscode.MarkdownString>;
  /** What else the row shows that `item` does not carry (a tooltip built lazily), for live updates' comparison. */
  signature?(node: N): string;
  children: 'none' | { known(node: N): TreeNode[] } | { load(node: N, context: ChildrenContext): Promise<TreeNode[]> };
}
