import * as vscode from 'vscode';
import { toRetabError } from '../../api/errors';
import { keyMayGoTo } from '../../api/transport';
import { originOf } from '../../data/apiKeyStore';
import { Connection, ConnectionStore } from '../../data/connections';
import { notificationText } from '../shared/markdown';
import { COMMANDS, CONNECTION_STATUS_BAR_ID } from '../shared/names';
import { registerCommand } from '../shared/registerCommand';
import { Services } from '../shared/services';
import { ViewDescription } from '../tree/viewDescription';
import { onDidChangeSettings } from '../settings/settings';

const DEFAULT_BASE_URL = 'https://api.retab.com';

/** What a script (or a test) may pass to "Add Connection" instead of answering its questions. */
interface ConnectionArgs {
  name?: unknown;
  baseUrl?: unknown;
  key?: unknown;
}

/**
 * Several Retab accounts and servers: add, switch (status bar or palette, then one pick), rename
 * and remove. The connection in use shows beside the view's title and in the status bar.
 */
export function registerConnections(context: vscode.ExtensionContext, services: Services, viewDescription: ViewDescription): void {
  const { connections } = services;
  const status = vscode.window.createStatusBarItem(CONNECTION_STATUS_BAR_ID, vscode.StatusBarAlignment.Left, 11);
  status.name = vscode.l10n.t('Retab Connection');
  status.command = COMMANDS.switchConnection;
  const show = (): void => {
    const active = connections.active();
    const host = hostOf(connections.baseUrl(active));
    status.text = `$(plug) ${active.name}`;
    status.tooltip = vscode.l10n.t('Retab connection in use: {0} ({1}). Click to switch.', active.name, host);
    status.accessibilityInformation = { label: vscode.l10n.t('Retab connection {0}', active.name) };
    status.show();
    // With one connection the title stays quiet; with several it says which one is shown.
    viewDescription.set('connection', connections.list().length > 1 ? active.name : undefined);
  };
  show();
  context.subscriptions.push(status, connections.onDidChangeList(show));
  // The first connection follows retab.apiBaseUrl: its host may change under it.
  context.subscriptions.push(onDidChangeSettings(['apiBaseUrl'], show));

  registerCommand(context, COMMANDS.switchConnection, (id?: unknown) => (typeof id === 'string' ? connections.switchTo(id) : pickConnection(services)));
  registerCommand(context, COMMANDS.addConnection, (args?: ConnectionArgs) => addConnection(services, args));
  registerCommand(context, COMMANDS.removeConnection, (id?: unknown, confirmed?: unknown) => removeConnection(connections, id, confirmed === true));
  registerCommand(context, COMMANDS.renameConnection, (id?: unknown, name?: unknown) => renameConnection(connections, id, name));
}

/** Its server, unless its name already says it; the first connection says where its server comes from. */
function describe(connections: ConnectionStore, connection: Connection): string {
  const host = hostOf(connections.baseUrl(connection));
  const shown = host === connection.name ? '' : host;
  if (connection.baseUrl !== undefined) {
    return shown;
  }
  return shown ? vscode.l10n.t('{0} · from the retab.apiBaseUrl setting', shown) : vscode.l10n.t('from the retab.apiBaseUrl setting');
}

function hostOf(baseUrl: string): string {
  const origin = originOf(baseUrl);
  return origin ? new URL(origin).host : baseUrl.slice(0, 80);
}

interface ConnectionPick extends vscode.QuickPickItem {
  connection?: Connection;
  action?: 'add';
}

const renameButton = (): vscode.QuickInputButton => ({ iconPath: new vscode.ThemeIcon('edit'), tooltip: vscode.l10n.t('Rename') });
const removeButton = (): vscode.QuickInputButton => ({ iconPath: new vscode.ThemeIcon('trash'), tooltip: vscode.l10n.t('Remove') });

/** The switcher: every connection (the one in use ticked), rename/remove buttons, and "Add". */
async function pickConnection(services: Services): Promise<void> {
  const { connections } = services;
  const rename = renameButton();
  const remove = removeButton();
  const items = (): ConnectionPick[] => {
    const active = connections.active();
    const several = connections.list().length > 1;
    return [
      ...connections.list().map((connection): ConnectionPick => ({
        label: `${connection.id === active.id ? '$(check)' : '$(blank)'} ${connection.name}`,
        description: describe(connections, connection),
        buttons: several ? [rename, remove] : [rename],
        connection,
      })),
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: `$(add) ${vscode.l10n.t('Add Connection…')}`, action: 'add' },
    ];
  };
  const quickPick = vscode.window.createQuickPick<ConnectionPick>();
  quickPick.title = vscode.l10n.t('Retab: Switch Connection');
  quickPick.placeholder = vscode.l10n.t('Which Retab account and server to show');
  quickPick.items = items();
  quickPick.activeItems = quickPick.items.filter((item) => item.connection?.id === connections.active().id);
  const chosen = await new Promise<ConnectionPick | undefined>((resolve) => {
    quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]));
    quickPick.onDidHide(() => resolve(undefined));
    quickPick.onDidTriggerItemButton((event) => {
      const id = event.item.connection?.id;
      quickPick.hide();
      if (id) {
        void vscode.commands.executeCommand(event.button === remove ? COMMANDS.removeConnection : COMMANDS.renameConnection, id);
      }
    });
    quickPick.show();
  });
  quickPick.dispose();
  if (chosen?.action === 'add') {
    await vscode.commands.executeCommand(COMMANDS.addConnection);
  } else if (chosen?.connection) {
    await connections.switchTo(chosen.connection.id);
  }
}

