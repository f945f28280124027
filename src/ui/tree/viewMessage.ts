import * as vscode from 'vscode';
import { formatRelativeTime } from '../../format';
import { RetabRepository } from '../../data/repository';

/**
 * The line above the tree. Two things want it: the offline banner (saved data on screen) and
 * live-update status; the offline banner wins because it changes how to read everything below.
 */
export class ViewMessage implements vscode.Disposable {
  private live: string | undefined;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly view: vscode.TreeView<unknown>,
    private readonly repository: RetabRepository,
  ) {
    this.subscription = repository.onDidChangeOffline(() => this.render());
  }

  setLive(text: string | undefined): void {
    this.live = text;
    this.render();
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private render(): void {
    const offline = this.repository.offline;
    if (offline) {
      const saved = formatRelativeTime(new Date(offline.savedAt).toISOString());
      const reason = offline.error.kind === 'auth' ? 'the API key was rejected' : 'the Retab API cannot be reached';
      this.view.message = `Showing data saved ${saved}: ${reason}. Refresh to try again.`;
      return;
    }
    this.view.message = this.live;
  }
}
