import * as vscode from 'vscode';
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
export function registerEvals(context: vscode.ExtensionContext, services: Services): EvalsArea {
  const tree = new EvalsTree(services.repository, services.evals);
  const documents = new EvalDocuments(tree);
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(EVAL_SCHEME, documents));
  const runner = new EvalRunner(tree, services.evals, documents);
  tree.run = (request, token) => runner.run(request, token);
  registerEvalCommands(context, tree, services.evals, services.repository, documents);
  context.subscriptions.push(
    tree,
    runner,
    tree.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => runner.run(request, token), true),
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
