import * as vscode from 'vscode';
import { parseOpenJobArgument } from '../commands/openJobArgument';
import { registerCommand } from '../commands/registerCommand';
import { showErrorNotification } from '../errorNotification';
import { COMMANDS, JOB_PANEL_VIEW_TYPE } from '../names';
import { Services } from '../services';
import { JobPanel } from './jobPanel';

/** The job panel, its Open Job and Refresh commands, and its return after a window reload. */
export function registerJobPanel(context: vscode.ExtensionContext, services: Services): JobPanel {
  const panel = new JobPanel(context.extensionUri, services.repository);
  context.subscriptions.push(
    panel,
    // The job panel comes back after a window reload (activation event onWebviewPanel:retab.job).
    vscode.window.registerWebviewPanelSerializer(JOB_PANEL_VIEW_TYPE, panel),
  );
  registerCommand(context, COMMANDS.openJob, async (argument: unknown) => {
    try {
      await panel.open(parseOpenJobArgument(argument));
    } catch (caught) {
      void showErrorNotification('open the job', caught);
    }
  });
  registerCommand(context, COMMANDS.refreshJob, () => panel.refresh());
  return panel;
}
