import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { RetabError } from '../../api/errors';
import { ID_PREFIXES, JobRef, PartialJobRef, findIds, parseJobRefText } from '../../api/ids';
import { RunSummary, documentLabel, numberedRuns } from '../../api/models';
import { firstLine, formatScore, showInvisibles, statusWord } from '../../format';
import { JobLocator, toJobRef } from '../../data/locator';
import { RetabRepository } from '../../data/repository';
import { withAbortSignal } from '../shared/cancellation';
import { showErrorNotification } from '../shared/errorNotification';
import { runPicks } from '../shared/runPicks';
import { COMMANDS } from '../shared/names';
import { Services } from '../shared/services';
import { registerCommand } from '../shared/registerCommand';

export function registerLookupJob(context: vscode.ExtensionContext, services: Services, openJob: (ref: JobRef) => Promise<void>): void {
  registerCommand(context, COMMANDS.lookupJob, (text?: unknown) => lookupJob(services.repository, services.locator, openJob, text));
}

interface Pick<T> extends vscode.QuickPickItem {
  value: T;
}

/**
 * Searches are bounded: the repository's workflow pages (`allWorkflows`: pages, repeated cursors),
 * and here the workflows whose experiments are read, so that a server that keeps answering cannot
 * keep the command (and the extension host) busy forever.
 */
const MAX_WORKFLOWS_SEARCHED = 200;

type Progress = vscode.Progress<{ message?: string }>;

/**
 * "Retab: Look Up Job…": takes whatever the user pasted, fills in what follows from it, and asks
 * for the rest step by step. Returns the reference it opened, if any.
 */
export async function lookupJob(
  repository: RetabRepository,
  locator: JobLocator,
  openJob: (ref: JobRef) => Promise<void>,
  providedText?: unknown,
): Promise<JobRef | undefined> {
  const text = typeof providedText === 'string' ? providedText : await askForText();
  if (text === undefined) {
    return undefined;
  }
  const parsed = parseJobRefText(text);
  if (text.trim() && Object.keys(parsed).length === 0) {
    const examples = Object.values(ID_PREFIXES)
      .map((prefix) => `${prefix}_…`)
      .join(', ');
    void vscode.window.showWarningMessage(l10n.t('Retab: no Retab ids ({0}) found in that text. Pick the job step by step instead.', examples));
  }
  try {
    // At most a few requests, one per id (servers that read by id alone): the status bar is enough.
    const partial = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: l10n.t('Retab: locating the job…') }, () =>
      locator.completeById(parsed),
    );
    if (partial.experimentId && !partial.workflowId) {
      // A search through the workflows, page by page: long, so it can be cancelled.
      const experimentId = partial.experimentId;
      partial.workflowId = await withSearchProgress(l10n.t('Retab: finding the experiment’s workflow…'), (progress, signal) =>
        findWorkflowOfExperiment(repository, experimentId, progress, signal),
      );
    }
    const ref = await pickMissing(repository, partial);
    if (ref) {
      await openJob(ref);
    }
    return ref;
  } catch (caught) {
    void showErrorNotification(l10n.t('look up the job'), caught);
    return undefined;
  }
}

async function askForText(): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: l10n.t('Retab: Look Up Job'),
    prompt: l10n.t("Paste ids in any order, a job's JSON or a link. Leave empty to pick the job step by step."),
    placeHolder: 'wf_… exp_… exprun_… expdoc_…',
    value: suggestedText(),
    ignoreFocusOut: true,
  });
}

/**
 * The editor selection, when it holds Retab ids. The clipboard is not read: in browser-hosted
 * VS Code that needs a permission and greets the user with an error instead of the input box.
 */
function suggestedText(): string {
  const editor = vscode.window.activeTextEditor;
  const selection = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
  return selection.length < 20_000 && findIds(selection, { limit: 1 }).length > 0 ? selection : '';
}

/**
 * Runs a search that may take many requests under a notification with a Cancel button; a
 * cancelled search rejects with a 'cancelled' RetabError.
 */
async function withSearchProgress<T>(title: string, search: (progress: Progress, signal: AbortSignal) => Promise<T>): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) =>
    withAbortSignal(token, (signal) => search(progress, signal)),
  );
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) {
    throw new RetabError('cancelled', l10n.t('The look-up was cancelled.'));
  }
}

/**
 * The workflow holding an experiment, by listing workflows and their experiments and stopping at
 * the first match; bounded in pages and in workflows, and cancellable between any two requests.
 */
async function findWorkflowOfExperiment(
  repository: RetabRepository,
  experimentId: string,
  progress: Progress,
  signal: AbortSignal,
): Promise<string | undefined> {
  const known = repository.knownExperiment(experimentId)?.workflowId;
  if (known) {
    return known;
  }
  let searched = 0;
  for await (const workflow of repository.allWorkflows({ signal })) {
    throwIfCancelled(signal);
    if (searched >= MAX_WORKFLOWS_SEARCHED) {
      return undefined;
    }
    searched++;
    progress.report({ message: l10n.t('workflow {0}: {1}', searched, showInvisibles(workflow.name)) });
    const experiments = await repository.listExperiments(workflow.id, { signal });
    if (experiments.some((experiment) => experiment.id === experimentId)) {
      return workflow.id;
    }
  }
  return undefined;
}

