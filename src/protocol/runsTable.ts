/**
 * The one message protocol of the Runs table, shared by the host (src/ui/runsTable/) and its
 * webview (src/webview/runsTable.ts). Both sides check what they receive against it: a message
 * event can come from elsewhere, and keys are server text.
 */
import type { RunsTable, TableMode, TableSort, TableView } from '../analysis/runsTable';

export const RUNS_TABLE_VIEW_TYPE = 'retab.runsTable';

/** What the page shows: the table of the runs chosen, and what it is about. */
export interface RunsTablePayload {
  title: string;
  mode: TableMode;
  table: RunsTable;
  /** Runs shown, of how many the experiment has. */
  chosen: number;
  /** The run ids chosen (empty: every run), kept in the page's state for a restored window. */
  runIds: string[];
  runCount: number;
  /** HH:MM:SS of the read. */
  readAt: string;
}

export type ToWebview = { type: 'show'; payload: RunsTablePayload } | { type: 'progress'; read: number; total: number } | { type: 'failed'; message: string };

export type ExportFormat = 'csv' | 'markdown';

export type FromWebview =
  | { type: 'ready' }
  | { type: 'mode'; mode: TableMode }
  /** A cell: a field's disagreeing documents in that run, or a document's job in that run. */
  | { type: 'openCell'; column: number; key: string }
  | { type: 'chooseRuns' }
  /** A column header's or a definition-change marker's *Compare Definitions*: this run's block definition against the run before it. */
  | { type: 'compareDefinitions'; column: number }
  | { type: 'refresh' }
  | { type: 'export'; format: ExportFormat; view: TableView }
  /** The page drew a table: how long it took from the message to the last cell, and how many cells are in the DOM. */
  | { type: 'rendered'; ms: number; cells: number };

/** What the webview keeps across reloads (getState/setState) and the serializer restores from. */
export interface RunsTableState {
  workflowId: string;
  experimentId: string;
  mode: TableMode;
  view: TableView;
  /** Run ids chosen; empty: every run. */
  runIds: string[];
}

const MAX_KEY_LENGTH = 2_000;
const MAX_FILTER_LENGTH = 200;
const MAX_COLUMNS = 500;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMode(value: unknown): value is TableMode {
  return value === 'fields' || value === 'documents';
}

function isColumn(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < MAX_COLUMNS;
}

export function parseSort(value: unknown): TableSort | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  if (value.by === 'regression' || value.by === 'name') {
    return { by: value.by };
  }
  if (value.by === 'column' && isColumn(value.column) && (value.descending === undefined || typeof value.descending === 'boolean')) {
    return { by: 'column', column: value.column, descending: value.descending === true };
  }
  return undefined;
}

export function parseView(value: unknown): TableView | undefined {
  if (!isRecord(value) || typeof value.filter !== 'string' || value.filter.length > MAX_FILTER_LENGTH) {
    return undefined;
  }
  const sort = parseSort(value.sort);
  return sort ? { sort, filter: value.filter } : undefined;
}

export function parseWebviewMessage(value: unknown): FromWebview | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  switch (value.type) {
    case 'ready':
    case 'chooseRuns':
    case 'refresh':
      return { type: value.type };
    case 'mode':
      return isMode(value.mode) ? { type: 'mode', mode: value.mode } : undefined;
    case 'compareDefinitions':
      return isColumn(value.column) ? { type: 'compareDefinitions', column: value.column } : undefined;
    case 'openCell':
      return isColumn(value.column) && typeof value.key === 'string' && value.key.length <= MAX_KEY_LENGTH
        ? { type: 'openCell', column: value.column, key: value.key }
        : undefined;
    case 'rendered':
      return typeof value.ms === 'number' &&
        Number.isFinite(value.ms) &&
        value.ms >= 0 &&
        typeof value.cells === 'number' &&
        Number.isSafeInteger(value.cells) &&
        value.cells >= 0
        ? { type: 'rendered', ms: value.ms, cells: value.cells }
        : undefined;
    case 'export': {
      const view = parseView(value.view);
      return (value.format === 'csv' || value.format === 'markdown') && view ? { type: 'export', format: value.format, view } : undefined;
    }
    default:
      return undefined;
  }
}

/** The state a restored panel was saved with, if it is one. */
export function parseState(value: unknown): RunsTableState | undefined {
  if (!isRecord(value) || typeof value.workflowId !== 'string' || typeof value.experimentId !== 'string' || !isMode(value.mode)) {
    return undefined;
  }
  const view = parseView(value.view) ?? { sort: { by: 'regression' }, filter: '' };
  const runIds = Array.isArray(value.runIds) ? value.runIds.filter((id): id is string => typeof id === 'string' && id.length <= 200).slice(0, MAX_COLUMNS) : [];
  return { workflowId: value.workflowId, experimentId: value.experimentId, mode: value.mode, view, runIds };
}

/** What the page accepts from the host. */
export function parseHostMessage(value: unknown): ToWebview | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  if (
    value.type === 'show' &&
    isRecord(value.payload) &&
    isRecord(value.payload.table) &&
    Array.isArray(value.payload.table.columns) &&
    Array.isArray(value.payload.table.rows)
  ) {
    return { type: 'show', payload: value.payload as unknown as RunsTablePayload };
  }
  if (value.type === 'progress' && typeof value.read === 'number' && typeof value.total === 'number') {
    return { type: 'progress', read: value.read, total: value.total };
  }
  if (value.type === 'failed' && typeof value.message === 'string') {
    return { type: 'failed', message: value.message };
  }
  return undefined;
}
