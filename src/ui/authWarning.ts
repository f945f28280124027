import * as vscode from 'vscode';

/**
 * A rejected key makes every request fail; the user needs to hear it once, with the fix, not in
 * a popup per request. Shown again only after the key has changed.
 */
export class AuthWarning {
  private shown = false;

  show(): void {
    if (this.shown) {
      return;
    }
    this.shown = true;
    void vscode.window
      .showErrorMessage('Retab: the API key was rejected by the server (401/403). Set a valid key to continue.', 'Set API Key')
      .then((choice) => {
        if (choice === 'Set API Key') {
          void vscode.commands.executeCommand('retab.setApiKey');
        }
      });
  }

  reset(): void {
    this.shown = false;
  }
}
