/**
 * What a person does with evals besides running them: open an eval's definition (read-only
 * JSON), rename or delete one (after confirming), load a recent server run into the Test Results
 * view, and pin a field of an experiment's document as a new eval — the bridge between the two
 * instruments: the result's inputs as the eval's source, an `equals` assertion on `output-json-0` at
 * the field's path with the value the person picks, shown as JSON before anything is created.
 */
import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { JobRef } from '../../api/ids';
import { EvalRun } from '../../api/evals/evalModels';
import { RetabRepository } from '../../data/repository';
import { EvalRepository } from '../../data/evals/evalRepository';
import { showInvisibles } from '../../format';
import { showErrorNotification } from '../shared/errorNotification';
import { jsonText } from '../shared/jsonText';
import { COMMANDS } from '../shared/names';
import { registerCommand } from '../shared/registerCommand';
import { EvalsTree, evalDefinitionUri, workflowItemId } from './evalsController';
import { reportResult } from './reportResult';
import { resultState } from './evalWords';
import { EvalDocuments } from './evalDocuments';
import { pickWorkflow } from '../commands/lookupJob';

export interface PinTarget {
  ref: JobRef;
  path: string;
  /** Given by a caller that already chose (other extensions, tests): no pick. */
  expected?: { value: unknown };
  /** Already confirmed by the caller: no modal. */
  confirmed?: boolean;
}

export function registerEvalCommands(
  context: vscode.ExtensionContext,
  tree: EvalsTree,
  evals: EvalRepository,
  repository: RetabRepository,
  documents: EvalDocuments,
  votesOnScreen: () => Promise<{ ref: JobRef; path: string } | undefined> = () => Promise.resolve(undefined),
): void {
  registerCommand(context, COMMANDS.openEvalDefinition, async (given?: vscode.TestItem) => {
    // The Test Explorer passes the item; from the palette one is picked (workflow, then eval).
    const item = given ?? (await pickEvalItem(tree, repository));
    const data = item ? tree.data.get(item) : undefined;
    if (data?.kind !== 'eval') {
      return;
    }
    const document = await vscode.workspace.openTextDocument(evalDefinitionUri(data.eval.id));
    await vscode.languages.setTextDocumentLanguage(document, 'json');
    await vscode.window.showTextDocument(document, { preview: true });
  });

  registerCommand(context, COMMANDS.renameEval, async (given?: vscode.TestItem, newName?: unknown) => {
    // The Test Explorer passes the item; from the palette one is picked (workflow, then eval).
    const item = given ?? (await pickEvalItem(tree, repository));
    const data = item ? tree.data.get(item) : undefined;
    if (!item || data?.kind !== 'eval') {
      return;
    }
    const name =
      typeof newName === 'string' && newName.trim() !== ''
        ? newName
        : await vscode.window.showInputBox({
            title: l10n.t('Retab: Rename Eval'),
            value: data.eval.name ?? '',
            prompt: l10n.t('The eval’s new name'),
            validateInput: (value) =>
              value.trim() === '' ? l10n.t('A name cannot be empty.') : value.length > 200 ? l10n.t('At most 200 characters.') : undefined,
          });
    if (name === undefined) {
      return;
    }
    try {
      const renamed = await evals.renameEval(data.eval.id, name.trim());
      await tree.reloadWorkflow(data.workflowId);
      void vscode.window.showInformationMessage(l10n.t('Retab: eval renamed to “{0}”.', showInvisibles(renamed.name ?? name)));
    } catch (caught) {
      void showErrorNotification(l10n.t('rename the eval'), caught);
    }
  });

  registerCommand(context, COMMANDS.deleteEval, async (given?: vscode.TestItem, options?: { confirmed?: boolean }) => {
    // The Test Explorer passes the item; from the palette one is picked (workflow, then eval).
    const item = given ?? (await pickEvalItem(tree, repository));
    const data = item ? tree.data.get(item) : undefined;
    if (!item || data?.kind !== 'eval') {
      return;
    }
    const choice =
      options?.confirmed === true
        ? l10n.t('Delete')
        : await vscode.window.showWarningMessage(
            l10n.t('Delete the eval “{0}”?', item.label),
            { modal: true, detail: l10n.t('It is deleted on the Retab server ({0}), with its history; this cannot be undone.', data.eval.id) },
            l10n.t('Delete'),
          );
    if (choice !== l10n.t('Delete')) {
      return;
    }
    try {
      await evals.deleteEval(data.eval.id);
      await tree.reloadWorkflow(data.workflowId);
    } catch (caught) {
      void showErrorNotification(l10n.t('delete the eval'), caught);
    }
  });

  registerCommand(context, COMMANDS.showEvalRun, async () => {
    const workflows: Array<vscode.QuickPickItem & { workflowId: string }> = [];
    tree.controller.items.forEach((item) => {
      const data = tree.data.get(item);
      if (data?.kind === 'workflow') {
        workflows.push({ label: item.label, description: data.workflowId, workflowId: data.workflowId });
      }
    });
    const workflow = await vscode.window.showQuickPick(workflows, {
      title: l10n.t('Retab: Show Eval Run'),
      placeHolder: l10n.t('The workflow whose recent eval runs to list'),
    });
    if (!workflow) {
      return;
    }
    try {
      const runs = await evals.recentRuns(workflow.workflowId, 20);
      const run = await vscode.window.showQuickPick(
        runs.map((candidate) => ({ label: candidate.id, description: runWords(candidate), run: candidate })),
        {
          title: l10n.t('Retab: Show Eval Run'),
          placeHolder: runs.length ? l10n.t('The run to open in Test Results') : l10n.t('No eval runs for this workflow yet'),
        },
      );
      if (run) {
        await showRun(tree, evals, documents, workflow.workflowId, run.run);
      }
    } catch (caught) {
      void showErrorNotification(l10n.t('list the eval runs'), caught);
    }
  });

  registerCommand(context, COMMANDS.pinAsEval, async (argument?: unknown) => {
    const target = pinTargetOf(argument ?? (await votesOnScreen()));
    if (!target) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Retab: open a document in the job panel (or a document of a field in the tree) to pin one of its fields as an eval.'),
      );
      return;
    }
    try {
      await pin(target, tree, evals, repository);
    } catch (caught) {
      void showErrorNotification(l10n.t('pin the field as an eval'), caught);
    }
  });
}

