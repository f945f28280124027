import * as vscode from 'vscode';
import { toRetabError } from '../../api/errors';
import { JobRef, PartialJobRef, findIds, parseJobRefText } from '../../api/ids';
import { documentLabel } from '../../api/models';
import { firstLine, formatRelativeTime, formatScore } from '../../format';
import { JobLocator, toJobRef } from '../../data/locator';
import { RetabRepository } from '../../data/repository';

interface Pick<T> extends vscode.QuickPickItem {
  value: T;
}

const MAX_WORKFLOW_PAGES = 20;

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
    void vscode.window.showWarningMessage('Retab: no Retab ids (wf_…, exp_…, exprun_…, expdoc_…, expjob_…) found in that text. Pick the job step by step instead.');
  }
  try {
    const partial = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Retab: locating the job…', cancellable: true },
      (_progress, token) => locator.complete(parsed, signalFor(token)),
    );
    const ref = await pickMissing(repository, partial);
    if (ref) {
      await openJob(ref);
    }
    return ref;
  } catch (caught) {
    const error = toRetabError(caught);
    if (error.kind !== 'cancelled') {
      void vscode.window.showErrorMessage(`Retab: could not look up the job: ${error.describe()}`);
    }
    return undefined;
  }
}

async function askForText(): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Retab: Look Up Job',
    prompt: 'Paste ids in any order, a job\'s JSON or a link. Leave empty to pick the job step by step.',
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
  return selection.length < 20_000 && findIds(selection).length > 0 ? selection : '';
}

async function pickMissing(repository: RetabRepository, start: PartialJobRef): Promise<JobRef | undefined> {
  const ref: PartialJobRef = { ...start };
  ref.workflowId ??= await pick('Pick a workflow', workflowItems(repository));
  if (!ref.workflowId) {
    return undefined;
  }
  const workflowId = ref.workflowId;
  ref.experimentId ??= await pick('Pick an experiment', experimentItems(repository, workflowId));
  if (!ref.experimentId) {
    return undefined;
  }
  const experimentId = ref.experimentId;
  ref.runId ??= await pick('Pick a run (newest first)', runItems(repository, workflowId, experimentId));
  if (!ref.runId) {
    return undefined;
  }
  const runId = ref.runId;
  ref.documentId ??= await pick('Pick a document', documentItems(repository, workflowId, experimentId, runId));
  return toJobRef(ref);
}

async function pick(title: string, items: Promise<Pick<string>[]>): Promise<string | undefined> {
  const chosen = await vscode.window.showQuickPick(items, {
    title: `Retab: ${title}`,
    placeHolder: 'Type to filter by name, file name or id',
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  return chosen?.value;
}

async function workflowItems(repository: RetabRepository): Promise<Pick<string>[]> {
  const items: Pick<string>[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_WORKFLOW_PAGES; page++) {
    const result = await repository.listWorkflows(after);
    items.push(...result.workflows.map((workflow) => ({ label: workflow.name, description: workflow.id, value: workflow.id })));
    after = result.nextCursor ?? undefined;
    if (!after) {
      break;
    }
  }
  return items;
}

async function experimentItems(repository: RetabRepository, workflowId: string): Promise<Pick<string>[]> {
  const experiments = await repository.listExperiments(workflowId);
  return experiments.map((experiment) => ({
    label: experiment.name,
    description: `${experiment.blockKind} · ${formatScore(experiment.score)} · ${experiment.status}`,
    detail: experiment.id,
    value: experiment.id,
  }));
}

async function runItems(repository: RetabRepository, workflowId: string, experimentId: string): Promise<Pick<string>[]> {
  const runs = await repository.listRuns(workflowId, experimentId);
  return runs.map((run, index) => ({
    label: `Run ${runs.length - index}`,
    description: `${run.status} · ${formatScore(run.score)} · ${formatRelativeTime(run.createdAt)}`,
    detail: run.id,
    value: run.id,
  }));
}

async function documentItems(repository: RetabRepository, workflowId: string, experimentId: string, runId: string): Promise<Pick<string>[]> {
  const content = await repository.getRunContent(workflowId, experimentId, runId);
  return content.jobs.map((job) => ({
    label: documentLabel(job),
    description: `${job.status} · ${job.documentId}`,
    detail: job.error ? firstLine(job.error, 120) : undefined,
    value: job.documentId,
  }));
}

function signalFor(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
