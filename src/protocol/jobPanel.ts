/**
 * The typed protocol between the job panel (jobPanel.ts, in the extension host) and its webview
 * (src/webview/panel.ts, in the browser). Both import this module, so it knows nothing of vscode
 * or the DOM. Every message is checked on arrival, both ways: each string union comes from an
 * `as const` list that the parser also reads, so what is accepted cannot drift from the types.
 */
import { JobRef, isSafeId } from '../api/ids';

export const COPY_FIELDS = ['workflowId', 'experimentId', 'runId', 'documentId', 'jobId', 'artifactId', 'error'] as const;
export type CopyField = (typeof COPY_FIELDS)[number];

/** Buttons of the page that run something in the host; each is a `data-action` attribute. */
export const PANEL_ACTIONS = [
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
  /** Fetch the Fields section again after it failed. */
  'retryFields',
  /** The Document section's file, opened in VS Code (or the system's viewer) / saved where the user says. */
  'openDocument',
  'saveDocumentAs',
  /** Fetch the Document section's file again after it failed. */
  'retryDocument',
  /** Pin the chosen field (its votes on screen) as a workflow eval. */
  'pinAsEval',
  /** Open the block this job's experiment runs, as files (flat servers with blocks). */
  'editBlock',
] as const;
export type PanelAction = (typeof PANEL_ACTIONS)[number];

/** Which kind of page the body is: the webview waits past a loading page before putting its saved view state back. */
export const PANEL_VIEWS = ['loading', 'job', 'error'] as const;
export type PanelView = (typeof PANEL_VIEWS)[number];

/** Whose value a "Show All" button opens: a votes row's consensus, or one voter's value in it. */
export const VALUE_SOURCES = ['rowConsensus', 'vote'] as const;
export type ValueSource = (typeof VALUE_SOURCES)[number];

/**
 * A value on screen, named by position in what the host rendered (the field's index in the
 * section's order, the votes' row and voter), never by server text: a field path goes through
 * the escaping template (which also shows bidi characters as `⟨U+202E⟩`), so what the page holds
 * is not the path itself.
 */
export interface ValueRef {
  source: ValueSource;
  /** The field's index in the section's order. */
  field: number;
  /** The row of the field's votes. */
  row: number;
  /** The voter within the row (`vote` only). */
  voter?: number;
}

export type FromWebview =
  /** The page is up; `renderId` is the state the shell was built with (no need to send it again). */
  | { type: 'ready'; renderId: number }
  | { type: 'rendered'; renderId: number }
  | { type: 'copy'; field: CopyField }
  | { type: 'action'; action: PanelAction }
  /** The Fields section was opened or closed by the user. */
  | { type: 'fields'; open: boolean }
  /** A field (by its index in the section's order) was chosen: show its votes. */
  | { type: 'chooseField'; field: number }
  | { type: 'openValue'; value: ValueRef }
  /** The Document section was opened or closed by the user. */
  | { type: 'document'; open: boolean }
  /**
   * The webview drew a page of the file it was sent (`ms`: from its bytes' arrival to the drawn
   * page); `memoryBytes`: its script heap and the pixels of the pages it holds, when the browser says.
   */
  | { type: 'documentDrawn'; fileKey: string; page: number; ms: number; memoryBytes: number | null };

export const WEBVIEW_MESSAGE_TYPES = [
  'ready',
  'rendered',
  'copy',
  'action',
  'fields',
  'chooseField',
  'openValue',
  'document',
  'documentDrawn',
] as const satisfies ReadonlyArray<FromWebview['type']>;

/** The whole page for a state. */
export interface ShowMessage {
  type: 'show';
  renderId: number;
  html: string;
  /** The job the body is about (validated ids): what the webview saves to come back to it. */
  ref: JobRef;
  view: PanelView;
}

/** Only the Fields section's body changed (it loaded, a field was chosen): the rest of the page stays. */
export interface FieldsMessage {
  type: 'fields';
  renderId: number;
  html: string;
  ref: JobRef;
}

