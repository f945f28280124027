/**
 * Wire JSON of the nested generations (G1, the seed's, and G1p): flat `status` and `error`
 * fields, timings at the top level, `block_kind`. Lists come as a bare array (`{runs: […]}` for
 * runs) in G1 and as `{data, list_metadata}` pages in G1p; both are read here, and the page
 * tells which one it was.
 */
import { CancelledRun, Experiment, JOB_STATUSES, Job, RUN_STATUSES, RunSummary, StartedRun } from '../models';
import {
  array,
  booleanOr,
  countOr0,
  enumOr,
  numberOr,
  object,
  optionalId,
  optionalNumber,
  optionalString,
  optionalTimestamp,
  requiredEnum,
  requiredId,
} from '../validate';
import { blockKind, parseArtifactRef, parseExperimentCore, parseHandleInputs, parsePage } from './common';
import { JobsPage, Page } from './dialect';

export function parseNestedExperiment(value: unknown, path = 'experiment'): Experiment {
  return { ...parseExperimentCore(object(value, path), path), freshness: null };
}

export function parseNestedRun(value: unknown, path = 'run'): RunSummary {
  const raw = object(value, path);
  const documentCount = countOr0(raw, 'document_count', path);
  return {
    id: requiredId(raw, 'id', path),
    experimentId: optionalId(raw, 'experiment_id', path),
    status: requiredEnum(raw, 'status', path, RUN_STATUSES, 'unknown'),
    statusMessage: optionalString(raw, 'error', path),
    blockKind: blockKind(raw, path),
    score: optionalNumber(raw, 'score', path),
    documentCount,
    totalDocumentCount: optionalNumber(raw, 'total_document_count', path) ?? documentCount,
    completedDocumentCount: countOr0(raw, 'completed_document_count', path),
    errorCount: countOr0(raw, 'error_count', path),
    nConsensus: optionalNumber(raw, 'n_consensus', path),
    createdAt: optionalTimestamp(raw, 'created_at', path),
    startedAt: optionalTimestamp(raw, 'started_at', path),
    completedAt: optionalTimestamp(raw, 'completed_at', path),
    durationMs: optionalNumber(raw, 'duration_ms', path),
    definitionFingerprint: optionalString(raw, 'definition_fingerprint', path),
    blockVersionId: null,
    workflowVersionId: null,
    documentsFingerprint: optionalString(raw, 'documents_fingerprint', path),
    parentRunId: optionalId(raw, 'parent_run_id', path),
    jobId: optionalString(raw, 'job_id', path),
  };
}

export function parseNestedJob(value: unknown, path = 'job'): Job {
  const raw = object(value, path);
  const isPlaceholder = booleanOr(raw, 'is_placeholder', path, false);
  return {
    raw,
    id: requiredId(raw, 'id', path),
    // A placeholder belongs to no run yet: its `run_id` may be empty.
    runId: isPlaceholder ? (optionalId(raw, 'run_id', path) ?? '') : requiredId(raw, 'run_id', path),
    experimentId: requiredId(raw, 'experiment_id', path),
    documentId: requiredId(raw, 'document_id', path),
    status: requiredEnum(raw, 'status', path, JOB_STATUSES, 'unknown'),
    blockKind: blockKind(raw, path),
    handleInputs: parseHandleInputs(raw, path),
    artifact: parseArtifactRef(raw, path),
    error: optionalString(raw, 'error', path),
    durationMs: optionalNumber(raw, 'duration_ms', path),
    createdAt: optionalTimestamp(raw, 'created_at', path),
    startedAt: optionalTimestamp(raw, 'started_at', path),
    completedAt: optionalTimestamp(raw, 'completed_at', path),
    attempt: numberOr(raw, 'attempt', path, 0),
    isPlaceholder,
  };
}

/** A bare array, `{runs: […]}`, or a page; an absent list is empty. */
export function parseNestedList<T>(value: unknown, wrapper: string | null, parseItem: (item: unknown, path: string) => T): Page<T> {
  if (Array.isArray(value)) {
    return { items: value.map((item, index) => parseItem(item, `response[${index}]`)), nextCursor: null, shape: 'array' };
  }
  const raw = object(value, 'response');
  if (wrapper !== null && raw.data === undefined) {
    const items = raw[wrapper] === undefined || raw[wrapper] === null ? [] : array(raw[wrapper], `response.${wrapper}`);
    return { items: items.map((item, index) => parseItem(item, `response.${wrapper}[${index}]`)), nextCursor: null, shape: 'array' };
  }
  return parsePage(value, parseItem);
}

/** `/content`: one job per document; placeholders before a first run. */
export function parseNestedContent(
  value: unknown,
  parseJob: (item: unknown, index: number) => Job = (item, index) => parseNestedJob(item, `response.content.jobs[${index}]`),
): JobsPage {
  const raw = object(value, 'response');
  const content = raw.content === undefined || raw.content === null ? {} : object(raw.content, 'response.content');
  const jobs = content.jobs === undefined || content.jobs === null ? [] : array(content.jobs, 'response.content.jobs');
  return {
    experimentId: requiredId(raw, 'experiment_id', 'response'),
    runId: optionalId(raw, 'run_id', 'response'),
    jobs: jobs.map((item, index) => parseJob(item, index)),
    nextCursor: null,
  };
}

export function parseNestedStartedRun(value: unknown): StartedRun {
  const raw = object(value, 'response');
  return {
    experimentId: requiredId(raw, 'experiment_id', 'response'),
    runId: requiredId(raw, 'run_id', 'response'),
    status: enumOr(raw, 'status', 'response', RUN_STATUSES, 'pending'),
    documentCount: optionalNumber(raw, 'total_document_count', 'response') ?? countOr0(raw, 'document_count', 'response'),
    nConsensus: optionalNumber(raw, 'n_consensus', 'response'),
  };
}

export function parseNestedCancelledRun(value: unknown): CancelledRun {
  const raw = object(value, 'response');
  return {
    status: optionalString(raw, 'status', 'response') ?? 'cancelled',
    runId: optionalId(raw, 'run_id', 'response'),
  };
}
