import * as vscode from 'vscode';
import { RetabRepository } from '../../data/repository';
import { ExperimentsTreeProvider } from '../tree/experimentsTree';
import { TreeNode } from '../tree/nodes';
import { JobPanel } from './jobPanel';
import { stepDocument } from './documentStepping';
import { COMMANDS } from '../shared/names';
import { registerCommand } from '../shared/registerCommand';

/**
 * The job panel and the tree as one view of a job. While the panel is open, moving through
 * document rows with the keyboard shows each row's job in it (the focus stays in the tree; the
 * panel asks the server only for rows the person stops on). A job the panel read on its own that
 * differs from the run's list redraws its tree row.
 */
export function registerPanelFollowsTree(
  context: vscode.ExtensionContext,
  views: { treeView: vscode.TreeView<TreeNode>; tree: ExperimentsTreeProvider; panel: JobPanel; repository: RetabRepository },
): void {
  const { treeView, tree, panel, repository } = views;
  context.subscriptions.push(
    treeView.onDidChangeSelection((event) => {
      const [node] = event.selection;
      if (event.selection.length === 1 && (node.kind === 'document' || node.kind === 'fieldDocument') && panel.isVisible) {
        void panel.open(node.ref, { preserveFocus: true });
      }
    }),
    repository.onDidUpdateJob((ref) => void tree.jobUpdated(ref)),
  );
  registerCommand(context, COMMANDS.nextDocument, () => stepDocument(views, 1));
  registerCommand(context, COMMANDS.previousDocument, () => stepDocument(views, -1));
}
