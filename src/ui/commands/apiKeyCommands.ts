import * as vscode from 'vscode';
import { toRetabError } from '../../api/errors';
import { ApiKeyStore } from '../../data/apiKeyStore';

/**
 * Asks for the key (password box), checks it with one cheap call, and stores it only in
 * SecretStorage. A key passed as an argument (automation, the demo) skips the input box but is
 * still checked.
 */
export async function setApiKey(store: ApiKeyStore, verify: (key: string) => Promise<unknown>, provided?: unknown): Promise<boolean> {
  const automated = typeof provided === 'string';
  let key = automated ? provided.trim() : undefined;
  for (;;) {
    key ??= (
      await vscode.window.showInputBox({
        title: 'Retab: Set API Key',
        prompt: 'Paste your Retab API key. It is stored in VS Code secret storage, never in settings.',
        password: true,
        ignoreFocusOut: true,
        placeHolder: 'sk_…',
        validateInput: (value) => (value.trim() ? undefined : 'The API key cannot be empty.'),
      })
    )?.trim();
    if (!key) {
      return false;
    }
    const candidate = key;
    const problem = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Retab: checking the API key…' },
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
      return save(store, candidate);
    }
    if (automated) {
      // Nobody is at the keyboard to answer a modal choice: report and stop.
      void vscode.window.showErrorMessage(`Retab: the API key was not saved: ${problem.describe()}`);
      return false;
    }
    if (problem.kind === 'auth') {
      const choice = await vscode.window.showErrorMessage(
        `Retab rejected this API key: ${problem.describe()}`,
        'Try Another Key',
      );
      if (choice !== 'Try Another Key') {
        return false;
      }
      key = undefined;
      continue;
    }
    const choice = await vscode.window.showWarningMessage(
      `Retab could not check the key: ${problem.describe()}. Save it anyway?`,
      'Save Anyway',
      'Cancel',
    );
    return choice === 'Save Anyway' ? save(store, candidate) : false;
  }
}

async function save(store: ApiKeyStore, key: string): Promise<boolean> {
  try {
    await store.set(key);
  } catch (caught) {
    void vscode.window.showErrorMessage(caught instanceof Error ? caught.message : String(caught));
    return false;
  }
  void vscode.window.showInformationMessage('Retab: API key saved.');
  return true;
}

export async function clearApiKey(store: ApiKeyStore): Promise<void> {
  await store.clear();
  void vscode.window.showInformationMessage('Retab: API key removed from secret storage.');
}
