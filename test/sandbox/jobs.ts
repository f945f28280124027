import { DocumentSeed, ExperimentSeed, MetricsState, RunSeed } from './data';
import { FAMILIES } from './families';
import { FailureContext, failureMessage, hostileFailure, pickCause } from './failures';
import { handleInputs } from './inputs';
import { Rng, hex16, intBetween, rngFor } from './prng';
import { ArtifactOperation, Consensus, JobJson, JobStatus, RunStatus, iso } from './wire';

/**
 * Runs and the jobs in them. A run's jobs follow a timeline fixed when the run is created (when
 * each starts and ends, and how each ends); what a request sees is that timeline read at an
 * instant. Seeded runs are read at a frozen instant (a snapshot), runs started in the sandbox at
 * the wall clock, so they progress without any timer.
 */

/** Documents tests expect to succeed wherever they run. */
const RELIABLE_DOCUMENT_IDS: ReadonlySet<string> = new Set(['expdoc_inv_001']);

export interface RunRecord {
  id: string;
  experiment: ExperimentSeed;
  seed: RunSeed | null;
  nConsensus: Consensus;
  createdAt: number;
  definition: string;
  /** The definition the parent run used: skipped documents keep the result they had there. */
  parentDefinition: string | null;
  documents: readonly DocumentSeed[];
  parentRunId: string | null;
  jobId: string;
  errorRate: number;
  errorDocumentIds: ReadonlySet<string>;
  /** Documents a retry run does not run again because they had not failed. */
  skippedDocumentIds: ReadonlySet<string>;
  metrics: MetricsState;
  /** Multiplies the timeline of runs started in the sandbox; 1 makes them last a few seconds. */
  timeScale: number;
  /** Set when the run is cancelled through the API. */
  cancelledAt: number | null;
}

export interface Outcome {
  status: 'completed' | 'error' | 'skipped';
  error: string | null;
  attempt: number;
  score: number | null;
  artifact: { operation: ArtifactOperation; id: string } | null;
}

export interface RunPlan {
  starts: Float64Array;
  ends: Float64Array;
  outcomes: readonly Outcome[];
  jobIds: readonly string[];
  /** The instant a seeded run's snapshot shows; null for sandbox runs, which are read at the wall clock. */
  frozenAt: number | null;
  /** When a seeded cancelled run was cancelled. */
  seededCancelAt: number | null;
}

export interface RunView {
  status: RunStatus;
  /** In the nested generations' shape (G1's handle inputs); the other generations derive theirs from these. */
  jobs: JobJson[];
  errorCount: number;
  /** Documents whose job has finished: completed, failed or skipped. */
  finishedCount: number;
  /** When the first job started; null while none has. */
  startedAt: number | null;
  completedAt: number | null;
  score: number | null;
  /** Per document: the score of its result in this run, null when it has none. */
  scores: ReadonlyMap<string, number | null>;
}

export const ARTIFACT_PREFIX: Readonly<Record<ArtifactOperation, string>> = {
  extraction: 'ext',
  classification: 'cls',
  split: 'spl',
  partition: 'prt',
  parse: 'prs',
  edit: 'edt',
};

export function jobIdOf(runId: string, documentId: string): string {
  return `expjob_${hex16(`${runId}/${documentId}`)}`;
}

/** The flat generations' id of a per-document result: derived from its job (`expjob_x` → `expresult_x`). */
export function resultIdOf(jobId: string): string {
  return `expresult_${jobId.slice(jobId.indexOf('_') + 1)}`;
}

function operationOf(experiment: ExperimentSeed): ArtifactOperation {
  switch (experiment.blockKind) {
    case 'extract':
      return 'extraction';
    case 'classifier':
      return 'classification';
    case 'split':
      return 'split';
    case 'for_each':
      return experiment.forEachOperation;
  }
}

/**
 * A document's score in a run: mostly decided by the definition and how hard the document is,
 * plus a little run-to-run noise, as two runs of one definition never agree exactly.
 */
export function documentScore(experiment: ExperimentSeed, definition: string, runId: string, documentId: string): number {
  const quality = 0.72 + 0.22 * rngFor('quality', definition)();
  const difficulty = rngFor('difficulty', experiment.id, documentId)();
  const noise = rngFor('noise', definition, documentId)() * 0.8 + rngFor('noise', runId, documentId)() * 0.2;
  if (experiment.blockKind === 'classifier') {
    return noise < quality + (0.5 - difficulty) * 0.3 ? 1 : 0;
  }
  const score = quality + (0.5 - difficulty) * 0.35 + (noise - 0.5) * 0.12;
  return Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000;
}