/** Only the Document section's frame and status changed: the pages drawn inside it stay. */
export interface DocumentMessage {
  type: 'document';
  renderId: number;
  html: string;
  ref: JobRef;
}

export const DOCUMENT_DISPLAYS = ['pdf', 'image'] as const;
export type DocumentDisplayKind = (typeof DOCUMENT_DISPLAYS)[number];

/** A file's bytes for the Document section; `fileKey` names it (its file id), so the same file is not drawn twice. */
export interface DocumentFileMessage {
  type: 'documentFile';
  ref: JobRef;
  fileKey: string;
  display: DocumentDisplayKind;
  bytes: Uint8Array;
}

/** A box on a page, normalised 0..1 from the top left. */
export interface PageBoxMessage {
  page: number;
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Where the chosen field's value is in the file on screen (`box` null: nothing to mark). */
export interface HighlightMessage {
  type: 'highlight';
  ref: JobRef;
  fileKey: string;
  box: PageBoxMessage | null;
}

export type ToWebview = ShowMessage | FieldsMessage | DocumentMessage | DocumentFileMessage | HighlightMessage;

export const HOST_MESSAGE_TYPES = ['show', 'fields', 'document', 'documentFile', 'highlight'] as const satisfies ReadonlyArray<ToWebview['type']>;

/** A file id, or what stands for one: short, plain characters. */
function isFileKey(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 200 && isSafeId(value);
}

function isDuration(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isUnit(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;
}

function parsePageBox(value: unknown): PageBoxMessage | null | undefined {
  if (value === null) {
    return null;
  }
  if (
    !isRecord(value) ||
    !isIndex(value.page) ||
    value.page < 1 ||
    !isUnit(value.left) ||
    !isUnit(value.top) ||
    !isUnit(value.width) ||
    !isUnit(value.height)
  ) {
    return undefined;
  }
  return { page: value.page, left: value.left, top: value.top, width: value.width, height: value.height };
}

/** Far more fields than any schema has; a larger index is not one of ours. */
const MAX_INDEX = 1_000_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_INDEX;
}

function isRenderId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function parseValueRef(value: unknown): ValueRef | undefined {
  if (!isRecord(value) || !oneOf(VALUE_SOURCES, value.source) || !isIndex(value.field) || !isIndex(value.row)) {
    return undefined;
  }
  switch (value.source) {
    case 'rowConsensus':
      return value.voter === undefined ? { source: 'rowConsensus', field: value.field, row: value.row } : undefined;
    case 'vote':
      return isIndex(value.voter) ? { source: 'vote', field: value.field, row: value.row, voter: value.voter } : undefined;
  }
}

/** Anything else the webview might post (a bug, or injected script) is ignored. */
export function parseWebviewMessage(value: unknown): FromWebview | undefined {
  if (!isRecord(value) || !oneOf(WEBVIEW_MESSAGE_TYPES, value.type)) {
    return undefined;
  }
  switch (value.type) {
    case 'ready':
      return isRenderId(value.renderId) ? { type: 'ready', renderId: value.renderId } : undefined;
    case 'rendered':
      return isRenderId(value.renderId) ? { type: 'rendered', renderId: value.renderId } : undefined;
    case 'copy':
      return oneOf(COPY_FIELDS, value.field) ? { type: 'copy', field: value.field } : undefined;
    case 'action':
      return oneOf(PANEL_ACTIONS, value.action) ? { type: 'action', action: value.action } : undefined;
    case 'fields':
      return typeof value.open === 'boolean' ? { type: 'fields', open: value.open } : undefined;
    case 'chooseField':
      return isIndex(value.field) ? { type: 'chooseField', field: value.field } : undefined;
    case 'openValue': {
      const ref = parseValueRef(value.value);
      return ref ? { type: 'openValue', value: ref } : undefined;
    }
    case 'document':
      return typeof value.open === 'boolean' ? { type: 'document', open: value.open } : undefined;
    case 'documentDrawn':
      return isFileKey(value.fileKey) &&
        isIndex(value.page) &&
        isDuration(value.ms) &&
        (value.memoryBytes === null || (typeof value.memoryBytes === 'number' && Number.isSafeInteger(value.memoryBytes) && value.memoryBytes >= 0))
        ? { type: 'documentDrawn', fileKey: value.fileKey, page: value.page, ms: value.ms, memoryBytes: value.memoryBytes }
        : undefined;
  }
}

/** What the webview accepts from the host: the same care, since a message event can come from elsewhere. */
export function parseHostMessage(value: unknown): ToWebview | undefined {
  if (!isRecord(value) || !oneOf(HOST_MESSAGE_TYPES, value.type)) {
    return undefined;
  }
  const ref = parseJobRef(value.ref);
  if (!ref) {
    return undefined;
  }
  switch (value.type) {
    case 'show':
      return isRenderId(value.renderId) && typeof value.html === 'string' && oneOf(PANEL_VIEWS, value.view)
        ? { type: 'show', renderId: value.renderId, html: value.html, ref, view: value.view }
        : undefined;
    case 'fields':
    case 'document':
      return isRenderId(value.renderId) && typeof value.html === 'string' ? { type: value.type, renderId: value.renderId, html: value.html, ref } : undefined;
    case 'documentFile':
      return isFileKey(value.fileKey) && oneOf(DOCUMENT_DISPLAYS, value.display) && value.bytes instanceof Uint8Array
        ? { type: 'documentFile', ref, fileKey: value.fileKey, display: value.display, bytes: value.bytes }
        : undefined;
    case 'highlight': {
      const box = parsePageBox(value.box);
      return isFileKey(value.fileKey) && box !== undefined ? { type: 'highlight', ref, fileKey: value.fileKey, box } : undefined;
    }
  }
}

/**
 * What the webview keeps with `setState` and VS Code hands back after a window reload: the job's
 * ids and how it was being looked at, never server data (the job is loaded again through the
 * repository). src/webview/panel.ts writes it in this shape.
 */
export interface SavedPanelState {
  version: 1;
  ref: JobRef;
  rawOpen: boolean;
  /** The Fields section was open (absent in states saved before it existed: closed). */
  fieldsOpen: boolean;
  /** The Document section was open (absent in older states: closed). */
  documentOpen: boolean;
  scrollY: number;
}

/** Far beyond any page the panel shows; a larger number is not a scroll position of ours. */
const MAX_SCROLL_Y = 10_000_000;

/** The saved state is read like any input from the webview: anything off is no state at all. */
export function parseSavedPanelState(value: unknown): SavedPanelState | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const ref = parseJobRef(value.ref);
  if (
    value.version !== 1 ||
    !ref ||
    typeof value.rawOpen !== 'boolean' ||
    (value.fieldsOpen !== undefined && typeof value.fieldsOpen !== 'boolean') ||
    (value.documentOpen !== undefined && typeof value.documentOpen !== 'boolean')
  ) {
    return undefined;
  }
  const scrollY = typeof value.scrollY === 'number' && Number.isFinite(value.scrollY) ? Math.min(Math.max(0, Math.round(value.scrollY)), MAX_SCROLL_Y) : 0;
  return { version: 1, ref, rawOpen: value.rawOpen, fieldsOpen: value.fieldsOpen === true, documentOpen: value.documentOpen === true, scrollY };
}

const REF_FIELDS = ['workflowId', 'experimentId', 'runId', 'documentId'] as const satisfies ReadonlyArray<keyof JobRef>;

/** Only the four ids, each one a safe id: whatever else the object carries stays behind. */
export function parseJobRef(value: unknown): JobRef | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const ids: string[] = [];
  for (const field of REF_FIELDS) {
    const raw = value[field];
    if (typeof raw !== 'string' || !isSafeId(raw)) {
      return undefined;
    }
    ids.push(raw);
  }
  const [workflowId, experimentId, runId, documentId] = ids;
  return { workflowId, experimentId, runId, documentId };
}

export function sameRef(a: JobRef, b: JobRef): boolean {
  return REF_FIELDS.every((field) => a[field] === b[field]);
}
