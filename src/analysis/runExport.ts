import { Job, documentLabel } from '../api/models';

export interface ExportRow {
  document_id: string;
  job_id: string;
  filename: string;
  status: string;
  score: number | null;
  duration_ms: number | null;
  error: string | null;
  artifact_operation: string | null;
  artifact_id: string | null;
}

export function exportRows(jobs: readonly Job[], scores: ReadonlyMap<string, number | null>): ExportRow[] {
  return jobs.map((job) => ({
    document_id: job.documentId,
    job_id: job.id,
    filename: documentLabel(job),
    status: job.status,
    score: scores.get(job.documentId) ?? null,
    duration_ms: job.durationMs,
    error: job.error,
    artifact_operation: job.artifact?.operation ?? null,
    artifact_id: job.artifact?.id ?? null,
  }));
}

const COLUMNS: ReadonlyArray<keyof ExportRow> = [
  'document_id',
  'job_id',
  'filename',
  'status',
  'score',
  'duration_ms',
  'error',
  'artifact_operation',
  'artifact_id',
];

/**
 * RFC 4180 CSV. Cells that a spreadsheet would run as a formula are prefixed with `'`: file
 * names and errors come from the server and are not trusted. Spreadsheets skip leading spaces
 * and line breaks before `=`, `+`, `-` or `@` (and read full-width ＝＋－＠ in some locales), and
 * a tab or carriage return first is an injection vector of its own (OWASP "CSV injection").
 */
export function* csvLines(rows: Iterable<ExportRow>): Generator<string> {
  yield COLUMNS.join(',');
  for (const row of rows) {
    yield COLUMNS.map((column) => csvCell(row[column])).join(',');
  }
}

/** Anchored, one character class then one character: linear on any cell. */
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

export function csvCell(value: string | number | null): string {
  if (value === null) {
    return '';
  }
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