export function buildPlan(record: RunRecord): RunPlan {
  const count = record.documents.length;
  const starts = new Float64Array(count);
  const ends = new Float64Array(count);
  const outcomes: Outcome[] = [];
  const jobIds: string[] = [];
  const seed = record.seed;
  const outageFrom = seed?.status === 'error' ? Math.floor(seed.progress * count) : null;
  const sandbox = seed === null;
  const scale = sandbox ? record.timeScale : 1;
  const concurrency = sandbox ? Math.max(4, Math.ceil(count / 8)) : count >= 1000 ? 32 : 8;
  const slots = new Array<number>(concurrency).fill(record.createdAt + (sandbox ? 400 : 1000 + intBetween(rngFor('delay', record.id), 0, 2000)) * scale);
  for (let index = 0; index < count; index++) {
    const document = record.documents[index];
    const jobId = jobIdOf(record.id, document.id);
    const rng = rngFor('outcome', record.id, document.id);
    const outcome = decideOutcome(record, document, index, outageFrom, jobId, rng);
    jobIds.push(jobId);
    outcomes.push(outcome);
    if (outcome.status === 'skipped') {
      starts[index] = ends[index] = record.createdAt;
      continue;
    }
    const slot = index % concurrency;
    const outage = outageFrom !== null && index >= outageFrom;
    const duration = sandbox
      ? intBetween(rng, 200, 900) * scale
      : outage
        ? intBetween(rng, 300, 2500)
        : Math.round(intBetween(rng, 1500, 9000) * (0.6 + record.nConsensus / 10));
    starts[index] = slots[slot];
    ends[index] = slots[slot] + duration;
    slots[slot] = ends[index] + (sandbox ? 0 : intBetween(rng, 50, 400));
  }
  return { starts, ends, outcomes, jobIds, ...snapshotInstants(seed, record, ends) };
}

function snapshotInstants(seed: RunSeed | null, record: RunRecord, ends: Float64Array): Pick<RunPlan, 'frozenAt' | 'seededCancelAt'> {
  if (seed === null) {
    return { frozenAt: null, seededCancelAt: null };
  }
  const sorted = Array.from(ends).sort((a, b) => a - b);
  // Just before the job that ends after `progress` of them: that job is still running then.
  const partWay = (sorted[Math.min(sorted.length - 1, Math.floor(seed.progress * sorted.length))] ?? record.createdAt) - 1;
  switch (seed.status) {
    case 'pending':
      return { frozenAt: record.createdAt, seededCancelAt: null };
    case 'running':
      return { frozenAt: partWay, seededCancelAt: null };
    case 'cancelled':
      return { frozenAt: Number.POSITIVE_INFINITY, seededCancelAt: partWay };
    case 'completed':
    case 'error':
      return { frozenAt: Number.POSITIVE_INFINITY, seededCancelAt: null };
  }
}

function decideOutcome(record: RunRecord, document: DocumentSeed, index: number, outageFrom: number | null, jobId: string, rng: Rng): Outcome {
  const experiment = record.experiment;
  if (record.skippedDocumentIds.has(document.id)) {
    const scoredIn = record.parentRunId ?? record.id;
    return {
      status: 'skipped',
      error: null,
      attempt: 0,
      score: documentScore(experiment, record.parentDefinition ?? record.definition, scoredIn, document.id),
      artifact: null,
    };
  }
  const retried = record.parentRunId !== null ? 1 : 0;
  const context: FailureContext = {
    runId: record.id,
    documentId: document.id,
    jobId,
    nConsensus: record.nConsensus,
    schema: FAMILIES[experiment.family].schema,
    blockKind: experiment.blockKind,
  };
  let error: string | null = null;
  let attempt = retried + (rng() < 0.05 ? 1 : 0);
  if (RELIABLE_DOCUMENT_IDS.has(document.id)) {
    error = null;
  } else if (experiment.hostile && record.errorDocumentIds.has(document.id)) {
    error = hostileFailure(context, index === 0 ? 0 : 1);
  } else if (record.errorDocumentIds.has(document.id)) {
    error = failureMessage(pickCause(rng), context, rng, true);
  } else if (outageFrom !== null && index >= outageFrom) {
    error = failureMessage('outage', context, rng, true);
  } else if (rng() < record.errorRate) {
    const cause = pickCause(rng);
    attempt = retried + (cause === 'timeout' || cause === 'rate_limit' ? 2 : 0);
    error = failureMessage(cause, context, rng, rng() < 0.85);
  }
  if (error !== null) {
    return { status: 'error', error, attempt, score: null, artifact: null };
  }
  const operation = operationOf(experiment);
  return {
    status: 'completed',
    error: null,
    attempt,
    score: documentScore(experiment, record.definition, record.id, document.id),
    artifact: { operation, id: `${ARTIFACT_PREFIX[operation]}_${hex16(jobId)}` },
  };
}

