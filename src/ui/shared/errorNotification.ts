import { l10n } from '../../l10n';
import { toRetabError } from '../../api/errors';
import * as vscode from 'vscode';
import { ERROR_ACTION_COMMANDS, errorActionLabels, ErrorAction, errorGuidance } from './errorGuidance';
import { notificationText } from './markdown';

/**
 * An error notification that says what failed, why, and offers the same ways forward as the
 * tree and the panel (errorGuidance). A cancelled operation is not an error: nothing is shown.
 * `doing` completes "could not …" ("open the artifact"); `retry` is offered when given.
 */
export async function showErrorNotification(doing: string, caught: unknown, retry?: () => unknown): Promise<void> {
  const error = toRetabError(caught, l10n.t('trying to {0}', doing));
  if (error.kind === 'cancelled') {
    return;
  }
  const offered = errorGuidance(error).actions.filter((action) => action !== 'retry' || retry !== undefined);
  const labels = offered.map((action) => errorActionLabels()[action]);
  const chosen = await vscode.window.showErrorMessage(l10n.t('Retab: could not {0}: {1}', doing, notificationText(error.describe())), ...labels);
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
