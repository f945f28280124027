/**
 * Every run of an experiment side by side: one column per run (newest first), one row per field
 * path (or label) or per document, each cell a score with its change against the column to its
 * right (the run before). Pure: the Runs table's webview, its exports and the agents' compare tool
 * all read this one model.
 */
import { l10n } from '../l10n';
import { RunMetrics, RunSummary, isLive } from '../api/models';

export type TableMode = 'fields' | 'documents';

/** Why a run's column has no scores, or why they may not be trusted. */
export type ColumnState = 'ok' | 'live' | 'no_metrics' | 'stale' | 'failed';

export interface RunColumn {
  runId: string;
  /** "Run 7": numbered from the oldest. */
  number: number;
  createdAt: string | null;
  status: RunSummary['status'];
  score: number | null;
  documentCount: number;
  errorCount: number;
  state: ColumnState;
  /** The server's words for a missing or stale state. */
  stateMessage: string | null;
  definitionFingerprint: string | null;
  /** This run used another block definition than the run before it (the block was edited between them). */
  definitionChanged: boolean;
}

export interface TableCell {
  score: number | null;
  /** Against the next column (the run before); null when either has no score. */
  delta: number | null;
}

export interface TableRow {
  /** A field path or label, or a document id. */
  key: string;
  /** What people read: the path, or a document's file name. */
  label: string;
  cells: TableCell[];
  /** The change between the two newest columns that have a score here (negative: got worse). */
  latestChange: number | null;
}

export interface RunInput {
  run: RunSummary;
  /** 1 for the oldest. */
  number: number;
  /** The run's summary scores; undefined when they could not be read. */
  metrics: RunMetrics | undefined;
}

export interface RunsTable {
  mode: TableMode;
  columns: RunColumn[];
  /** Overall score, then documents and errors: the rows on top. */
  overall: TableRow;
  rows: TableRow[];
  /** `path` for extraction fields, `label` for classifier and split labels. */
  rowKind: 'path' | 'label' | 'document';
}

/** A column index to sort by, or the regression order, or by name. */
export type TableSort = { by: 'regression' } | { by: 'name' } | { by: 'column'; column: number; descending?: boolean };

export interface TableView {
  sort: TableSort;
  /** Case-insensitive part of the row's label. */
  filter: string;
}

function columnState(input: RunInput): { state: ColumnState; message: string | null } {
  if (isLive(input.run.status)) {
    return { state: 'live', message: null };
  }
  const metrics = input.metrics;
  if (!metrics) {
    return { state: 'failed', message: null };
  }
  if (metrics.kind === 'unavailable') {
    return { state: metrics.reason === 'stale_metrics' ? 'stale' : 'no_metrics', message: metrics.message };
  }
  return { state: 'ok', message: null };
}

function delta(score: number | null, before: number | null): number | null {
  return score === null || before === null ? null : score - before;
}

/** Deltas against the column to the right, and the change between the two newest scored cells. */
function withDeltas(scores: Array<number | null>): { cells: TableCell[]; latestChange: number | null } {
  const cells = scores.map((score, index) => {
    // The run before with a score here: a column without metrics does not break the chain.
    let before: number | null = null;
    for (let next = index + 1; next < scores.length && before === null; next++) {
      before = scores[next];
    }
    return { score, delta: delta(score, before) };
  });
  const scored = scores.filter((score): score is number => score !== null);
  return { cells, latestChange: scored.length >= 2 ? scored[0] - scored[1] : null };
}

/**
 * The table for `runs` (any order: columns come out newest first, as every list of runs in the
 * extension). Fields that appear in some runs only get empty cells in the others; a field's
 * position does not depend on which run listed it first.
 */
