import { l10n } from '../../l10n';
import { showErrorNotification } from '../shared/errorNotification';
import * as vscode from 'vscode';
import { notificationText } from '../shared/markdown';
import { toRetabError } from '../../api/errors';
import { KeyStore } from '../../data/apiKeyStore';
import { COMMANDS, CONTEXT_KEYS } from '../shared/names';
import { Services } from '../shared/services';
import { registerCommand } from '../shared/registerCommand';
import { useDemoKey } from '../auth/demoKey';

/**
 * Set, clear and "use for this server"; keeps the `retab.hasApiKey` context key (the welcome
 * view) in step with the store. `onAllowedHere` runs when the key is bound to the current server.
 */
export function registerApiKeyCommands(context: vscode.ExtensionContext, services: Services, onAllowedHere: () => void): void {
  const { keys } = services;
  registerCommand(context, COMMANDS.setApiKey, (provided?: unknown) => setApiKey(keys, services.verifyKey, services.currentOrigin, provided));
  registerCommand(context, COMMANDS.useKeyForBaseUrl, async (confirmed?: unknown) => {
    const allowed = await useKeyForThisServer(keys, services.verifyKey, services.currentOrigin, confirmed);
    if (allowed) {
      onAllowedHere();
    }
    return allowed;
  });
  registerCommand(context, COMMANDS.clearApiKey, () => clearApiKey(keys));
  registerCommand(context, COMMANDS.useDemoKey, useDemoKey);
  const updateKeyContext = async (): Promise<void> => {
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasApiKey, await keys.has());
  };
  context.subscriptions.push(keys.onDidChange(() => void updateKeyContext()));
  void updateKeyContext();
}

/**
 * Asks for the key (password box), checks it with one cheap call, and stores it only in
 * SecretStorage. A key passed as an argument (automation, the demo) skips the input box but is
 * still checked.
 */
export async function setApiKey(
  store: KeyStore,
  verify: (key: string) => Promise<unknown>,
  currentOrigin: () => string | undefined,
  provided?: unknown,
): Promise<boolean> {
  const automated = typeof provided === 'string';
  let key = automated ? provided.trim() : undefined;
  for (;;) {
    key ??= (
      await vscode.window.showInputBox({
        title: l10n.t('Retab: Set API Key'),
        prompt: l10n.t('Paste your Retab API key. It is stored in VS Code secret storage, never in settings.'),
        password: true,
        ignoreFocusOut: true,
        placeHolder: 'sk_…',
        validateInput: (value) => (value.trim() ? undefined : l10n.t('The API key cannot be empty.')),
      })
    )?.trim();
    if (!key) {
      return false;
    }
    const candidate = key;
    const problem = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: l10n.t('Retab: checking the API key…') },
      async () => {
        try {
          await verify(candidate);
          return undefined;
        } catch (caught) {
          return toRetabError(caught);
        }
      },
    );
    if (!problem) {
      return save(store, candidate, currentOrigin());
    }
    if (automated) {
      // Nobody is at the keyboard to answer a modal choice: report and stop.
      void vscode.window.showErrorMessage(l10n.t('Retab: the API key was not saved: {0}', notificationText(problem.describe())));
      return false;
    }
    if (problem.kind === 'auth') {
      const choice = await vscode.window.showErrorMessage(
        l10n.t('Retab rejected this API key: {0}', notificationText(problem.describe())),
        l10n.t('Try Another Key'),
      );
      if (choice !== l10n.t('Try Another Key')) {
        return false;
      }
      key = undefined;
      continue;
    }
    const choice = await vscode.window.showWarningMessage(
      l10n.t('Retab could not check the key: {0}. Save it anyway?', notificationText(problem.describe())),
      l10n.t('Save Anyway'),
      l10n.t('Cancel'),
    );
    return choice === l10n.t('Save Anyway') ? save(store, candidate, currentOrigin()) : false;
  }
}

/** The key is bound to the server it was checked against (or, saved anyway, the one the user chose). */
async function save(store: KeyStore, key: string, origin: string | undefined): Promise<boolean> {
  if (!origin) {
    void vscode.window.showErrorMessage(l10n.t('Retab: the retab.apiBaseUrl setting is not a valid http(s) URL; the key was not saved.'));
    return false;
  }
  try {
    await store.set(key, origin);
  } catch (caught) {
    void showErrorNotification(l10n.t('save the API key'), caught);
    return false;
  }
  void vscode.window.showInformationMessage(l10n.t('Retab: API key saved.'));
  return true;
}

export async function clearApiKey(store: KeyStore): Promise<void> {
  await store.clear();
  void vscode.window.showInformationMessage(l10n.t('Retab: API key removed from secret storage.'));
}

/**
 * "Use API Key for This Server…": the key was verified for another server than the one
 * retab.apiBaseUrl now names. Asks, naming the host, then checks the key there before binding it.
 */
export async function useKeyForThisServer(
  store: KeyStore,
  verify: (key: string) => Promise<unknown>,
  currentOrigin: () => string | undefined,
  confirmed?: unknown,
): Promise<boolean> {
  const key = await store.get();
  const origin = currentOrigin();
  if (!key || !origin) {
    void vscode.window.showInformationMessage(l10n.t('Retab: set an API key first ("Retab: Set API Key").'));
    return false;
  }
  const bound = await store.boundOrigin(origin);
  if (bound === origin) {
    return true;
  }
  const host = new URL(origin).host;
  if (confirmed !== true) {
    const answer = await vscode.window.showWarningMessage(
      l10n.t('Send your Retab API key to {0}?', host),
      {
        modal: true,
        detail: l10n.t(
          'The key was verified for {0}, and retab.apiBaseUrl now points at {1}. That server will receive the key with every request: allow only a server you trust.',
          bound ?? l10n.t('another server'),
          origin,
        ),
      },
      l10n.t('Send Key'),
    );
    if (answer !== l10n.t('Send Key')) {
      return false;
    }
  }
  const problem = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: l10n.t('Retab: checking the API key with {0}…', host) },
    async () => {
      try {
        await verify(key);
        return undefined;
      } catch (caught) {
        return toRetabError(caught);
      }
    },
  );
  if (problem) {
    void vscode.window.showErrorMessage(l10n.t('Retab: the key was not allowed for {0}: {1}', host, notificationText(problem.describe())));
    return false;
  }
  await store.bindOrigin(origin);
  void vscode.window.showInformationMessage(l10n.t('Retab: the API key is now used with {0}.', host));
  return true;
}
