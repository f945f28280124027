/**
 * The domain: what the extension knows about workflows, experiments, runs and jobs, in one shape
 * whatever generation of the API it came from. Dialects (src/api/dialects) turn each
 * generation's wire JSON into these; nothing outside src/api sees wire JSON but a job's `raw`,
 * which the job panel shows as the server sent it.
 */
import { JsonObject } from './validate';

export const BLOCK_KINDS = ['extract', 'classifier', 'split', 'for_each', 'unknown'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

export const EXPERIMENT_STATUSES = ['draft', 'processing', 'completed', 'failed', 'cancelled', 'unknown'] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

/** `queued` arrived with the flat generation: created, waiting for a worker, still live. */
export const RUN_STATUSES = ['pending', 'queued', 'running', 'completed', 'error', 'cancelled', 'unknown'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const JOB_STATUSES = ['pending', 'queued', 'running', 'completed', 'error', 'cancelled', 'skipped', 'unknown'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const SCHEMA_DRIFTS = ['unknown', 'none', 'partial', 'drifted'] as const;
export type SchemaDrift = (typeof SCHEMA_DRIFTS)[number];

export const FRESHNESS_STATES = ['fresh', 'stale', 'unknown'] as const;
export type FreshnessState = (typeof FRESHNESS_STATES)[number];

const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'error', 'cancelled', 'skipped']);

/** Terminal jobs and runs never change again, which is what makes caching them forever safe. */
export function isTerminal(status: JobStatus | RunStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** Pending, queued or running: worth refreshing while on screen. */
export function isLive(status: JobStatus | RunStatus): boolean {
  return status === 'pending' || status === 'queued' || status === 'running';
}

export interface Workflow {
  id: string;
  name: string;
  description: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  /** `snapshot_id` in the seed's generation, `version_id` since. */
  published: { versionId: string | null; publishedAt: string | null } | null;
}

export interface WorkflowPage {
  workflows: Workflow[];
  nextCursor: string | null;
  previousCursor: string | null;
}

export interface Freshness {
  state: FreshnessState;
  /** The server's words for why, e.g. `inputs_changed`. */
  reasons: string[];
}

export interface Experiment {
  id: string;
  workflowId: string;
  blockId: string | null;
  name: string;
  blockKind: BlockKind;
  nConsensus: number | null;
  documentCount: number;
  /** `draft` when the server leaves it out, as the SDKs default it. */
  status: ExperimentStatus;
  score: number | null;
  lastRunId: string | null;
  isStale: boolean;
  schemaDrift: SchemaDrift;
  schemaDriftDetail: string | null;
  /** Only from servers that report it (flat generation); null elsewhere. */
  freshness: Freshness | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface RunSummary {
  id: string;
  experimentId: string | null;
  status: RunStatus;
  /** Why a run failed or was cancelled, when the server says. */
  statusMessage: string | null;
  blockKind: BlockKind;
  score: number | null;
  documentCount: number;
  /** Documents the run will process and has finished, for progress while it is live. */
  totalDocumentCount: number;
  completedDocumentCount: number;
  errorCount: number;
  nConsensus: number | null;
  createdAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  durationMs: number | null;
  /** What the block looked like when it ran: `definition_fingerprint`, later `block_execution_fingerprint`. */
  definitionFingerprint: string | null;
  /** The block version the run used (flat servers; null when the server does not say). */
  blockVersionId: string | null;
  /** The workflow version the run ran (`workflow_version_id`, G2's `workflow.version_id`); null on nested servers. */
  workflowVersionId: string | null;
  documentsFingerprint: string | null;
  parentRunId: string | null;
  jobId: string | null;
}

export interface HandleInput {
  handle: string;
  type: string | null;
  filename: string | null;
  /** The uploaded file (`file_…`) when the input names one (`document.id`); the seed's shape gives only a file name. */
  fileId: string | null;
  mimeType: string | null;
  /** The input's own object, shown as-is for handle types we do not know. */
  value: unknown;
}

export interface ArtifactRef {
  operation: string;
  id: string;
}

export interface Job {
  /** `expjob_…` in the nested generations, `expresult_…` in the flat ones. */
  id: string;
  runId: string;
  experimentId: string;
  documentId: string;
  status: JobStatus;
  blockKind: BlockKind;
  handleInputs: HandleInput[];
  artifact: ArtifactRef | null;
  error: string | null;
  durationMs: number | null;
  createdAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  attempt: number;
  isPlaceholder: boolean;
  /** The object as the server sent it, for the raw JSON view. */
  readonly raw: JsonObject;
}

export interface RunContent {
  experimentId: string;
  runId: string | null;
  jobs: Job[];
  /** Paging stopped at its bound before the server's last page. */
  truncated: boolean;
}

export interface DocumentMetric {
  id: string;
  filename: string | null;
  score: number | null;
  priorScore: number | null;
}

/** One field path's run-level score (the share of voters agreeing with the consensus), or one label's. */
export interface RunFieldScore {
  path: string;
  score: number | null;
}

/**
 * The summary's per-field scores. Extract and for_each blocks send `aggregate.likelihoods` (field
 * path → score); classifier and split blocks send the labels' confusion diagonal `aggregate.diag`
 * (label → how often votes agreed with it), and their labels play the part of fields.
 */
export interface RunFieldScores {
  /** `path`: field paths (`likelihoods`); `label`: classifier categories or split subdocuments (`diag`). */
  kind: 'path' | 'label';
  /** Worst first, unscored last, ties in the server's order; at most MAX_RUN_FIELDS (dialects/common.ts). */
  scores: RunFieldScore[];
  /** How many the server listed: more than `scores` holds when it listed more than the bound. */
  total: number;
}

export type RunMetrics =
  | {
      kind: 'summary';
      experimentId: string | null;
      runId: string | null;
      blockKind: BlockKind;
      score: number | null;
      priorScore: number | null;
      priorRunId: string | null;
      documents: DocumentMetric[];
      /** The run-level score of each field (or label), from `aggregate`; null when it gives none. */
      fields: RunFieldScores | null;
      aggregate: JsonObject | null;
    }
  | { kind: 'unavailable'; reason: string; message: string | null };

export interface StartedRun {
  experimentId: string;
  runId: string;
  status: RunStatus;
  documentCount: number;
  nConsensus: number | null;
}

export interface CancelledRun {
  status: string;
  runId: string | null;
}

/** What a generation can do; the UI offers only these and says why when it cannot. */
export interface Capabilities {
  /** Start Run takes a consensus count for that run. */
  perRunConsensus: boolean;
  /** Start Run can re-run only the documents that failed last time. */
  retryFailedOnly: boolean;
  /** A never-run experiment lists one placeholder job per document. */
  placeholders: boolean;
  /** One document's job has a route of its own (the seed's); otherwise it is found in its run's results. */
  jobByDocumentRoute: boolean;
  /** Cancel names a run; otherwise it cancels whatever the experiment is running. */
  cancelByRun: boolean;
  /** A run, an experiment and a result can each be read by id alone (no workflow id needed). */
  lookupById: boolean;
  /**
   * The workflow evals routes (`/workflows/evals…`) belong to this generation. Where they do, a
   * server may still answer 405 (evals not enabled there): the evals client finds that out once.
   */
  evals: boolean;
  /**
   * A run's results list takes `order=desc`, so a big run is read from both ends at once. Not in
   * the API's docs for results (it is for every other list): the reader checks the first answers
   * and reads from the start alone when the server ignores it.
   */
  resultsFromBothEnds: boolean;
  /**
   * The workflow blocks routes (`/workflows/blocks…`: a block's config, its versions,
   * validate-config, publish). A server of such a generation may still answer 404 or 405 there:
   * the block client finds that out when asked.
   */
  blocks: boolean;
}

/** The label users recognise a document by: its file name, else its id. */
export function documentLabel(job: Pick<Job, 'handleInputs' | 'documentId'>): string {
  const withFile = job.handleInputs.find((input) => input.filename);
  return withFile?.filename ?? job.documentId;
}

/** Milliseconds since the epoch, for ordering; timestamps are normalised to UTC when parsed. */
export function timeOf(timestamp: string | null): number {
  if (!timestamp) {
    return Number.NEGATIVE_INFINITY;
  }
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/**
 * Runs as users speak of them, "run 6": numbered from 1 for the oldest. `runs` are newest first,
 * as every list of runs in the extension is.
 */
export function numberedRuns<T>(runs: readonly T[]): Array<{ run: T; number: number }> {
  return runs.map((run, index) => ({ run, number: runs.length - index }));
}

/** Newest first, by time rather than by string; ties keep the server's order. */
export function newestFirst<T extends { createdAt: string | null }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index, time: timeOf(item.createdAt) }))
    .sort((a, b) => (b.time === a.time ? a.index - b.index : b.time > a.time ? 1 : -1))
    .map((entry) => entry.item);
}