export function buildRunsTable(inputs: readonly RunInput[], mode: TableMode): RunsTable {
  const ordered = [...inputs].sort((a, b) => b.number - a.number);
  const columns: RunColumn[] = ordered.map((input, index) => {
    const { state, message } = columnState(input);
    const older = ordered[index + 1];
    const fingerprint = input.run.definitionFingerprint;
    return {
      runId: input.run.id,
      number: input.number,
      createdAt: input.run.createdAt,
      status: input.run.status,
      score: input.run.score ?? (input.metrics?.kind === 'summary' ? input.metrics.score : null),
      documentCount: input.run.documentCount,
      errorCount: input.run.errorCount,
      state,
      stateMessage: message,
      definitionFingerprint: fingerprint,
      definitionChanged:
        older !== undefined && fingerprint !== null && older.run.definitionFingerprint !== null && fingerprint !== older.run.definitionFingerprint,
    };
  });
  const summaries = ordered.map((input) => (input.metrics?.kind === 'summary' ? input.metrics : undefined));
  const overall: TableRow = { key: '', label: l10n.t('Score'), ...withDeltas(columns.map((column) => column.score)) };
  const scoresByKey = new Map<string, { label: string; scores: Array<number | null> }>();
  const entry = (key: string, label: string): Array<number | null> => {
    let found = scoresByKey.get(key);
    if (!found) {
      found = { label, scores: columns.map(() => null) };
      scoresByKey.set(key, found);
    }
    return found.scores;
  };
  let rowKind: RunsTable['rowKind'] = mode === 'documents' ? 'document' : 'path';
  summaries.forEach((summary, column) => {
    if (!summary) {
      return;
    }
    if (mode === 'fields') {
      if (summary.fields?.kind === 'label') {
        rowKind = 'label';
      }
      for (const field of summary.fields?.scores ?? []) {
        entry(field.path, field.path)[column] = field.score;
      }
    } else {
      for (const document of summary.documents) {
        entry(document.id, document.filename ?? document.id)[column] = document.score;
      }
    }
  });
  const rows = [...scoresByKey].map(([key, { label, scores }]): TableRow => ({ key, label, ...withDeltas(scores) }));
  return { mode, columns, overall, rows, rowKind };
}

const byLabel = (a: TableRow, b: TableRow): number => a.label.localeCompare(b.label);

/** Worst drop first; rows without a change after them (in label order), so a regression is never below a row that did not move. */
function regressionOrder(a: TableRow, b: TableRow): number {
  if (a.latestChange === null || b.latestChange === null) {
    return a.latestChange === null && b.latestChange === null ? byLabel(a, b) : a.latestChange === null ? 1 : -1;
  }
  return a.latestChange - b.latestChange || byLabel(a, b);
}

/** The rows as a view shows them: filtered by label, then sorted (stable). */
export function arrangeRows(table: RunsTable, view: TableView): TableRow[] {
  const filter = view.filter.trim().toLowerCase();
  const kept = filter ? table.rows.filter((row) => row.label.toLowerCase().includes(filter) || row.key.toLowerCase().includes(filter)) : [...table.rows];
  const sort = view.sort;
  if (sort.by === 'regression') {
    return kept.sort(regressionOrder);
  }
  if (sort.by === 'name') {
    return kept.sort(byLabel);
  }
  const column = sort.column;
  const direction = sort.descending ? -1 : 1;
  return kept.sort((a, b) => {
    const left = a.cells[column]?.score ?? null;
    const right = b.cells[column]?.score ?? null;
    // Empty cells last, whichever the direction.
    if (left === null || right === null) {
      return left === null && right === null ? byLabel(a, b) : left === null ? 1 : -1;
    }
    return (left - right) * direction || byLabel(a, b);
  });
}

/** Only the chosen runs' columns (by id), in the table's order: what the person picked to compare. */
export function selectColumns(table: RunsTable, runIds: ReadonlySet<string>): RunsTable {
  const keep = table.columns.map((column, index) => (runIds.has(column.runId) ? index : -1)).filter((index) => index >= 0);
  const pick = (row: TableRow): TableRow => ({ ...row, ...withDeltas(keep.map((index) => row.cells[index].score)) });
  const columns = keep.map((index, position) => {
    const column = table.columns[index];
    const older = table.columns[keep[position + 1] ?? -1];
    return {
      ...column,
      definitionChanged:
        older !== undefined &&
        column.definitionFingerprint !== null &&
        older.definitionFingerprint !== null &&
        column.definitionFingerprint !== older.definitionFingerprint,
    };
  });
  return { ...table, columns, overall: pick(table.overall), rows: table.rows.map(pick).filter((row) => row.cells.some((cell) => cell.score !== null)) };
}
