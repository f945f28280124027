/**
 * Wire JSON of the flat generations (G2, G3): state under `lifecycle` (`status`, and `message`,
 * `details` or `reason`), times under `timing`, `block_type`. Results say `run_id` in G2 and
 * `experiment_run_id` from mid-June 2026; fingerprints were renamed to
 * `block_execution_fingerprint`. Both spellings are read, newer first.
 */
import { CancelledRun, Experiment, FRESHNESS_STATES, Freshness, JOB_STATUSES, Job, RUN_STATUSES, RunStatus, RunSummary, StartedRun } from '../models';
import {
  JsonObject,
  array,
  countOr0,
  enumOr,
  firstKey,
  isObject,
  numberOr,
  object,
  optionalId,
  optionalNumber,
  optionalObject,
  optionalString,
  optionalTimestamp,
  requiredEnum,
  requiredId,
} from '../validate';
import { blockKind, parseArtifactRef, parseExperimentCore, parseHandleInputs, parsePage } from './common';
import { JobsPage, LocatedRun } from './dialect';

interface Lifecycle<S extends string> {
  status: S;
  message: string | null;
}

function lifecycle<S extends string>(raw: JsonObject, path: string, statuses: readonly S[], unknown: S): Lifecycle<S> {
  const state = object(raw.lifecycle, `${path}.lifecycle`);
  const statePath = `${path}.lifecycle`;
  return {
    status: requiredEnum(state, 'status', statePath, statuses, unknown),
    message: optionalString(state, 'message', statePath) ?? optionalString(state, 'reason', statePath),
  };
}

/** `timing` may be absent on a freshly created row; top-level times are read as a fallback. */
function timing(raw: JsonObject, path: string): JsonObject {
  return optionalObject(raw, 'timing', path) ?? raw;
}

function timingPath(raw: JsonObject, path: string): string {
  return isObject(raw.timing) ? `${path}.timing` : path;
}

function parseFreshness(raw: JsonObject, path: string): Freshness | null {
  const nested = optionalObject(raw, 'freshness', path);
  const state = enumOr(
    raw,
    'freshness_state',
    path,
    FRESHNESS_STATES,
    nested ? enumOr(nested, 'status', `${path}.freshness`, FRESHNESS_STATES, 'unknown') : 'unknown',
  );
  const reasonsValue = raw.freshness_reasons ?? nested?.reasons;
  const reasons =
    reasonsValue === undefined || reasonsValue === null
      ? []
      : array(reasonsValue, `${path}.freshness_reasons`).filter((reason): reason is string => typeof reason === 'string');
  if (raw.freshness === undefined && raw.freshness_state === undefined && raw.freshness_reasons === undefined) {
    return null;
  }
  return { state, reasons };
}

export function parseFlatExperiment(value: unknown, path = 'experiment'): Experiment {
  const raw = object(value, path);
  const core = parseExperimentCore(raw, path);
  const freshness = parseFreshness(raw, path);
  const drift = optionalObject(raw, 'drift', path);
  return {
    ...core,
    isStale: core.isStale || freshness?.state === 'stale',
    schemaDriftDetail: core.schemaDriftDetail ?? (drift ? optionalString(drift, 'detail', `${path}.drift`) : null),
    freshness,
  };
}

