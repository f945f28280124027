import { l10n } from '../../l10n';
import * as vscode from 'vscode';
import { formatRelativeTime } from '../../format';
import { RetabRepository } from '../../data/repository';
import { errorGuidance } from '../shared/errorGuidance';

/**
 * The line above the tree, for the offline banner only (saved data on screen): it changes how to
 * read everything below, so it may move the rows when it comes and goes. Live-update status does
 * not come here: it changes every few seconds, and each time the line appeared or went the rows
 * jumped under the mouse; it is in the status bar item of LiveRunWatcher.
 */
export class ViewMessage implements vscode.Disposable {
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly view: vscode.TreeView<unknown>,
    private readonly repository: RetabRepository,
  ) {
    this.subscription = repository.onDidChangeOffline(() => this.render());
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private render(): void {
    const offline = this.repository.offline;
    if (offline) {
      const saved = formatRelativeTime(new Date(offline.savedAt).toISOString());
      // Said as every other view says this error (errorGuidance), then what to do about the banner.
      const reason = errorGuidance(offline.error).title;
      this.view.message = l10n.t('Showing data saved {0}: {1}. Refresh to try again.', saved, reason);
      return;
    }
    this.view.message = undefined;
  }
}
