import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { WorkflowBlock } from '../../api/blocks/blockModels';
import { toRetabError } from '../../api/errors';
import { isTerminal } from '../../api/models';
import { RetabRepository } from '../../data/repository';
import type { EvalsArea } from '../evals/registerEvals';
import { blockItemId, workflowItemId } from '../evals/evalsController';
import { COMMANDS } from '../shared/names';
import { experimentNodeId } from '../tree/nodes';
import type { ExperimentsTreeProvider } from '../tree/experimentsTree';
import { AfterSave } from './registerBlocks';
import { BlockAddress } from './blockUris';

/** How long a started run is waited for before the Runs table opens anyway (ms). */
const RUN_WAIT_LIMIT_MS = 60 * 60_000;

/**
 * After a save: the tree and the Test Explorer read the workflow again (the server now says the
 * block's experiments and evals are stale), and a notification offers *Run Experiment*, *Run
 * Evals* or *Both*; *Both* opens the experiment's Runs table when the new run ends, newest column
 * first and regressions on top.
 */
export function afterSaveActions(repository: RetabRepository, tree: ExperimentsTreeProvider, evals: EvalsArea): AfterSave {
  return {
    offer(address, block, ask) {
      repository.invalidateLists();
      tree.refresh();
      void evals.tree.reloadWorkflow(address.workflowId);
      if (ask) {
        void offer(repository, tree, evals, address, block);
      }
    },
  };
}

async function offer(repository: RetabRepository, tree: ExperimentsTreeProvider, evals: EvalsArea, address: BlockAddress, block: WorkflowBlock): Promise<void> {
  const experiments = (await repository.listExperiments(address.workflowId).catch(() => [])).filter((experiment) => experiment.blockId === address.blockId);
  const choices = [...(experiments.length > 0 ? [l10n.t('Run Experiment')] : []), l10n.t('Run Evals'), ...(experiments.length > 0 ? [l10n.t('Both')] : [])];
  const name = block.label || block.id;
  const choice = await vscode.window.showInformationMessage(
    l10n.t("Saved “{0}” to the workflow's draft (not published). Its experiments and evals now use this definition.", name),
    ...choices,
  );
  if (!choice) {
    return;
  }
  try {
    const runEvals = choice !== l10n.t('Run Experiment') ? startEvals(evals, address) : Promise.resolve();
    if (choice !== l10n.t('Run Evals')) {
      for (const experiment of experiments) {
        const node = tree.shownNode(experimentNodeId(experiment.id));
        const started = node
          ? await vscode.commands.executeCommand<{ runId: string } | undefined>(COMMANDS.startRun, node, { confirmed: true })
          : await repository.startRun(address.workflowId, experiment.id, {});
        if (started && choice === l10n.t('Both')) {
          void openTableWhenDone(repository, tree, address.workflowId, experiment.id, started.runId);
        }
      }
    }
    await runEvals;
  } catch (caught) {
    void vscode.window.showErrorMessage(l10n.t('Retab: {0}', toRetabError(caught).message));
  }
}

/** Runs the block's evals through the Test Explorer's Run profile (its progress shows there). */
async function startEvals(evals: EvalsArea, address: BlockAddress): Promise<void> {
  let item = evals.tree.controller.items.get(workflowItemId(address.workflowId))?.children.get(blockItemId(address.blockId));
  if (!item) {
    await evals.tree.reloadWorkflow(address.workflowId);
    item = evals.tree.controller.items.get(workflowItemId(address.workflowId))?.children.get(blockItemId(address.blockId));
  }
  if (!item) {
    void vscode.window.showInformationMessage(l10n.t('Retab: this block has no evals yet (pin a document’s value as an eval from the job panel).'));
    return;
  }
  const source = new vscode.CancellationTokenSource();
  try {
    await evals.runner.run(new vscode.TestRunRequest([item]), source.token);
  } finally {
    source.dispose();
  }
}

/** Waits for the run to end (its experiment's runs read with a growing pause), then opens the Runs table. */
async function openTableWhenDone(
  repository: RetabRepository,
  tree: ExperimentsTreeProvider,
  workflowId: string,
  experimentId: string,
  runId: string,
): Promise<void> {
  const started = Date.now();
  let pause = 1_000;
  while (Date.now() - started < RUN_WAIT_LIMIT_MS) {
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 1.5, 10_000);
    const runs = await repository.listRuns(workflowId, experimentId, { force: true }).catch(() => undefined);
    const run = runs?.find((candidate) => candidate.id === runId);
    if (run && isTerminal(run.status)) {
      break;
    }
  }
  // The tree shows the run as it ended (its row may have been drawn before the run was followed).
  tree.refresh();
  await vscode.commands.executeCommand(COMMANDS.compareRuns, { workflowId, experimentId });
}
