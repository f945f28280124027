import * as vscode from 'vscode';
import { registerArrangeCommands } from './arrangeCommands';
import { registerCommand } from '../shared/registerCommand';
import { TreeDecorationProvider } from '../decorations/treeDecorations';
import { COMMANDS, VIEWS } from '../shared/names';
import { Services } from '../shared/services';
import { ExperimentsTreeProvider } from './experimentsTree';
import { MessageNode, MoreDocumentsNode, TreeNode } from './nodes';
import { entityId } from './rows/registry';
import { ViewMessage } from './viewMessage';
import { ViewDescription } from './viewDescription';
import { RetabRepository } from '../../data/repository';
import { pickExperiment, pickJobRef, pickRun, pickWorkflow } from '../commands/lookupJob';

export interface TreeViews {
  tree: ExperimentsTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  /** Beside the view's title: the connection in use and the documents' arrangement. */
  viewDescription: ViewDescription;
}

/** The Experiments view: its provider, row decorations, banner and the commands on its rows. */
export function registerTree(context: vscode.ExtensionContext, services: Services, onRefresh: () => void = () => undefined): TreeViews {
  const { repository, keys } = services;
  const tree = new ExperimentsTreeProvider(repository, () => keys.has());
  const treeView = vscode.window.createTreeView(VIEWS.experiments, { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(
    tree,
    treeView,
    new ViewMessage(treeView, repository),
    treeView.onDidCollapseElement((event) => {
      tree.cancelLoading(event.element);
      tree.setExpanded(event.element, false);
    }),
    // A live run's row depends on whether its documents are on screen (see RunNode.expanded).
    treeView.onDidExpandElement((event) => tree.setExpanded(event.element, true)),
    // Badges and colours of stale, drifted, older-definition and error rows (their resourceUri).
    vscode.window.registerFileDecorationProvider(new TreeDecorationProvider()),
  );
  registerCommand(context, COMMANDS.refresh, () => {
    repository.refresh();
    tree.refresh();
    onRefresh();
  });
  registerCommand(context, COMMANDS.retryNode, (node: MessageNode) => tree.retry(node));
  registerCommand(context, COMMANDS.loadMoreWorkflows, () => tree.loadMoreWorkflows());
  registerCommand(context, COMMANDS.showMoreDocuments, (node?: MoreDocumentsNode) => node && tree.showMoreDocuments(node));
  registerCommand(context, COMMANDS.copyId, async (node?: TreeNode) => {
    const id = node ? entityId(node) : await pickIdToCopy(repository);
    if (id) {
      await vscode.env.clipboard.writeText(id);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', id), 2000);
    }
  });
  const viewDescription = new ViewDescription(treeView);
  registerArrangeCommands(context, tree, viewDescription);
  return { tree, treeView, viewDescription };
}

/** Copy ID from the palette: which kind of id, then that thing picked step by step. */
async function pickIdToCopy(repository: RetabRepository): Promise<string | undefined> {
  const kinds = [
    { label: vscode.l10n.t('Workflow'), what: 'workflow' },
    { label: vscode.l10n.t('Experiment'), what: 'experiment' },
    { label: vscode.l10n.t('Run'), what: 'run' },
    { label: vscode.l10n.t('Document'), what: 'document' },
  ] as const;
  const chosen = await vscode.window.showQuickPick(kinds, { title: vscode.l10n.t('Retab: Copy the ID of…') });
  switch (chosen?.what) {
    case 'workflow':
      return pickWorkflow(repository);
    case 'experiment':
      return (await pickExperiment(repository))?.experimentId;
    case 'run':
      return (await pickRun(repository))?.run.id;
    case 'document':
      return (await pickJobRef(repository))?.documentId;
    default:
      return undefined;
  }
}
