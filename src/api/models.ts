import {
  JsonObject,
  array,
  booleanOr,
  enumOr,
  invalid,
  isObject,
  numberOr,
  object,
  optionalNumber,
  optionalObject,
  optionalString,
  requiredEnum,
  requiredString,
} from './validate';

export const BLOCK_KINDS = ['extract', 'classifier', 'split', 'for_each', 'unknown'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

export const EXPERIMENT_STATUSES = ['draft', 'processing', 'completed', 'failed', 'cancelled', 'unknown'] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

export const RUN_STATUSES = ['pending', 'running', 'completed', 'error', 'cancelled', 'unknown'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const JOB_STATUSES = ['pending', 'running', 'completed', 'error', 'cancelled', 'skipped', 'unknown'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const SCHEMA_DRIFTS = ['unknown', 'none', 'drifted'] as const;
export type SchemaDrift = (typeof SCHEMA_DRIFTS)[number];

const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'error', 'cancelled', 'skipped']);

/** Terminal jobs and runs never change again, which is what makes caching them forever safe. */
export function isTerminal(status: JobStatus | RunStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** Every model keeps the object it came from, so fields we do not model yet are never lost. */
interface HasRaw {
  readonly raw: JsonObject;
}

export interface Workflow extends HasRaw {
  id: string;
  name: string;
  description: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  published: { snapshotId: string | null; publishedAt: string | null } | null;
}

export interface WorkflowPage {
  workflows: Workflow[];
  nextCursor: string | null;
  previousCursor: string | null;
}

export interface Experiment extends HasRaw {
  id: string;
  workflowId: string;
  blockId: string | null;
  name: string;
  blockKind: BlockKind;
  nConsensus: number | null;
  documentCount: number | null;
  status: ExperimentStatus;
  score: number | null;
  lastRunId: string | null;
  isStale: boolean;
  schemaDrift: SchemaDrift;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface RunSummary extends HasRaw {
  id: string;
  status: RunStatus;
  blockKind: BlockKind;
  score: number | null;
  documentCount: number | null;
  errorCount: number | null;
  nConsensus: number | null;
  createdAt: string | null;
  completedAt: string | null;
  durationMs: number | null;
  definitionFingerprint: string | null;
  documentsFingerprint: string | null;
  parentRunId: string | null;
  jobId: string | null;
}

export interface HandleInput {
  handle: string;
  type: string | null;
  filename: string | null;
  /** The input's own object, shown as-is for handle types we do not know. */
  value: unknown;
}

export interface ArtifactRef {
  operation: string;
  id: string;
}

export interface Job extends HasRaw {
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
}

export interface RunContent {
  experimentId: string;
  runId: string | null;
  jobs: Job[];
}

export interface DocumentMetric {
  id: string;
  filename: string | null;
  score: number | null;
  priorScore: number | null;
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
      aggregate: JsonObject | null;
    }
  | { kind: 'unavailable'; reason: string; message: string | null };

export interface StartedRun extends HasRaw {
  experimentId: string;
  runId: string;
  status: string;
  documentCount: number | null;
  nConsensus: number | null;
}

export interface CancelledRun {
  status: string;
  runId: string | null;
}

export function parseWorkflow(value: unknown, path = 'workflow'): Workflow {
  const raw = object(value, path);
  const published = optionalObject(raw, 'published', path);
  return {
    raw,
    id: requiredString(raw, 'id', path),
    name: optionalString(raw, 'name', path) ?? 'Untitled Workflow',
    description: optionalString(raw, 'description', path),
    createdAt: optionalString(raw, 'created_at', path),
    updatedAt: optionalString(raw, 'updated_at', path),
    published: published && {
      snapshotId: optionalString(published, 'snapshot_id', `${path}.published`),
      publishedAt: optionalString(published, 'published_at', `${path}.published`),
    },
  };
}

export function parseWorkflowPage(value: unknown): WorkflowPage {
  const raw = object(value, 'response');
  const data = array(raw.data, 'response.data');
  const meta = optionalObject(raw, 'list_metadata', 'response');
  return {
    workflows: data.map((item, index) => parseWorkflow(item, `response.data[${index}]`)),
    nextCursor: meta ? optionalString(meta, 'after', 'response.list_metadata') : null,
    previousCursor: meta ? optionalString(meta, 'before', 'response.list_metadata') : null,
  };
}

export function parseExperiment(value: unknown, path = 'experiment'): Experiment {
  const raw = object(value, path);
  return {
    raw,
    id: requiredString(raw, 'id', path),
    workflowId: requiredString(raw, 'workflow_id', path),
    blockId: optionalString(raw, 'block_id', path),
    name: optionalString(raw, 'name', path) ?? 'Untitled experiment',
    blockKind: enumOr(raw, 'block_kind', path, BLOCK_KINDS, 'unknown'),
    nConsensus: optionalNumber(raw, 'n_consensus', path),
    documentCount: optionalNumber(raw, 'document_count', path),
    status: enumOr(raw, 'status', path, EXPERIMENT_STATUSES, 'unknown'),
    score: optionalNumber(raw, 'score', path),
    lastRunId: optionalString(raw, 'last_run_id', path),
    isStale: booleanOr(raw, 'is_stale', path, false),
    schemaDrift: enumOr(raw, 'schema_drift', path, SCHEMA_DRIFTS, 'unknown'),
    createdAt: optionalString(raw, 'created_at', path),
    updatedAt: optionalString(raw, 'updated_at', path),
  };
}

export function parseExperimentList(value: unknown): Experiment[] {
  return array(value, 'response').map((item, index) => parseExperiment(item, `response[${index}]`));
}

export function parseRunSummary(value: unknown, path = 'run'): RunSummary {
  const raw = object(value, path);
  return {
    raw,
    id: requiredString(raw, 'id', path),
    status: requiredEnum(raw, 'status', path, RUN_STATUSES, 'unknown'),
    blockKind: enumOr(raw, 'block_kind', path, BLOCK_KINDS, 'unknown'),
    score: optionalNumber(raw, 'score', path),
    documentCount: optionalNumber(raw, 'document_count', path),
    errorCount: optionalNumber(raw, 'error_count', path),
    nConsensus: optionalNumber(raw, 'n_consensus', path),
    createdAt: optionalString(raw, 'created_at', path),
    completedAt: optionalString(raw, 'completed_at', path),
    durationMs: optionalNumber(raw, 'duration_ms', path),
    definitionFingerprint: optionalString(raw, 'definition_fingerprint', path),
    documentsFingerprint: optionalString(raw, 'documents_fingerprint', path),
    parentRunId: optionalString(raw, 'parent_run_id', path),
    jobId: optionalString(raw, 'job_id', path),
  };
}

export function parseRunList(value: unknown): RunSummary[] {
  const raw = object(value, 'response');
  return array(raw.runs, 'response.runs').map((item, index) => parseRunSummary(item, `response.runs[${index}]`));
}

function parseHandleInputs(raw: JsonObject, path: string): HandleInput[] {
  const inputs = optionalObject(raw, 'handle_inputs', path);
  if (!inputs) {
    return [];
  }
  return Object.entries(inputs).map(([handle, value]) => {
    if (!isObject(value)) {
      return { handle, type: null, filename: null, value };
    }
    const inputPath = `${path}.handle_inputs.${handle}`;
    return {
      handle,
      type: optionalString(value, 'type', inputPath),
      filename: optionalString(value, 'filename', inputPath),
      value,
    };
  });
}

function parseArtifact(raw: JsonObject, path: string): ArtifactRef | null {
  const artifact = optionalObject(raw, 'artifact', path);
  if (!artifact) {
    return null;
  }
  return {
    operation: requiredString(artifact, 'operation', `${path}.artifact`),
    id: requiredString(artifact, 'id', `${path}.artifact`),
  };
}

export function parseJob(value: unknown, path = 'job'): Job {
  const raw = object(value, path);
  return {
    raw,
    id: requiredString(raw, 'id', path),
    runId: requiredString(raw, 'run_id', path),
    experimentId: requiredString(raw, 'experiment_id', path),
    documentId: requiredString(raw, 'document_id', path),
    status: requiredEnum(raw, 'status', path, JOB_STATUSES, 'unknown'),
    blockKind: enumOr(raw, 'block_kind', path, BLOCK_KINDS, 'unknown'),
    handleInputs: parseHandleInputs(raw, path),
    artifact: parseArtifact(raw, path),
    error: optionalString(raw, 'error', path),
    durationMs: optionalNumber(raw, 'duration_ms', path),
    createdAt: optionalString(raw, 'created_at', path),
    startedAt: optionalString(raw, 'started_at', path),
    completedAt: optionalString(raw, 'completed_at', path),
    attempt: numberOr(raw, 'attempt', path, 0),
    isPlaceholder: booleanOr(raw, 'is_placeholder', path, false),
  };
}

export function parseRunContent(value: unknown): RunContent {
  const raw = object(value, 'response');
  const content = object(raw.content, 'response.content');
  const jobs = array(content.jobs, 'response.content.jobs');
  return {
    experimentId: requiredString(raw, 'experiment_id', 'response'),
    runId: optionalString(raw, 'run_id', 'response'),
    jobs: jobs.map((item, index) => parseJob(item, `response.content.jobs[${index}]`)),
  };
}

export function parseRunMetrics(value: unknown): RunMetrics {
  const raw = object(value, 'response');
  const problem = optionalString(raw, 'error', 'response') ?? optionalString(raw, 'kind', 'response');
  if (problem && raw.documents === undefined) {
    return { kind: 'unavailable', reason: problem, message: optionalString(raw, 'message', 'response') };
  }
  const documents = array(raw.documents ?? [], 'response.documents').map((item, index) => {
    const path = `response.documents[${index}]`;
    const doc = object(item, path);
    return {
      id: requiredString(doc, 'id', path),
      filename: optionalString(doc, 'filename', path),
      score: optionalNumber(doc, 'score', path),
      priorScore: optionalNumber(doc, 'prior_score', path),
    };
  });
  return {
    kind: 'summary',
    experimentId: optionalString(raw, 'experiment_id', 'response'),
    runId: optionalString(raw, 'run_id', 'response'),
    blockKind: enumOr(raw, 'block_kind', 'response', BLOCK_KINDS, 'unknown'),
    score: optionalNumber(raw, 'score', 'response'),
    priorScore: optionalNumber(raw, 'prior_score', 'response'),
    priorRunId: optionalString(raw, 'prior_run_id', 'response'),
    documents,
    aggregate: optionalObject(raw, 'aggregate', 'response'),
  };
}

export function parseStartedRun(value: unknown): StartedRun {
  const raw = object(value, 'response');
  return {
    raw,
    experimentId: requiredString(raw, 'experiment_id', 'response'),
    runId: requiredString(raw, 'run_id', 'response'),
    status: optionalString(raw, 'status', 'response') ?? 'pending',
    documentCount: optionalNumber(raw, 'document_count', 'response'),
    nConsensus: optionalNumber(raw, 'n_consensus', 'response'),
  };
}

export function parseCancelledRun(value: unknown): CancelledRun {
  const raw = object(value, 'response');
  return {
    status: optionalString(raw, 'status', 'response') ?? 'cancelled',
    runId: optionalString(raw, 'run_id', 'response'),
  };
}

export function parseArtifactRecord(value: unknown): JsonObject {
  if (!isObject(value)) {
    throw invalid('response', 'an object', value);
  }
  return value;
}

/** The label users recognise a document by: its file name, else its id. */
export function documentLabel(job: Pick<Job, 'handleInputs' | 'documentId'>): string {
  const withFile = job.handleInputs.find((input) => input.filename);
  return withFile?.filename ?? job.documentId;
}
