import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { parseOpenJobArgument, parseOpenJobField } from '../shared/openJobArgument';
import { registerCommand } from '../shared/registerCommand';
import { showErrorNotification } from '../shared/errorNotification';
import { COMMANDS, JOB_PANEL_VIEW_TYPE } from '../shared/names';
import { Services } from '../shared/services';
import { JobPanel } from './jobPanel';
import { disagrees } from '../../api/models';
import { formatScore, showInvisibles } from '../../format';

/** The job panel, its Open Job and Refresh commands, and its return after a window reload. */
export function registerJobPanel(context: vscode.ExtensionContext, services: Services): JobPanel {
  const panel = new JobPanel(context.extensionUri, services.repository, context.globalStorageUri);
  context.subscriptions.push(
    panel,
    // The job panel comes back after a window reload (activation event onWebviewPanel:retab.job).
    vscode.window.registerWebviewPanelSerializer(JOB_PANEL_VIEW_TYPE, panel),
  );
  registerCommand(context, COMMANDS.openJob, async (argument: unknown) => {
    try {
      await panel.open(parseOpenJobArgument(argument));
      const fieldPath = parseOpenJobField(argument);
      if (fieldPath !== undefined) {
        await panel.showFieldVotes(fieldPath);
      }
    } catch (caught) {
      void showErrorNotification(l10n.t('open the job'), caught);
    }
  });
  registerCommand(context, COMMANDS.refreshJob, () => panel.refresh());
  // Also what the in-host tests use: they cannot click inside a webview.
  registerCommand(context, COMMANDS.showJobFields, () => panel.showFields());
  registerCommand(context, COMMANDS.showJobDocument, () => panel.showDocument());
  registerCommand(context, COMMANDS.openJobDocumentFile, () => panel.openDocumentFile());
  registerCommand(context, COMMANDS.saveJobDocumentAs, () => panel.saveDocumentAs());
  registerCommand(context, COMMANDS.showFieldVotes, async (path?: unknown) => {
    const chosen = typeof path === 'string' ? path : await pickField(panel);
    if (chosen !== undefined) {
      await panel.showFieldVotes(chosen);
    }
  });
  return panel;
}

/** "Show Votes of a Field…" from the palette: the job's fields, disagreeing first, to choose from. */
async function pickField(panel: JobPanel): Promise<string | undefined> {
  await panel.showFields();
  const fields = panel.loadedFields();
  if (!fields || fields.length === 0) {
    return undefined;
  }
  const chosen = await vscode.window.showQuickPick(
    fields.map((field) => ({
      label: showInvisibles(field.path),
      description: `${formatScore(field.score)}${disagrees(field.score) ? ' · disagrees' : ''}`,
      path: field.path,
    })),
    { title: l10n.t('Retab: Show Votes of a Field'), placeHolder: l10n.t('The field whose votes to show (disagreeing first)') },
  );
  return chosen?.path;
}
