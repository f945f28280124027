import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { KeyStore } from '../../data/apiKeyStore';
import { COMMANDS } from '../shared/names';

/**
 * `npm run demo` starts VS Code with RETAB_DEMO_API_KEY set to the local sandbox's key. Secret
 * storage lives in the browser there, so the key cannot be put in from outside: the first start
 * offers to store it through the normal command (which checks it against the sandbox).
 */
export async function offerDemoKey(keys: KeyStore): Promise<void> {
  const demoKey = process.env.RETAB_DEMO_API_KEY;
  if (!demoKey || (await keys.has())) {
    return;
  }
  const choice = await vscode.window.showInformationMessage(
    l10n.t("Retab demo: use the local sandbox's API key? It is stored in secret storage like any key."),
    l10n.t('Use Sandbox Key'),
  );
  if (choice === l10n.t('Use Sandbox Key')) {
    await vscode.commands.executeCommand(COMMANDS.setApiKey, demoKey);
  }
}

/** "Use the Demo Sandbox's Key" (the walkthrough's first step in the demo): stored and checked like any key. */
export async function useDemoKey(): Promise<boolean> {
  const demoKey = process.env.RETAB_DEMO_API_KEY;
  if (!demoKey) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Retab: this window was not started by the demo (npm run demo), so there is no sandbox key to use.'),
    );
    return false;
  }
  return (await vscode.commands.executeCommand<boolean>(COMMANDS.setApiKey, demoKey)) === true;
}
