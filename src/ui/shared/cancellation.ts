import * as vscode from 'vscode';

/**
 * Runs `work` with an AbortSignal that follows VS Code's cancellation token: the API layer knows
 * only AbortSignal (it has no vscode), the views hand out tokens.
 */
export async function withAbortSignal<T>(token: vscode.CancellationToken, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  if (token.isCancellationRequested) {
    controller.abort();
  }
  const subscription = token.onCancellationRequested(() => controller.abort());
  try {
    return await work(controller.signal);
  } finally {
    subscription.dispose();
  }
}
