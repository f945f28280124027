/** The typed protocol between the job panel and its webview, checked on arrival both ways. */
import { JobRef, isSafeId } from '../../api/ids';

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

/** Which kind of page the body is: the webview waits past a loading page before putting its saved view state back. */
export type PanelView = 'loading' | 'job' | 'error';

export interface ShowMessage {
  type: 'show';
  renderId: number;
  html: string;
  /** The job the body is about (validated ids): what the webview saves to come back to it. */
  ref: JobRef;
  view: PanelView;
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

/**
 * What the webview keeps with `setState` and VS Code hands back after a window reload: the job's
 * ids and how it was being looked at, never server data (the job is loaded again through the
 * repository). media/panel.js writes it in this shape.
 */
export interface SavedPanelState {
  version: 1;
  ref: JobRef;
  rawOpen: boolean;
  scrollY: number;
}

/** Far beyond any page the panel shows; a larger number is not a scroll position of ours. */
const MAX_SCROLL_Y = 10_000_000;

/** The saved state is read like any input from the webview: anything off is no state at all. */
export function parseSavedPanelState(value: unknown): SavedPanelState | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  const saved = value as Record<string, unknown>;
  const ref = parseJobRef(saved.ref);
  if (saved.version !== 1 || !ref || typeof saved.rawOpen !== 'boolean') {
    return undefined;
  }
  const scrollY = typeof saved.scrollY === 'number' && Number.isFinite(saved.scrollY) ? Math.min(Math.max(0, Math.round(saved.scrollY)), MAX_SCROLL_Y) : 0;
  return { version: 1, ref, rawOpen: saved.rawOpen, scrollY };
}

function parseJobRef(value: unknown): JobRef | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  const ref = value as Record<string, unknown>;
  const id = (key: keyof JobRef): string | undefined => {
    const raw = ref[key];
    return typeof raw === 'string' && isSafeId(raw) ? raw : undefined;
  };
  const workflowId = id('workflowId');
  const experimentId = id('experimentId');
  const runId = id('runId');
  const documentId = id('documentId');
  // Only the four ids are kept: whatever else the object carries stays behind.
  return workflowId && experimentId && runId && documentId ? { workflowId, experimentId, runId, documentId } : undefined;
}
