import type { ExportRow } from '../../../src/analysis/runExport';

/** A row of a run's CSV export: a failed document with nothing but ids; overrides replace fields. */
export function exportRow(overrides: Partial<ExportRow> = {}): ExportRow {
  return {
    document_id: 'expdoc_1',
    job_id: 'expjob_1',
    filename: 'invoice.pdf',
    status: 'error',
    score: null,
    duration_ms: null,
    error: null,
    artifact_operation: null,
    artifact_id: null,
    ...overrides,
  };
}
