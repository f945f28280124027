import type { RetabExtensionApi } from '../../src/extension';
import type { PanelState } from '../../src/ui/panel/jobView';

/**
 * Resolves with the first panel state the webview reports as rendered that matches (call it
 * before the command that opens the job, so that no report is missed).
 */
export function panelRendered(api: RetabExtensionApi, matches: (state: PanelState) => boolean, timeoutMs = 15_000): Promise<PanelState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`the panel did not render the expected state within ${timeoutMs / 1000} s; last: ${JSON.stringify(summary(api.panelState()))}`));
    }, timeoutMs);
    const subscription = api.onDidRenderPanel((state) => {
      if (matches(state)) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(state);
      }
    });
  });
}

/**
 * Resolves when the panel's request to a job's endpoint for this document ended (answered or
 * failed). Call it before the command that opens the job.
 */
export function jobRefreshed(api: RetabExtensionApi, documentId: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`the panel did not ask the job of ${documentId} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const subscription = api.onDidRefreshJob((ref) => {
      if (ref.documentId === documentId) {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      }
    });
  });
}

/** A job's panel state names that job. */
export function showsJob(state: PanelState, ref: { runId: string; documentId: string }): boolean {
  return state.kind === 'job' && state.ref.runId === ref.runId && state.ref.documentId === ref.documentId;
}

function summary(state: PanelState | undefined): unknown {
  if (!state) {
    return undefined;
  }
  return state.kind === 'job' ? { kind: state.kind, job: state.job.id } : state.kind === 'error' ? state.error : state.kind;
}
