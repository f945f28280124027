import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { notificationText } from '../shared/markdown';
import { toRetabError } from '../../api/errors';
import { Capabilities, StartedRun } from '../../api/models';
import { RetabRepository } from '../../data/repository';
import { ExperimentNode, RunNode, TreeNode } from '../tree/nodes';
import { nodeId } from '../tree/rows/registry';
import { ExperimentsTreeProvider } from '../tree/experimentsTree';
import { LiveRunWatcher } from '../live/liveRuns';
import { COMMANDS } from '../shared/names';
import { Services } from '../shared/services';
import { showErrorNotification } from '../shared/errorNotification';
import { exportRun } from './exportRun';
import { pickExperiment } from './lookupJob';
import { registerCommand } from '../shared/registerCommand';

export interface RunViews {
  tree: ExperimentsTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  live: LiveRunWatcher;
}

/** Start, cancel and export runs from the tree (the node is the argument). */
export function registerRunCommands(context: vscode.ExtensionContext, services: Services, views: RunViews): void {
  const { repository } = services;
  const { tree, treeView, live } = views;
  registerCommand(context, COMMANDS.exportRun, (node?: RunNode, target?: vscode.Uri) => exportRun(repository, node, target));
  registerCommand(context, COMMANDS.startRun, async (node?: ExperimentNode | RunNode, options?: StartRunOptions) => {
    const started = await startRun(repository, experimentTarget(node) ?? (await pickExperimentTarget(repository)), options);
    if (started) {
      // Followed wherever it was started from: the status bar counts it either way.
      live.follow(started.runId);
    }
    if (started && node) {
      const experiment = node.kind === 'run' ? node.parent : node;
      tree.reloadExperiment(experiment);
      await treeView.reveal(tree.shownNode(nodeId(experiment)) ?? experiment, { expand: true });
    }
    return started;
  });
  registerCommand(context, COMMANDS.cancelRun, async (node?: ExperimentNode | RunNode, confirmed?: boolean) => {
    const cancelled = await cancelRun(repository, experimentTarget(node) ?? (await pickExperimentTarget(repository)), confirmed === true);
    if (cancelled && node) {
      tree.reloadExperiment(node.kind === 'run' ? node.parent : node);
    }
    return cancelled;
  });
}

export interface StartRunOptions {
  nConsensus?: 3 | 5 | 7;
  retryFailedOnly?: boolean;
  /** Automation that already asked the user skips the confirmation. */
  confirmed?: boolean;
}

type ExperimentTarget = { workflowId: string; experimentId: string; name: string; nConsensus: number | null; runId: string | undefined };

export function experimentTarget(node: ExperimentNode | RunNode | undefined): ExperimentTarget | undefined {
  const experiment = node?.kind === 'run' ? node.parent : node?.kind === 'experiment' ? node : undefined;
  if (!experiment) {
    return undefined;
  }
  return {
    workflowId: experiment.parent.workflow.id,
    experimentId: experiment.experiment.id,
    name: experiment.experiment.name,
    nConsensus: experiment.experiment.nConsensus,
    runId: node?.kind === 'run' ? node.run.id : undefined,
  };
}

/** From the palette: the experiment picked (workflow, then experiment); its active run is the one cancelled. */
async function pickExperimentTarget(repository: RetabRepository): Promise<ExperimentTarget | undefined> {
  const picked = await pickExperiment(repository);
  if (!picked) {
    return undefined;
  }
  const experiment = repository.knownExperiment(picked.experimentId);
  return { ...picked, name: experiment?.name ?? picked.experimentId, nConsensus: experiment?.nConsensus ?? null, runId: undefined };
}

/** Why a flat server's Start Run asks nothing: said in the confirmation, where the choice would be. */
export function fixedRunNote(capabilities: Capabilities, nConsensus: number | null): string | undefined {
  if (capabilities.perRunConsensus && capabilities.retryFailedOnly) {
    return undefined;
  }
  const consensus = nConsensus === null ? l10n.t('its own consensus setting') : l10n.t('its own consensus setting (×{0})', nConsensus);
  return l10n.t(
    'This Retab server runs every document of the experiment with {0}: its API has no per-run consensus and no re-run of failed documents only.',
    consensus,
  );
}

/**
 * "Start Run…": consensus count and scope where the server takes them, then a confirmation that
 * says what will run (and, on servers that take neither, why nothing was asked).
 */
