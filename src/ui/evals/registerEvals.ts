import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import type { JobRef } from '../../api/ids';
import { Services } from '../shared/services';
import { EvalRunner } from './evalRunner';
import { EvalsTree } from './evalsController';
import { registerEvalCommands } from './evalCommands';
import { EVAL_SCHEME, EvalDocuments } from './evalDocuments';

export interface EvalsArea {
  tree: EvalsTree;
  runner: EvalRunner;
  /** Another key or server: what the explorer shows is read again. */
  reload(): void;
}

/** Evals in the Test Explorer: the controller, its items and its Run profile. */
/**
 * `votesOnScreen`: the job and field whose votes the job panel shows (asking for a field when a job
 * is there and none is chosen): what *Pin as Eval* from the palette pins.
 */
export function registerEvals(
  context: vscode.ExtensionContext,
  services: Services,
  votesOnScreen: () => Promise<{ ref: JobRef; path: string } | undefined> = () => Promise.resolve(undefined),
): EvalsArea {
  const tree = new EvalsTree(services.repository, services.evals);
  const documents = new EvalDocuments(tree);
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(EVAL_SCHEME, documents));
  const runner = new EvalRunner(tree, services.evals, documents);
  tree.run = (request, token) => runner.run(request, token);
  registerEvalCommands(context, tree, services.evals, services.repository, documents, votesOnScreen);
  context.subscriptions.push(
    tree,
    runner,
    tree.controller.createRunProfile(l10n.t('Run'), vscode.TestRunProfileKind.Run, (request, token) => runner.run(request, token), true),
  );
  return {
    tree,
    runner,
    reload: () => {
      services.evals.clear();
      void tree.reload();
    },
  };
}
