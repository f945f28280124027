import * as vscode from 'vscode';
import { RetabClient } from '../../api/client';
import { toRetabError } from '../../api/errors';
import { StartedRun } from '../../api/models';
import { ExperimentNode, RunNode } from '../tree/nodes';

export interface StartRunOptions {
  nConsensus?: 3 | 5 | 7;
  retryFailedOnly?: boolean;
  /** Automation that already asked the user skips the confirmation. */
  confirmed?: boolean;
}

type ExperimentTarget = { workflowId: string; experimentId: string; name: string; nConsensus: number | null };

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
  };
}

/** "Start Run…": consensus count, all documents or failed ones only, then a confirmation. */
export async function startRun(client: RetabClient, target: ExperimentTarget | undefined, given: StartRunOptions = {}): Promise<StartedRun | undefined> {
  if (!target) {
    void vscode.window.showInformationMessage('Retab: run "Start Run…" on an experiment in the Experiments view.');
    return undefined;
  }
  const nConsensus = given.nConsensus ?? (await pickConsensus(target.nConsensus));
  if (!nConsensus) {
    return undefined;
  }
  const retryFailedOnly = given.retryFailedOnly ?? (await pickScope());
  if (retryFailedOnly === undefined) {
    return undefined;
  }
  if (!given.confirmed) {
    const scope = retryFailedOnly ? 'the failed documents' : 'every document';
    const answer = await vscode.window.showWarningMessage(
      `Start a run of "${target.name}" on ${scope} with consensus ×${nConsensus}?`,
      { modal: true, detail: 'The run uses API credits for each document and consensus pass.' },
      'Start Run',
    );
    if (answer !== 'Start Run') {
      return undefined;
    }
  }
  try {
    return await client.startRun(target.workflowId, target.experimentId, { nConsensus, retryFailedOnly });
  } catch (caught) {
    const error = toRetabError(caught);
    if (error.kind === 'conflict' && retryFailedOnly) {
      void vscode.window.showInformationMessage(`Retab: nothing to retry — the latest run of "${target.name}" has no failed documents.`);
    } else if (error.kind === 'conflict') {
      void vscode.window.showWarningMessage(`Retab: a run of "${target.name}" could not start: ${error.message} (another run may be in progress).`);
    } else {
      void vscode.window.showErrorMessage(`Retab: could not start the run: ${error.describe()}`);
    }
    return undefined;
  }
}

export async function cancelRun(client: RetabClient, target: ExperimentTarget | undefined, confirmed = false): Promise<boolean> {
  if (!target) {
    return false;
  }
  if (!confirmed) {
    const answer = await vscode.window.showWarningMessage(
      `Cancel the active run of "${target.name}"?`,
      { modal: true, detail: 'Documents already processed keep their results.' },
      'Cancel Run',
    );
    if (answer !== 'Cancel Run') {
      return false;
    }
  }
  try {
    await client.cancelRun(target.workflowId, target.experimentId);
    return true;
  } catch (caught) {
    const error = toRetabError(caught);
    const message = error.kind === 'conflict' ? `there is no active run to cancel (${error.message})` : error.describe();
    void vscode.window.showWarningMessage(`Retab: could not cancel: ${message}`);
    return false;
  }
}

async function pickConsensus(current: number | null): Promise<3 | 5 | 7 | undefined> {
  const options: Array<3 | 5 | 7> = [3, 5, 7];
  const chosen = await vscode.window.showQuickPick(
    options.map((value) => ({
      label: `Consensus ×${value}`,
      description: value === current ? 'the experiment’s setting' : undefined,
      value,
    })),
    { title: 'Retab: Start Run — consensus passes per document' },
  );
  return chosen?.value;
}

async function pickScope(): Promise<boolean | undefined> {
  const chosen = await vscode.window.showQuickPick(
    [
      { label: 'All documents', value: false },
      { label: 'Retry failed documents only', description: 'documents that failed in the latest run', value: true },
    ],
    { title: 'Retab: Start Run — documents' },
  );
  return chosen?.value;
}
