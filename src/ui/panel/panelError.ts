import { PanelError } from './guidance';

/** What the page shows of a failure: its kind, words, status and request id (never a stack). */
export function panelError(error: { kind: PanelError['kind']; message: string; status?: number; requestId?: string }): PanelError {
  return { kind: error.kind, message: error.message, status: error.status, requestId: error.requestId };
}
