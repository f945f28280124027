import * as vscode from 'vscode';

export const API_KEY_SECRET = 'retab.apiKey';

/**
 * The only place the key lives is SecretStorage. Reads are memoised because every request needs
 * the key; the memo follows `secrets.onDidChange`, so another window's change is seen here too.
 */
export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private memo: Promise<string | undefined> | undefined;
  private readonly subscription: vscode.Disposable;
  private warnedUnavailable = false;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === API_KEY_SECRET) {
        this.memo = undefined;
        this.changed.fire();
      }
    });
  }

  get(): Promise<string | undefined> {
    this.memo ??= this.read();
    return this.memo;
  }

  async has(): Promise<boolean> {
    return Boolean(await this.get());
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(API_KEY_SECRET, key);
    this.memo = Promise.resolve(key);
  }

  async clear(): Promise<void> {
    await this.secrets.delete(API_KEY_SECRET);
    this.memo = Promise.resolve(undefined);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async read(): Promise<string | undefined> {
    try {
      return (await this.secrets.get(API_KEY_SECRET)) || undefined;
    } catch (caught) {
      this.memo = undefined;
      if (!this.warnedUnavailable) {
        this.warnedUnavailable = true;
        const reason = caught instanceof Error ? caught.message : String(caught);
        void vscode.window.showErrorMessage(
          `Retab cannot read its API key: the system's secret storage is unavailable (${reason}). On Linux, install and unlock a keyring such as GNOME Keyring or KWallet, then reload the window.`,
        );
      }
      return undefined;
    }
  }
}