/** An eval picked from the palette: its workflow first (its evals read if not yet), then the eval. */
async function pickEvalItem(tree: EvalsTree, repository: RetabRepository): Promise<vscode.TestItem | undefined> {
  const workflowId = await pickWorkflow(repository);
  const workflowItem = workflowId ? tree.controller.items.get(workflowItemId(workflowId)) : undefined;
  if (!workflowId || !workflowItem) {
    return undefined;
  }
  if (!tree.evalsOf(workflowId)) {
    await tree.controller.resolveHandler?.(workflowItem);
  }
  const items: vscode.TestItem[] = [];
  workflowItem.children.forEach((block) => block.children.forEach((item) => items.push(item)));
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Retab: this workflow has no evals.'));
    return undefined;
  }
  const chosen = await vscode.window.showQuickPick(
    items.map((item) => ({ label: item.label, description: item.description, detail: item.parent?.label, item })),
    { title: vscode.l10n.t('Retab: Pick an eval'), matchOnDescription: true, matchOnDetail: true },
  );
  return chosen?.item;
}

/** From the job panel (`{ref, path}`) or a row of a field's documents in the tree (its node). */
function pinTargetOf(argument: unknown): PinTarget | undefined {
  if (typeof argument !== 'object' || argument === null) {
    return undefined;
  }
  const value = argument as { kind?: unknown; ref?: unknown; path?: unknown; parent?: { path?: unknown }; expected?: unknown; confirmed?: unknown };
  const ref = value.ref as JobRef | undefined;
  const path = value.kind === 'fieldDocument' ? value.parent?.path : value.path;
  if (!ref || typeof ref.documentId !== 'string' || typeof path !== 'string' || path.length > 2_000) {
    return undefined;
  }
  const expected = typeof value.expected === 'object' && value.expected !== null && 'value' in value.expected ? { value: value.expected.value } : undefined;
  return { ref, path, expected, confirmed: value.confirmed === true };
}

