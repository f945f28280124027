/** The typed protocol between the job panel and its webview, checked on arrival both ways. */

export type CopyField = 'workflowId' | 'experimentId' | 'runId' | 'documentId' | 'jobId' | 'artifactId' | 'error';

export type PanelAction =
  | 'refresh'
  | 'setApiKey'
  | 'useKeyForBaseUrl'
  | 'openSettings'
  | 'showLog'
  | 'lookupJob'
  | 'openArtifact'
  | 'compareWithRun'
  | 'copyLink'
  | 'openFullError';

export type FromWebview =
  | { type: 'ready' }
  | { type: 'rendered'; renderId: number }
  | { type: 'copy'; field: CopyField }
  | { type: 'action'; action: PanelAction };

export interface ShowMessage {
  type: 'show';
  renderId: number;
  html: string;
}

export type ToWebview = ShowMessage;

const COPY_FIELDS: ReadonlySet<string> = new Set<CopyField>(['workflowId', 'experimentId', 'runId', 'documentId', 'jobId', 'artifactId', 'error']);
const ACTIONS: ReadonlySet<string> = new Set<PanelAction>([
  'refresh',
  'setApiKey',
  'useKeyForBaseUrl',
  'openSettings',
  'showLog',
  'lookupJob',
  'openArtifact',
  'compareWithRun',
  'copyLink',
  'openFullError',
]);

/** Anything else the webview might post (a bug, or injected script) is ignored. */
export function parseWebviewMessage(value: unknown): FromWebview | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'rendered':
      return Number.isSafeInteger(message.renderId) ? { type: 'rendered', renderId: message.renderId as number } : undefined;
    case 'copy':
      return typeof message.field === 'string' && COPY_FIELDS.has(message.field) ? { type: 'copy', field: message.field as CopyField } : undefined;
    case 'action':
      return typeof message.action === 'string' && ACTIONS.has(message.action)
        ? { type: 'action', action: message.action as PanelAction }
        : undefined;
    default:
      return undefined;
  }
}