export async function startRun(
  repository: RetabRepository,
  target: ExperimentTarget | undefined,
  given: StartRunOptions = {},
): Promise<StartedRun | undefined> {
  if (!target) {
    void vscode.window.showInformationMessage(l10n.t('Retab: run "Start Run…" on an experiment in the Experiments view.'));
    return undefined;
  }
  let capabilities: Capabilities;
  try {
    capabilities = (await repository.dialect()).capabilities;
  } catch (caught) {
    void showErrorNotification(l10n.t('start the run'), caught);
    return undefined;
  }
  if (given.retryFailedOnly && !capabilities.retryFailedOnly) {
    void vscode.window.showInformationMessage(l10n.t('Retab: {0}', fixedRunNote(capabilities, target.nConsensus) ?? ''));
    return undefined;
  }
  const nConsensus = capabilities.perRunConsensus ? (given.nConsensus ?? (await pickConsensus(target.nConsensus))) : undefined;
  if (capabilities.perRunConsensus && !nConsensus) {
    return undefined;
  }
  const retryFailedOnly = capabilities.retryFailedOnly ? (given.retryFailedOnly ?? (await pickScope())) : false;
  if (retryFailedOnly === undefined) {
    return undefined;
  }
  if (!given.confirmed) {
    const scope = retryFailedOnly ? l10n.t('the failed documents') : l10n.t('every document');
    const consensus = nConsensus ? l10n.t(' with consensus ×{0}', nConsensus) : '';
    const note = fixedRunNote(capabilities, target.nConsensus);
    const answer = await vscode.window.showWarningMessage(
      l10n.t('Start a run of "{0}" on {1}{2}?', notificationText(target.name), scope, consensus),
      { modal: true, detail: [l10n.t('The run uses API credits for each document and consensus pass.'), note].filter(Boolean).join('\n\n') },
      l10n.t('Start Run'),
    );
    if (answer !== l10n.t('Start Run')) {
      return undefined;
    }
  }
  try {
    return await repository.startRun(target.workflowId, target.experimentId, {
      nConsensus,
      retryFailedOnly: capabilities.retryFailedOnly ? retryFailedOnly : undefined,
    });
  } catch (caught) {
    const error = toRetabError(caught);
    if (error.kind === 'conflict' && retryFailedOnly) {
      void vscode.window.showInformationMessage(
        l10n.t('Retab: nothing to retry — the latest run of "{0}" has no failed documents.', notificationText(target.name)),
      );
    } else if (error.kind === 'conflict') {
      void vscode.window.showWarningMessage(
        l10n.t('Retab: a run of "{0}" could not start: {1} (another run may be in progress).', notificationText(target.name), notificationText(error.message)),
      );
    } else {
      void showErrorNotification(l10n.t('start the run'), error);
    }
    return undefined;
  }
}

/** Cancels the run given (a run node) or the experiment's run in progress, after confirmation. */
export async function cancelRun(repository: RetabRepository, target: ExperimentTarget | undefined, confirmed = false): Promise<boolean> {
  if (!target) {
    return false;
  }
  if (!confirmed) {
    const answer = await vscode.window.showWarningMessage(
      l10n.t('Cancel the active run of "{0}"?', target.name),
      { modal: true, detail: l10n.t('Documents already processed keep their results.') },
      l10n.t('Cancel Run'),
    );
    if (answer !== l10n.t('Cancel Run')) {
      return false;
    }
  }
  try {
    await repository.cancelRun(target.workflowId, target.experimentId, target.runId);
    return true;
  } catch (caught) {
    const error = toRetabError(caught);
    // "Nothing is running" is a 409 on some servers and a 404 on others; both arrive as a conflict.
    const message = error.kind === 'conflict' ? l10n.t('there is no active run to cancel ({0})', error.message) : error.describe();
    void vscode.window.showWarningMessage(l10n.t('Retab: could not cancel: {0}', notificationText(message)));
    return false;
  }
}

async function pickConsensus(current: number | null): Promise<3 | 5 | 7 | undefined> {
  const options: Array<3 | 5 | 7> = [3, 5, 7];
  const chosen = await vscode.window.showQuickPick(
    options.map((value) => ({
      label: l10n.t('Consensus ×{0}', value),
      description: value === current ? l10n.t('the experiment’s setting') : undefined,
      value,
    })),
    { title: l10n.t('Retab: Start Run — consensus passes per document') },
  );
  return chosen?.value;
}

async function pickScope(): Promise<boolean | undefined> {
  const chosen = await vscode.window.showQuickPick(
    [
      { label: l10n.t('All documents'), value: false },
      { label: l10n.t('Retry failed documents only'), description: l10n.t('documents that failed in the latest run'), value: true },
    ],
    { title: l10n.t('Retab: Start Run — documents') },
  );
  return chosen?.value;
}
