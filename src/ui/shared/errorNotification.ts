import { toRetabError } from '../../api/errors';
import * as vscode from 'vscode';
import { ERROR_ACTION_COMMANDS, ERROR_ACTION_LABELS, ErrorAction, errorGuidance } from './errorGuidance';
import { notificationText } from './markdown';

/**
 * An error notification that says what failed, why, and offers the same ways forward as the
 * tree and the panel (errorGuidance). A cancelled operation is not an error: nothing is shown.
 * `doing` completes "could not …" ("open the artifact"); `retry` is offered when given.
 */
export async function showErrorNotification(doing: string, caught: unknown, retry?: () => unknown): Promise<void> {
  const error = toRetabError(caught, `trying to ${doing}`);
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
  if (action === 'retry') {
    await retry?.();
    return;
  }
  const [command, ...args] = ERROR_ACTION_COMMANDS[action];
  await vscode.commands.executeCommand(command, ...args);
}