export function parseFlatRun(value: unknown, path = 'run'): RunSummary {
  const raw = object(value, path);
  const state = lifecycle(raw, path, RUN_STATUSES, 'unknown');
  const times = timing(raw, path);
  const timesPath = timingPath(raw, path);
  const documentCount = countOr0(raw, 'document_count', path);
  return {
    id: requiredId(raw, 'id', path),
    experimentId: optionalId(raw, 'experiment_id', path),
    status: state.status,
    statusMessage: state.message,
    blockKind: blockKind(raw, path),
    score: optionalNumber(raw, 'score', path),
    documentCount,
    totalDocumentCount: optionalNumber(raw, 'total_document_count', path) ?? documentCount,
    completedDocumentCount: countOr0(raw, 'completed_document_count', path),
    errorCount: countOr0(raw, 'error_count', path),
    nConsensus: optionalNumber(raw, 'n_consensus', path),
    createdAt: optionalTimestamp(times, 'created_at', timesPath),
    startedAt: optionalTimestamp(times, 'started_at', timesPath),
    completedAt: optionalTimestamp(times, 'completed_at', timesPath),
    durationMs: optionalNumber(times, 'duration_ms', timesPath),
    definitionFingerprint: optionalString(raw, firstKey(raw, ['block_execution_fingerprint', 'definition_fingerprint']), path),
    blockVersionId: optionalId(raw, 'block_version_id', path),
    workflowVersionId: optionalId(raw, 'workflow_version_id', path) ?? workflowVersionOf(raw, path),
    documentsFingerprint: optionalString(raw, 'documents_fingerprint', path),
    parentRunId: optionalId(raw, 'parent_run_id', path),
    jobId: null,
  };
}

/** G2 names the workflow version inside a `workflow` reference. */
function workflowVersionOf(raw: JsonObject, path: string): string | null {
  const workflow = optionalObject(raw, 'workflow', path);
  return workflow ? optionalId(workflow, 'version_id', `${path}.workflow`) : null;
}

/** A run read by id carries where it belongs: `workflow_id`, or (G2) a `workflow` reference. */
export function parseFlatLocatedRun(value: unknown): LocatedRun {
  const run = parseFlatRun(value, 'response');
  const raw = object(value, 'response');
  const workflowRef = optionalObject(raw, 'workflow', 'response');
  const workflowId = optionalId(raw, 'workflow_id', 'response') ?? (workflowRef ? optionalId(workflowRef, 'id', 'response.workflow') : null);
  return { workflowId, experimentId: requiredId(raw, 'experiment_id', 'response'), run };
}

export function parseFlatResult(value: unknown, path = 'result'): Job {
  const raw = object(value, path);
  const state = lifecycle(raw, path, JOB_STATUSES, 'unknown');
  const times = timing(raw, path);
  const timesPath = timingPath(raw, path);
  return {
    raw,
    id: requiredId(raw, 'id', path),
    runId: requiredId(raw, firstKey(raw, ['experiment_run_id', 'run_id']), path),
    experimentId: requiredId(raw, 'experiment_id', path),
    documentId: requiredId(raw, 'document_id', path),
    status: state.status,
    blockKind: blockKind(raw, path),
    handleInputs: parseHandleInputs(raw, path),
    artifact: parseArtifactRef(raw, path),
    error: state.status === 'completed' ? null : state.message,
    durationMs: optionalNumber(times, 'duration_ms', timesPath),
    createdAt: optionalTimestamp(times, 'created_at', timesPath),
    startedAt: optionalTimestamp(times, 'started_at', timesPath),
    completedAt: optionalTimestamp(times, 'completed_at', timesPath),
    attempt: numberOr(raw, 'attempt', path, 0),
    isPlaceholder: false,
  };
}

/** A page of a run's results. The run and experiment come from the request: a page may be empty. */
export function parseFlatResultsPage(experimentId: string, runId: string): (value: unknown) => JobsPage {
  return (value) => {
    const page = parsePage(value, parseFlatResult);
    return { experimentId, runId, jobs: page.items, nextCursor: page.nextCursor };
  };
}

export function parseFlatStartedRun(value: unknown): StartedRun {
  const run = parseFlatRun(value, 'response');
  const raw = object(value, 'response');
  return {
    experimentId: requiredId(raw, 'experiment_id', 'response'),
    runId: run.id,
    status: run.status,
    documentCount: run.totalDocumentCount,
    nConsensus: run.nConsensus,
  };
}

export function parseFlatCancelledRun(value: unknown): CancelledRun {
  const raw = object(value, 'response');
  const state: Lifecycle<RunStatus> | null = isObject(raw.lifecycle) ? lifecycle(raw, 'response', RUN_STATUSES, 'unknown') : null;
  return { status: state?.status ?? 'cancelled', runId: optionalId(raw, 'id', 'response') };
}
