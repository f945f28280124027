import * as vscode from 'vscode';
import type { JobPanel } from '../panel/jobPanel';
import type { PanelState } from '../panel/jobView';
import type { TreeNode } from '../tree/nodes';
import { COMMANDS, CONTEXT_KEYS, WALKTHROUGH_ID } from '../shared/names';
import { registerCommand } from '../shared/registerCommand';

/** Where the walkthrough's first opening is remembered: once per person, not per window. */
const SHOWN_KEY = 'retab.walkthroughShown';

/**
 * The "Get started" walkthrough: its steps complete by themselves as the person does each thing
 * (context keys its `completionEvents` name), it opens once on a first start without a key (when
 * VS Code's own "open walkthroughs on install" setting allows), and "Retab: Get Started" opens it.
 */
export function registerWalkthrough(
  context: vscode.ExtensionContext,
  views: { panel: JobPanel; treeView: vscode.TreeView<TreeNode>; hasKey: () => Promise<boolean> },
): void {
  const walkthrough = `${context.extension.id}#${WALKTHROUGH_ID}`;
  registerCommand(context, COMMANDS.getStarted, () => vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthrough, false));
  // The demo (npm run demo) has a sandbox key to offer: the first step says so.
  void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.demoAvailable, Boolean(process.env.RETAB_DEMO_API_KEY));

  const done = new Set<string>();
  const mark = (key: string): void => {
    if (!done.has(key)) {
      done.add(key);
      void vscode.commands.executeCommand('setContext', key, true);
    }
  };
  context.subscriptions.push(
    views.treeView.onDidExpandElement(({ element }) => {
      if (element.kind === 'run') {
        mark(CONTEXT_KEYS.walkthroughRunOpened);
      } else if (element.kind === 'failureGroup') {
        mark(CONTEXT_KEYS.walkthroughFailureRead);
      }
    }),
    views.panel.onDidRender((state) => {
      if (showsFailure(state)) {
        mark(CONTEXT_KEYS.walkthroughFailureRead);
      }
      if (state.kind === 'job' && state.fields?.content.kind === 'loaded' && state.fields.content.votes?.kind === 'loaded') {
        mark(CONTEXT_KEYS.walkthroughVotesSeen);
      }
    }),
  );

  const firstStart = !context.globalState.get<boolean>(SHOWN_KEY);
  const allowed = vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true);
  if (firstStart && allowed) {
    void views.hasKey().then(async (has) => {
      await context.globalState.update(SHOWN_KEY, true);
      if (!has) {
        await vscode.commands.executeCommand(COMMANDS.getStarted);
      }
    });
  }
}

/** A failed job with its error on screen: what "read a failure and its cause" asks for. */
function showsFailure(state: PanelState): boolean {
  return state.kind === 'job' && (state.job.status === 'error' || Boolean(state.job.error));
}
