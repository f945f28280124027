/** The JSON shapes the sandbox sends, spelled as the Retab API spells them (see /work/shared/retab-api.md). */

export type BlockKind = 'extract' | 'classifier' | 'split' | 'for_each';
export type ExperimentStatus = 'draft' | 'processing' | 'completed' | 'failed' | 'cancelled';
export type RunStatus = 'pending' | 'running' | 'completed' | 'error' | 'cancelled';
export type JobStatus = RunStatus | 'skipped';
export type SchemaDrift = 'unknown' | 'none' | 'drifted';
export type Consensus = 3 | 5 | 7;
export type ArtifactOperation = 'extraction' | 'classification' | 'split' | 'parse' | 'edit' | 'partition';

export type HandleInput =
  | { type: 'file'; filename: string }
  | { type: 'json'; value: Record<string, string | number | boolean> }
  | { type: 'text'; text: string };

export interface WorkflowJson {
  id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
  published: { snapshot_id: string; published_at: string } | null;
}

export interface ExperimentJson {
  id: string;
  workflow_id: string;
  block_id: string;
  name: string;
  block_kind: BlockKind;
  n_consensus: Consensus;
  document_count: number;
  status: ExperimentStatus;
  score: number | null;
  last_run_id: string | null;
  is_stale: boolean;
  schema_drift: SchemaDrift;
  created_at: string;
  updated_at: string;
}

export interface RunSummaryJson {
  id: string;
  status: RunStatus;
  block_kind: BlockKind;
  score: number | null;
  document_count: number;
  error_count: number;
  n_consensus: Consensus;
  created_at: string;
  completed_at: string | null;
  duration_ms: number | null;
  definition_fingerprint: string;
  documents_fingerprint: string;
  parent_run_id: string | null;
  job_id: string;
}

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