function runWords(run: EvalRun): string {
  const { passed, failed, blocked } = run.counts;
  return [
    run.status,
    l10n.t('{0} passed', passed),
    failed ? l10n.t('{0} failed', failed) : '',
    blocked ? l10n.t('{0} blocked', blocked) : '',
    run.createdAt ?? '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** A server run's results, as a finished run in the Test Results view. */
async function showRun(tree: EvalsTree, evals: EvalRepository, documents: EvalDocuments, workflowId: string, run: EvalRun): Promise<void> {
  const workflowItem = tree.controller.items.get(workflowItemId(workflowId));
  if (workflowItem && !tree.evalsOf(workflowId)) {
    await tree.controller.resolveHandler?.(workflowItem);
  }
  const results = await evals.results(run.id);
  const testRun = tree.controller.createTestRun(new vscode.TestRunRequest(), l10n.t('Eval run {0}', run.id), false);
  for (const result of results) {
    const evaluation = tree.evalsOf(workflowId)?.find((candidate) => candidate.id === result.evalId);
    const item = evaluation ? tree.evalItem(workflowId, evaluation.blockId, evaluation.id) : undefined;
    if (!item) {
      continue;
    }
    reportResult(testRun, item, result, resultState(result), documents);
  }
  testRun.end();
  await vscode.commands.executeCommand('workbench.panel.testResults.view.focus');
}

/** Pins a field of a document's result as an `equals` eval on the experiment's block. */
async function pin(target: PinTarget, tree: EvalsTree, evals: EvalRepository, repository: RetabRepository): Promise<void> {
  const { ref, path } = target;
  const experiment = await repository.getExperiment(ref.workflowId, ref.experimentId);
  if (!experiment.blockId) {
    void vscode.window.showWarningMessage(l10n.t('Retab: the server did not say which block this experiment runs, so no eval can target it.'));
    return;
  }
  const job = await repository.getJob(ref);
  const expected = target.expected ? target.expected.value : await pickExpected(ref, path, repository);
  if (expected === NOTHING) {
    return;
  }
  const handleInputs = Object.fromEntries(job.handleInputs.map((input) => [input.handle, input.value]));
  const name = l10n.t('{0} equals {1}', path, shortJson(expected)).slice(0, 200);
  const definition = {
    workflow_id: ref.workflowId,
    name,
    target: { type: 'block', block_id: experiment.blockId },
    source: { type: 'manual', handle_inputs: handleInputs },
    assertion: { target: { output_handle_id: 'output-json-0', path }, condition: { kind: 'equals', expected } },
  };
  if (!target.confirmed) {
    const choice = await vscode.window.showInformationMessage(
      l10n.t('Create the eval “{0}” on {1}’s block?', showInvisibles(name), showInvisibles(experiment.name)),
      { modal: true, detail: jsonText(definition, { indent: 2, maxLength: 4_000 }) },
      l10n.t('Create Eval'),
    );
    if (choice !== l10n.t('Create Eval')) {
      return;
    }
  }
  const created = await evals.createEval({
    workflowId: ref.workflowId,
    blockId: experiment.blockId,
    name,
    handleInputs,
    outputHandleId: 'output-json-0',
    path,
    condition: { kind: 'equals', expected },
  });
  await tree.reloadWorkflow(ref.workflowId);
  if (target.confirmed) {
    return;
  }
  const action = await vscode.window.showInformationMessage(
    l10n.t('Retab: eval “{0}” created.', showInvisibles(created.name ?? name)),
    l10n.t('Run It'),
    l10n.t('Show in Testing'),
  );
  const item = tree.evalItem(ref.workflowId, created.blockId, created.id);
  if (action === l10n.t('Run It') && item) {
    await vscode.commands.executeCommand('vscode.revealTestInExplorer', item);
    await tree.runNow(item);
  } else if (action === l10n.t('Show in Testing') && item) {
    await vscode.commands.executeCommand('vscode.revealTestInExplorer', item);
  }
}

const NOTHING = Symbol(l10n.t('nothing chosen'));

/** The value the eval expects: the consensus, a voter's value, or one typed; NOTHING when the person backs out. */
async function pickExpected(ref: JobRef, path: string, repository: RetabRepository): Promise<unknown> {
  const votes = await repository.getFieldVotes(ref, path);
  const candidates: Array<vscode.QuickPickItem & { value?: unknown }> = [];
  if (votes.kind === 'votes') {
    const [row] = votes.rows;
    if (row) {
      candidates.push({ label: l10n.t('The consensus'), description: shortJson(row.consensus), value: row.consensus });
      row.votes.forEach((vote, index) => candidates.push({ label: l10n.t('Voter {0}’s value', index + 1), description: shortJson(vote), value: vote }));
    }
  }
  candidates.push({ label: l10n.t('Type the expected value…'), description: l10n.t('JSON, or plain text') });
  const picked = await vscode.window.showQuickPick(candidates, {
    title: l10n.t('Retab: Pin {0} as an Eval', showInvisibles(path)),
    placeHolder: l10n.t('The value the eval expects'),
  });
  if (!picked) {
    return NOTHING;
  }
  if ('value' in picked) {
    return picked.value;
  }
  const typed = await vscode.window.showInputBox({
    title: l10n.t('Expected value of {0}', showInvisibles(path)),
    prompt: l10n.t('JSON (1243.5, "EUR", {…}) or plain text'),
  });
  if (typed === undefined) {
    return NOTHING;
  }
  try {
    return JSON.parse(typed) as unknown;
  } catch {
    return typed;
  }
}

function shortJson(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : jsonText(value, { maxLength: 200 });
  return showInvisibles(text.length > 60 ? `${text.slice(0, 59)}…` : text);
}
