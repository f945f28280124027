import * as vscode from 'vscode';
import { ERROR_ACTION_LABELS, ErrorAction, errorGuidance } from './errorGuidance';
import { notificationText } from './markdown';
import { COMMANDS } from './names';
import { toUiError } from './uiError';

/**
 * An error notification that says what failed, why, and offers the same ways forward as the
 * tree and the panel (errorGuidance). A cancelled operation is not an error: nothing is shown.
 * `doing` completes "could not …" ("open the artifact"); `retry` is offered when given.
 */
export async function showErrorNotification(doing: string, caught: unknown, retry?: () => unknown): Promise<void> {
  const error = toUiError(caught, `trying to ${doing}`);
  if (error.kind === 'cancelled') {
    return;
  }
  const offered = errorGuidance(error).actions.filter((action) => action !== 'retry' || retry !== undefined);
  const labels = offered.map((action) => ERROR_ACTION_LABELS[action]);
  const chosen = await vscode.window.showErrorMessage(`Retab: could not ${doing}: ${notificationText(error.describe())}`, ...labels);
  const action = offered[labels.indexOf(chosen ?? '')];
  if (action) {
    await runErrorAction(action, retry);
  }
}

/** What each way forward does outside the panel (which has its own retry). */
export async function runErrorAction(action: ErrorAction, retry?: () => unknown): Promise<void> {
  switch (action) {
    case 'retry':
      await retry?.();
      return;
    case 'setApiKey':
      await vscode.commands.executeCommand(COMMANDS.setApiKey);
      return;
    case 'useKeyForBaseUrl':
      await vscode.commands.executeCommand(COMMANDS.useKeyForBaseUrl);
      return;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', 'retab.');
      return;
    case 'showLog':
      await vscode.commands.executeCommand(COMMANDS.showLog);
      return;
  }
}