/** A document picked step by step (workflow, experiment, run, document): what palette commands ask for. */
export function pickJobRef(repository: RetabRepository, start: PartialJobRef = {}): Promise<JobRef | undefined> {
  return pickMissing(repository, start);
}

/** A run picked from the palette: workflow, experiment, then the run (numbered as the tree numbers them). */
export async function pickRun(repository: RetabRepository): Promise<PickedRun | undefined> {
  const experiment = await pickExperiment(repository);
  if (!experiment) {
    return undefined;
  }
  const runs = await repository.listRuns(experiment.workflowId, experiment.experimentId);
  const runId = await pick(vscode.l10n.t('Pick a run (newest first)'), Promise.resolve(runPicks(runs).map((item) => ({ ...item, value: item.runId }))));
  const numbered = numberedRuns(runs).find(({ run }) => run.id === runId);
  if (!numbered) {
    return undefined;
  }
  const name = repository.knownExperiment(experiment.experimentId)?.name ?? experiment.experimentId;
  return { ...experiment, experimentName: name, run: numbered.run, number: numbered.number };
}

export interface PickedRun {
  workflowId: string;
  experimentId: string;
  experimentName: string;
  run: RunSummary;
  /** Its number in the experiment, oldest first ("Run 6"). */
  number: number;
}

async function pickMissing(repository: RetabRepository, start: PartialJobRef): Promise<JobRef | undefined> {
  const ref: PartialJobRef = { ...start };
  ref.workflowId ??= await pick('Pick a workflow', workflowItems(repository));
  if (!ref.workflowId) {
    return undefined;
  }
  const workflowId = ref.workflowId;
  ref.experimentId ??= await pick(l10n.t('Pick an experiment'), experimentItems(repository, workflowId));
  if (!ref.experimentId) {
    return undefined;
  }
  const experimentId = ref.experimentId;
  ref.runId ??= await pick(l10n.t('Pick a run (newest first)'), runItems(repository, workflowId, experimentId));
  if (!ref.runId) {
    return undefined;
  }
  const runId = ref.runId;
  ref.documentId ??= await pick('Pick a document', documentItems(repository, workflowId, experimentId, runId));
  return toJobRef(ref);
}

/** A workflow, then one of its experiments, picked from quick picks (the palette's way to name an experiment). */
/** A workflow chosen in a quick pick (every page of workflows listed). */
export async function pickWorkflow(repository: RetabRepository): Promise<string | undefined> {
  return pick('Pick a workflow', workflowItems(repository));
}

export async function pickExperiment(repository: RetabRepository): Promise<{ workflowId: string; experimentId: string } | undefined> {
  const workflowId = await pick('Pick a workflow', workflowItems(repository));
  const experimentId = workflowId ? await pick(l10n.t('Pick an experiment'), experimentItems(repository, workflowId)) : undefined;
  return workflowId && experimentId ? { workflowId, experimentId } : undefined;
}

async function pick(title: string, items: Promise<Pick<string>[]>): Promise<string | undefined> {
  const chosen = await vscode.window.showQuickPick(items, {
    title: l10n.t('Retab: {0}', title),
    placeHolder: l10n.t('Type to filter by name, file name or id'),
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  return chosen?.value;
}

/** Names and file names come from the server: bidi and zero-width characters are shown. */
async function workflowItems(repository: RetabRepository): Promise<Pick<string>[]> {
  const workflows = await withSearchProgress(l10n.t('Retab: listing workflows…'), async (progress, signal) => {
    const all = [];
    for await (const workflow of repository.allWorkflows({
      signal,
      onPage: (page) => progress.report({ message: l10n.t('{0} more', page.workflows.length) }),
    })) {
      all.push(workflow);
    }
    return all;
  });
  return workflows.map((workflow) => ({ label: showInvisibles(workflow.name), description: workflow.id, value: workflow.id }));
}

async function experimentItems(repository: RetabRepository, workflowId: string): Promise<Pick<string>[]> {
  const experiments = await repository.listExperiments(workflowId);
  return experiments.map((experiment) => ({
    label: showInvisibles(experiment.name),
    description: `${experiment.blockKind} · ${formatScore(experiment.score)} · ${statusWord(experiment.status)}`,
    detail: experiment.id,
    value: experiment.id,
  }));
}

async function runItems(repository: RetabRepository, workflowId: string, experimentId: string): Promise<Pick<string>[]> {
  return runPicks(await repository.listRuns(workflowId, experimentId)).map((item) => ({ ...item, value: item.runId }));
}

async function documentItems(repository: RetabRepository, workflowId: string, experimentId: string, runId: string): Promise<Pick<string>[]> {
  const content = await repository.getRunContent(workflowId, experimentId, runId);
  return content.jobs.map((job) => ({
    label: showInvisibles(documentLabel(job)),
    description: `${statusWord(job.status)} · ${job.documentId}`,
    detail: job.error ? showInvisibles(firstLine(job.error, 120)) : undefined,
    value: job.documentId,
  }));
}