/** Reads the run's timeline at `now` (the wall clock; frozen runs ignore it). */
export function viewRun(record: RunRecord, plan: RunPlan, now: number): RunView {
  const at = plan.frozenAt ?? now;
  const cancelledAt = record.cancelledAt ?? plan.seededCancelAt;
  const cancelled = cancelledAt !== null && cancelledAt <= at;
  const experiment = record.experiment;
  const jobs: JobJson[] = [];
  const scores = new Map<string, number | null>();
  let errorCount = 0;
  let executed = 0;
  let unfinished = 0;
  let started = 0;
  let finishedCount = 0;
  let firstStart: number | null = null;
  let scoreSum = 0;
  let scored = 0;
  let lastEnd = record.createdAt;
  const createdAt = iso(record.createdAt);
  for (let index = 0; index < record.documents.length; index++) {
    const document = record.documents[index];
    const outcome = plan.outcomes[index];
    const start = plan.starts[index];
    const end = plan.ends[index];
    let status: JobStatus;
    if (outcome.status === 'skipped') {
      status = 'skipped';
    } else if (end <= at && (!cancelled || end <= (cancelledAt ?? at))) {
      status = outcome.status;
    } else if (cancelled) {
      status = 'cancelled';
    } else {
      status = start <= at ? 'running' : 'pending';
    }
    const finished = status === 'completed' || status === 'error';
    const endedAt = finished ? end : status === 'cancelled' ? (cancelledAt ?? at) : status === 'skipped' ? record.createdAt : null;
    const hasStarted = finished || status === 'running' || (status === 'cancelled' && endedAt !== null && start <= endedAt);
    if (status === 'error') {
      errorCount++;
    }
    if (finished) {
      executed++;
      lastEnd = Math.max(lastEnd, end);
    }
    if (status === 'pending' || status === 'running') {
      unfinished++;
    }
    if (hasStarted) {
      started++;
      firstStart = firstStart === null ? start : Math.min(firstStart, start);
    }
    if (finished || status === 'skipped') {
      finishedCount++;
    }
    const score = status === 'completed' || status === 'skipped' ? outcome.score : null;
    scores.set(document.id, score);
    if (score !== null) {
      scoreSum += score;
      scored++;
    }
    jobs.push({
      id: plan.jobIds[index],
      run_id: record.id,
      experiment_id: experiment.id,
      document_id: document.id,
      status,
      block_kind: experiment.blockKind,
      handle_inputs: handleInputs(document, 'g1'),
      artifact: status === 'completed' ? outcome.artifact : null,
      error: status === 'error' ? outcome.error : null,
      duration_ms: hasStarted && endedAt !== null ? Math.round(endedAt - start) : null,
      attempt: outcome.attempt,
      is_placeholder: false,
      created_at: createdAt,
      started_at: hasStarted ? iso(start) : null,
      completed_at: endedAt === null ? null : iso(endedAt),
    });
  }
  let status: RunStatus;
  let completedAt: number | null = null;
  if (cancelled) {
    status = 'cancelled';
    completedAt = cancelledAt;
  } else if (unfinished > 0) {
    status = started > 0 ? 'running' : 'pending';
  } else {
    // A run fails as a whole when at least half of what it ran failed (an outage, a broken definition).
    status = executed > 0 && errorCount * 2 >= executed ? 'error' : 'completed';
    completedAt = lastEnd;
  }
  return {
    status,
    jobs,
    errorCount,
    finishedCount,
    startedAt: firstStart,
    completedAt,
    score: status === 'completed' && scored > 0 ? Math.round((scoreSum / scored) * 10_000) / 10_000 : null,
    scores,
  };
}

/**
 * Before an experiment's first run: one placeholder job per document. The SDKs type a job's
 * `run_id` (and the content's) as a required string, so a placeholder's is empty rather than null.
 */
export function placeholderJobs(experiment: ExperimentSeed): JobJson[] {
  return experiment.documents.map((document) => ({
    id: `expjob_${hex16(`placeholder/${experiment.id}/${document.id}`)}`,
    run_id: '',
    experiment_id: experiment.id,
    document_id: document.id,
    status: 'pending',
    block_kind: experiment.blockKind,
    handle_inputs: handleInputs(document, 'g1'),
    artifact: null,
    error: null,
    duration_ms: null,
    attempt: 0,
    is_placeholder: true,
    created_at: null,
    started_at: null,
    completed_at: null,
  }));
}
