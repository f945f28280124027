import * as vscode from 'vscode';
import { JobRef } from '../../api/ids';
import { RetabRepository } from '../../data/repository';
import { ExperimentsTreeProvider } from '../tree/experimentsTree';
import { DocumentNode, TreeNode } from '../tree/nodes';
import { JobPanel } from './jobPanel';

/**
 * Next/Previous Document in the job panel: the neighbour of the job on screen in its run, in the
 * order the tree shows the run's documents (its sort and filter) when the run is on screen, else
 * in the run's own order. The tree's row is selected too, so both stay one view of the job.
 */
export async function stepDocument(
  views: { panel: JobPanel; tree: ExperimentsTreeProvider; treeView: vscode.TreeView<TreeNode>; repository: RetabRepository },
  delta: 1 | -1,
): Promise<JobRef | undefined> {
  const { panel, tree, treeView, repository } = views;
  const state = panel.currentState;
  if (state?.kind !== 'job') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Retab: open a document in the job panel first.'));
    return undefined;
  }
  const ref = state.ref;
  const runNode = tree.shownNode(ref.runId);
  // The rows on screen, in their order: asking the tree for them again would load the run again
  // (and cancel a load of the view's own under way).
  const rows = runNode?.kind === 'run' ? (tree.shownChildren(runNode) ?? []).filter((node): node is DocumentNode => node.kind === 'document') : [];
  const refs = rows.length
    ? rows.map((row) => row.ref)
    : (await repository.getRunContent(ref.workflowId, ref.experimentId, ref.runId)).jobs.map((job) => ({ ...ref, documentId: job.documentId }));
  const index = refs.findIndex((candidate) => candidate.documentId === ref.documentId);
  const next = index === -1 ? undefined : refs[index + delta];
  if (!next) {
    vscode.window.setStatusBarMessage(delta === 1 ? vscode.l10n.t('Retab: last document of the run') : vscode.l10n.t('Retab: first document of the run'), 2500);
    return undefined;
  }
  const row = rows.find((candidate) => candidate.ref.documentId === next.documentId);
  await panel.open(next, { preserveFocus: true });
  if (row && treeView.visible) {
    await treeView.reveal(row, { select: true, focus: false });
  }
  return next;
}