function urlProblem(value: string): string | undefined {
  const origin = originOf(value.trim());
  if (!origin) {
    return vscode.l10n.t('Enter an http(s) URL, such as {0}.', DEFAULT_BASE_URL);
  }
  // The transport's own rule: a connection it would refuse to send the key to is not added.
  if (!keyMayGoTo(new URL(origin))) {
    return vscode.l10n.t('Use https: the key is sent over plain http only to a server on this machine.');
  }
  return undefined;
}

/** Name, server, key; the key is checked with that server before anything is kept, then the connection is used. */
async function addConnection(services: Services, args: ConnectionArgs = {}): Promise<boolean> {
  const { connections } = services;
  const automated = typeof args.key === 'string';
  const name =
    typeof args.name === 'string'
      ? args.name
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('Retab: Add Connection (1/3)'),
          prompt: vscode.l10n.t('A name for this account and server, as you want to see it in the status bar.'),
          placeHolder: vscode.l10n.t('Acme staging'),
          ignoreFocusOut: true,
          validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('The name cannot be empty.')),
        });
  if (!name?.trim()) {
    return false;
  }
  const baseUrl =
    typeof args.baseUrl === 'string'
      ? args.baseUrl
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('Retab: Add Connection (2/3)'),
          prompt: vscode.l10n.t("The server's API address."),
          value: DEFAULT_BASE_URL,
          ignoreFocusOut: true,
          validateInput: urlProblem,
        });
  if (!baseUrl || urlProblem(baseUrl)) {
    if (baseUrl) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Retab: {0}', urlProblem(baseUrl) ?? ''));
    }
    return false;
  }
  const key = automated
    ? String(args.key).trim()
    : (
        await vscode.window.showInputBox({
          title: vscode.l10n.t('Retab: Add Connection (3/3)'),
          prompt: vscode.l10n.t('The API key for {0}. It is stored in VS Code secret storage, never in settings.', hostOf(baseUrl)),
          password: true,
          ignoreFocusOut: true,
          placeHolder: 'sk_…',
          validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('The API key cannot be empty.')),
        })
      )?.trim();
  if (!key) {
    return false;
  }
  const problem = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Retab: checking the API key with {0}…', hostOf(baseUrl)) },
    async () => {
      try {
        await services.verifyKey(key, baseUrl.trim());
        return undefined;
      } catch (caught) {
        return toRetabError(caught);
      }
    },
  );
  if (problem) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Retab: the connection was not added: {0}', notificationText(problem.describe())));
    return false;
  }
  let added: Connection;
  try {
    added = await connections.add(name, baseUrl, key);
  } catch (caught) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Retab: the connection was not added: {0}', caught instanceof Error ? caught.message : String(caught)));
    return false;
  }
  await connections.switchTo(added.id);
  void vscode.window.showInformationMessage(vscode.l10n.t('Retab: now showing {0}.', added.name));
  return true;
}

async function chooseConnection(connections: ConnectionStore, id: unknown, title: string): Promise<Connection | undefined> {
  if (typeof id === 'string') {
    return connections.list().find((c) => c.id === id);
  }
  const chosen = await vscode.window.showQuickPick(
    connections.list().map((connection) => ({ label: connection.name, description: hostOf(connections.baseUrl(connection)), connection })),
    { title },
  );
  return chosen?.connection;
}

async function removeConnection(connections: ConnectionStore, id: unknown, confirmed: boolean): Promise<boolean> {
  if (connections.list().length <= 1) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Retab: the only connection cannot be removed; "Retab: Clear API Key" removes its key.'));
    return false;
  }
  const connection = await chooseConnection(connections, id, vscode.l10n.t('Retab: Remove Connection'));
  if (!connection) {
    return false;
  }
  if (!confirmed) {
    const remove = vscode.l10n.t('Remove');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove the connection “{0}”?', connection.name),
      { modal: true, detail: vscode.l10n.t('Its API key is deleted from VS Code secret storage.') },
      remove,
    );
    if (answer !== remove) {
      return false;
    }
  }
  await connections.remove(connection.id);
  void vscode.window.showInformationMessage(vscode.l10n.t('Retab: connection “{0}” removed, with its key.', connection.name));
  return true;
}

async function renameConnection(connections: ConnectionStore, id: unknown, name: unknown): Promise<void> {
  const connection = await chooseConnection(connections, id, vscode.l10n.t('Retab: Rename Connection'));
  if (!connection) {
    return;
  }
  const newName =
    typeof name === 'string'
      ? name
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('Retab: Rename Connection'),
          value: connection.name,
          validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('The name cannot be empty.')),
        });
  if (newName?.trim()) {
    await connections.rename(connection.id, newName);
  }
}