/** A field (target) path's score in one document, and its consensus value there. */
export interface FieldScore {
  path: string;
  score: number | null;
  priorScore: number | null;
  /** The consensus value: server data, shown as text. */
  value: unknown;
}

/** Confusion between labels, for classifier and split blocks. */
export interface Confusion {
  /** Label → how often it agreed with itself. */
  diagonal: Array<{ label: string; score: number }>;
  /** Where the votes flowed: from one label to another. */
  flows: Array<{ from: string; to: string; score: number }>;
}

export interface MetricDocumentRef {
  id: string;
  filename: string | null;
}

/** `view=by_document`: every field of one document with its score and change. */
export interface DocumentFields {
  kind: 'by_document';
  runId: string;
  document: MetricDocumentRef;
  score: number | null;
  priorScore: number | null;
  fields: FieldScore[];
  confusion: Confusion | null;
}

/** `view=by_target`: one field across the run's documents. */
export interface FieldDocuments {
  kind: 'by_target';
  runId: string;
  path: string;
  score: number | null;
  priorScore: number | null;
  documents: Array<MetricDocumentRef & { score: number | null; priorScore: number | null; value: unknown }>;
  /** The field's own agreement and where its votes flowed from and to. */
  confusion: { self: number | null; flowFrom: Array<{ label: string; score: number }>; flowTo: Array<{ label: string; score: number }> } | null;
}

export interface VoteRow {
  consensus: unknown;
  votes: unknown[];
  score: number | null;
  presentVoterCount: number | null;
  totalVoterCount: number | null;
}

/** `view=votes`: the consensus value and every voter's value for one document and field. */
export interface FieldVotes {
  kind: 'votes';
  runId: string;
  document: MetricDocumentRef;
  path: string;
  score: number | null;
  priorScore: number | null;
  rows: VoteRow[];
}

/** Metrics that may not exist for a run (never scored, or stale): said as such, never an error. */
export type Unavailable = { kind: 'unavailable'; reason: string; message: string | null };

/** A field disagrees when its score is below full agreement. */
export function disagrees(score: number | null): boolean {
  return score !== null && score < 1;
}
