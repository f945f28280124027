/**
 * The sandbox's own vocabulary, spelled as the seed generation (G1, /work/shared/retab-api.md) spells
 * it; nested.ts and flat.ts turn it into each generation's JSON.
 */

export type BlockKind = 'extract' | 'classifier' | 'split' | 'for_each';
export type ExperimentStatus = 'draft' | 'processing' | 'completed' | 'failed' | 'cancelled';
export type RunStatus = 'pending' | 'running' | 'completed' | 'error' | 'cancelled';
export type JobStatus = RunStatus | 'skipped';
export type SchemaDrift = 'unknown' | 'none' | 'drifted';
export type Consensus = 3 | 5 | 7;
export type ArtifactOperation = 'extraction' | 'classification' | 'split' | 'parse' | 'edit' | 'partition';

/** A file as the flat generations (and the SDKs' own tests) name it. */
export interface FileDocumentRef {
  id: string;
  filename: string;
  mime_type: string;
  /** G2's `MaterializedDocument` also requires these (SDK 91b7543e, types/workflows/model.py). */
  original_id?: string;
  gcs_uri?: string;
  size_bytes?: number;
}

/**
 * One input handle of a job or result. Files come in two shapes: the seed page's
 * `{type: 'file', filename}` and the SDKs' `{type: 'file', document: {id, filename, mime_type}}`;
 * JSON inputs carry their value in `data`. `text` exists only in the nested generations, whose
 * SDK types leave `handle_inputs` open.
 */
export type HandleInput =
  { type: 'file'; filename: string } | { type: 'file'; document: FileDocumentRef } | { type: 'json'; data: unknown } | { type: 'text'; text: string };

export interface JobJson {
  id: string;
  run_id: string;
  experiment_id: string;
  document_id: string;
  status: JobStatus;
  block_kind: BlockKind;
  handle_inputs: Record<string, HandleInput>;
  artifact: { operation: ArtifactOperation; id: string } | null;
  error: string | null;
  duration_ms: number | null;
  attempt: number;
  is_placeholder: boolean;
  created_at: string | null;
  started_at: string | null;
  completed_at: string | null;
}

/** ISO 8601 in UTC; whole seconds drop the `.000`, as the seed page writes them. */
export function iso(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z');
}

/** The same instant without a zone, as some real servers write UTC (`2026-07-01T10:00:00`). */
export function isoWithoutZone(epochMs: number): string {
  return iso(epochMs).replace(/Z$/, '');
}
