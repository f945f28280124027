import { ArtifactSource, artifactRecord } from './artifacts';
import { Catalog, ExperimentSeed, RunSeed, buildCatalog } from './data';
import { ApiGeneration } from './generations';
import { ARTIFACT_PREFIX, RunPlan, RunRecord, RunView, buildPlan, viewRun } from './jobs';
import { CellMaker, DocumentState } from './fields';
import { MetricsHost, MetricsRequest, RunFieldIndex, ScoredRun, buildIndex, buildMakers, documentStates, metricsResponse } from './metrics';
import { hex16, opaqueId } from './prng';
import { ArtifactOperation, Consensus, ExperimentStatus, RunStatus } from './wire';

/**
 * The sandbox's state: the seeded catalogue plus what requests changed (runs started and
 * cancelled). `reset()` forgets the changes. Timelines and finished views are cached because
 * they never change: that is what keeps a 5,000-document run fast.
 */

export interface StoreOptions {
  clock: () => number;
  timeScale: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; status: number; code: string; message: string };

const EXPERIMENT_STATUS: Readonly<Record<RunStatus, ExperimentStatus>> = {
  pending: 'processing',
  running: 'processing',
  completed: 'completed',
  error: 'failed',
  cancelled: 'cancelled',
};

/** Artifacts tests can name without reading a job first. */
const FIXED_ARTIFACTS: ReadonlyMap<string, { runId: string; documentId: string }> = new Map([
  ['prs_invoice_q1', { runId: 'exprun_inv_6', documentId: 'expdoc_inv_001' }],
  ['edt_invoice_q1', { runId: 'exprun_inv_6', documentId: 'expdoc_inv_001' }],
]);

/**
 * What never changes about a run: its timeline, and once settled its view, serialised content
 * (keyed `api:runId`), its documents' metrics states, its metrics index and metrics bodies
 * (keyed `runId|…`).
 */
class RunCache {
  readonly plans = new Map<string, RunPlan>();
  readonly views = new Map<string, RunView>();
  readonly bodies = new Map<string, string>();
  readonly states = new Map<string, Array<DocumentState | null>>();
  readonly makers = new Map<string, Array<CellMaker | null>>();
  readonly indexes = new Map<string, RunFieldIndex>();
}

/** A run started through the API, and what the generations answer about it. */
export interface StartedRun {
  record: RunRecord;
  /** The latest completed run before it: the SDKs' `previous_run`. */
  previousCompleted: RunRecord | undefined;
}

/** The catalogue and seeded runs are the same in every sandbox of a process (until one cancels a run), so they are built once. */
let sharedCatalog: Catalog | undefined;
const pristine = new RunCache();

/** The id of a seeded block version: version `version` of the block's definitions (blocks/sandboxBlocks.ts uses the same). */
export function seededBlockVersionId(blockId: string, version: number): string {
  return `bver_${hex16(`${blockId}/${version}`)}`;
}

export class SandboxStore {
  readonly catalog: Catalog;
  /** Runs started in this sandbox, and seeded runs it cancelled. */
  private own = new RunCache();
  /** Artifact id without its prefix → the job that produced it. */
  private readonly artifactIndex = new Map<string, { runId: string; index: number }>();
  /** Job id without its prefix (= result id without its prefix) → its run and position. */
  private readonly jobIndex = new Map<string, { runId: string; index: number }>();
  private readonly indexedRuns = new Set<string>();
  private runsByExperiment = new Map<string, RunRecord[]>();
  private runById = new Map<string, RunRecord>();
  private fullyIndexed = false;
  /** Edited blocks' definitions, by experiment (blocks/sandboxBlocks.ts): what the next run uses. */
  private readonly blockDefinitions = new Map<string, string>();
  private readonly editedVersions = new Map<string, string>();
  /** Never reset: a run id is never reused within a process, so clients' caches cannot mix two runs up. */
  private startedRuns = 0;

  constructor(private readonly options: StoreOptions) {
    // The catalogue is immutable, so sandboxes in one process share it.
    sharedCatalog ??= buildCatalog();
    this.catalog = sharedCatalog;
    this.reset();
  }

  /** The definition a run of the experiment would use now: the edited block's, else the seed's. */
  currentDefinitionOf(experiment: ExperimentSeed): string {
    return this.blockDefinitions.get(experiment.id) ?? experiment.currentDefinition;
  }

  /** An edit of the experiment's block: its definition from now on, and the block version it is. */
  setBlockDefinition(experimentId: string, definition: string, blockVersionId: string): void {
    this.blockDefinitions.set(experimentId, definition);
    this.editedVersions.set(`${experimentId} ${definition}`, blockVersionId);
  }

  clearBlockDefinitions(): void {
    this.blockDefinitions.clear();
    this.editedVersions.clear();
  }

  /** The block version a run used (`block_version_id`): a seeded definition's, or an edit's; null when unknown. */
  blockVersionIdOf(record: RunRecord): string | null {
    const experiment = record.experiment;
    const edited = this.editedVersions.get(`${experiment.id} ${record.definition}`);
    if (edited) {
      return edited;
    }
    const version = experiment.definitionVersions.get(record.definition);
    return version === undefined ? null : seededBlockVersionId(experiment.blockId, version);
  }

  reset(): void {
    for (const record of this.runById.values()) {
      if (!record.seed) {
        this.forget(record.id);
      }
    }
    this.own = new RunCache();
    this.runsByExperiment = new Map();
    this.runById = new Map();
    for (const experiment of this.catalog.experimentById.values()) {
      const records: RunRecord[] = [];
      for (const seed of experiment.runs) {
        const record = this.seededRecord(experiment, seed, records[records.length - 1]);
        records.push(record);
        this.runById.set(record.id, record);
      }
      this.runsByExperiment.set(experiment.id, records);
    }
  }

  private forget(runId: string): void {
    this.indexedRuns.delete(runId);
    for (const index of [this.artifactIndex, this.jobIndex]) {
      for (const [key, entry] of index) {
        if (entry.runId === runId) {
          index.delete(key);
        }
      }
    }
  }

  private seededRecord(experiment: ExperimentSeed, seed: RunSeed, previous: RunRecord | undefined): RunRecord {
    const record: RunRecord = {
      id: seed.id,
      experiment,
      seed,
      nConsensus: seed.nConsensus,
      createdAt: seed.createdAt,
      definition: seed.definition,
      parentDefinition: null,
      documents: experiment.documents.slice(0, seed.documentCount),
      parentRunId: seed.parentRunId,
      jobId: seed.jobId,
      errorRate: seed.errorRate,
      errorDocumentIds: new Set(seed.errorDocumentIds),
      skippedDocumentIds: new Set(),
      metrics: seed.metrics,
      timeScale: 1,
      cancelledAt: null,
    };
    if (seed.retryFailedOnly && previous) {
      record.parentDefinition = previous.definition;
      record.skippedDocumentIds = notFailed(this.view(previous));
    }
    return record;
  }

  /** Builds the big runs' views and metrics indexes ahead of the first request for them, which must be fast (once per process). */
  warm(build: (experiment: ExperimentSeed, record: RunRecord) => void): void {
    for (const experiment of this.catalog.experimentById.values()) {
      // The 50,000-document run is built on its first request: warming it would cost every test process.
      if (experiment.documents.length >= 1000 && experiment.documents.length <= 10_000) {
        for (const record of this.runsOf(experiment)) {
          const view = this.view(record);
          if (view.status === 'completed') {
            this.metricsHost.index({ record, view });
          }
          build(experiment, record);
        }
      }
    }
  }

  /** How much slower than real time runs progress (evals runs follow it too). */
  get timeScale(): number {
    return this.options.timeScale;
  }

  now(): number {
    return this.options.clock();
  }

  experimentsOf(workflowId: string): readonly ExperimentSeed[] | undefined {
    return this.catalog.experimentsByWorkflow.get(workflowId);
  }

  experiment(workflowId: string, experimentId: string): ExperimentSeed | undefined {
    const experiment = this.catalog.experimentById.get(experimentId);
    return experiment?.workflowId === workflowId ? experiment : undefined;
  }

  /** Oldest first. */
  runsOf(experiment: ExperimentSeed): readonly RunRecord[] {
    return this.runsByExperiment.get(experiment.id) ?? [];
  }

  run(experiment: ExperimentSeed, runId: string): RunRecord | undefined {
    const record = this.runById.get(runId);
    return record?.experiment === experiment ? record : undefined;
  }

  /** A run by its id alone (the flat generations address runs so). */
  findRun(runId: string): RunRecord | undefined {
    return this.runById.get(runId);
  }

  /** Every run of every experiment, in no particular order. */
  allRuns(): RunRecord[] {
    return [...this.runById.values()];
  }

  latest(experiment: ExperimentSeed): RunRecord | undefined {
    const runs = this.runsOf(experiment);
    return runs[runs.length - 1];
  }

  /** The newest completed run before `before` (or before none: the newest of all). */
  previousCompleted(experiment: ExperimentSeed, before?: RunRecord): RunRecord | undefined {
    const runs = this.runsOf(experiment);
    const end = before ? runs.indexOf(before) : runs.length;
    return runs
      .slice(0, Math.max(0, end))
      .reverse()
      .find((candidate) => this.view(candidate).status === 'completed');
  }

  /** Where a run's settled view and content are kept: shared while a seeded run is as seeded. */
  private cacheOf(record: RunRecord): RunCache {
    return record.seed && record.cancelledAt === null ? pristine : this.own;
  }

  private plan(record: RunRecord): RunPlan {
    // Cancelling does not change a timeline, so seeded runs' plans are always shared.
    const plans = record.seed ? pristine.plans : this.own.plans;
    let plan = plans.get(record.id);
    if (!plan) {
      plan = buildPlan(record);
      plans.set(record.id, plan);
    }
    if (!this.indexedRuns.has(record.id)) {
      this.indexedRuns.add(record.id);
      plan.outcomes.forEach((outcome, index) => {
        if (outcome.artifact) {
          this.artifactIndex.set(outcome.artifact.id.slice(outcome.artifact.id.indexOf('_') + 1), { runId: record.id, index });
        }
      });
      plan.jobIds.forEach((jobId, index) => this.jobIndex.set(jobId.slice(jobId.indexOf('_') + 1), { runId: record.id, index }));
    }
    return plan;
  }

  view(record: RunRecord): RunView {
    const cache = this.cacheOf(record);
    const settled = cache.views.get(record.id);
    if (settled) {
      return settled;
    }
    const plan = this.plan(record);
    const view = viewRun(record, plan, this.now());
    // Seeded runs show a frozen instant, and finished runs never change: both can be kept.
    if (plan.frozenAt !== null || isTerminal(view.status)) {
      cache.views.set(record.id, view);
    }
    return view;
  }

  /** The latest run's view, and what the experiment's public status is. */
  experimentState(experiment: ExperimentSeed): { latest: RunRecord | undefined; view: RunView | undefined; status: ExperimentStatus } {
    const latest = this.latest(experiment);
    const view = latest && this.view(latest);
    return { latest, view, status: view ? EXPERIMENT_STATUS[view.status] : 'draft' };
  }

  /**
   * A run's serialised content in one generation's shape, cached once the run is settled: a
   * 5,000-job body is built once and then served as is.
   */
  cachedBody(api: ApiGeneration, record: RunRecord, build: (view: RunView) => string): string {
    const cache = this.cacheOf(record);
    const key = `${api}:${record.id}`;
    const cached = cache.bodies.get(key);
    if (cached !== undefined) {
      return cached;
    }
    const view = this.view(record);
    const body = build(view);
    if (cache.views.get(record.id) === view) {
      cache.bodies.set(key, body);
    }
    return body;
  }

  /** A job (a result, in the flat generations) by its id's suffix: `expjob_x` and `expresult_x` both name `x`. */
  jobById(id: string): { record: RunRecord; index: number } | undefined {
    const key = id.slice(id.indexOf('_') + 1);
    let entry = this.jobIndex.get(key);
    if (!entry && !this.fullyIndexed) {
      this.indexAll();
      entry = this.jobIndex.get(key);
    }
    const record = entry && this.runById.get(entry.runId);
    return entry && record ? { record, index: entry.index } : undefined;
  }

  private indexAll(): void {
    // Sandbox runs are planned when they start, so once every seeded run is planned the indexes are complete.
    for (const record of this.runById.values()) {
      this.plan(record);
    }
    this.fullyIndexed = true;
  }

  /**
   * `/metrics` of a run, serialised: any view, or the envelope that says why there are none.
   * The prior is `prior_run_id` (a run of the same experiment) or the latest completed run before.
   */
  metrics(api: ApiGeneration, record: RunRecord, request: MetricsRequest): Result<string> {
    let prior: RunRecord | undefined;
    if (request.priorRunId !== null) {
      prior = this.run(record.experiment, request.priorRunId);
      if (!prior) {
        return {
          ok: false,
          status: 404,
          code: 'prior_run_not_found',
          message: `Prior run ${request.priorRunId} not found in experiment ${record.experiment.id}`,
        };
      }
    } else {
      prior = this.previousCompleted(record.experiment, record);
    }
    const scored = (run: RunRecord): ScoredRun => ({ record: run, view: this.view(run) });
    const outcome = metricsResponse(
      { api, host: this.metricsHost, run: scored(record), prior: request.includePrior && prior ? scored(prior) : null, includePrior: request.includePrior },
      request,
    );
    return outcome.status === 200 ? { ok: true, value: outcome.body } : { ok: false, status: outcome.status, code: 'not_found', message: outcome.detail };
  }

  /** Runs' metrics states, indexes and bodies, kept while the run's view is (a settled run's for good). */
  private readonly metricsHost: MetricsHost = {
    currentDefinition: (experiment) => this.currentDefinitionOf(experiment),
    states: (run) =>
      this.keep(
        run,
        (cache) => cache.states,
        () => documentStates(run, (runId) => this.runById.get(runId)?.nConsensus ?? run.record.nConsensus),
      ),
    makers: (run) =>
      this.keep(
        run,
        (cache) => cache.makers,
        () => buildMakers(run, this.metricsHost.states(run)),
      ),
    index: (run) =>
      this.keep(
        run,
        (cache) => cache.indexes,
        () => buildIndex(run, this.metricsHost.states(run), this.metricsHost.makers(run)),
      ),
    cachedBody: (run, key, build) => this.keep(run, (cache) => cache.bodies, build, `${run.record.id}|${key}`),
  };

  private keep<T>(run: ScoredRun, pick: (cache: RunCache) => Map<string, T>, build: () => T, key = run.record.id): T {
    const cache = this.cacheOf(run.record);
    const settled = cache.views.get(run.record.id) === run.view;
    const map = pick(cache);
    const kept = settled ? map.get(key) : undefined;
    if (kept !== undefined) {
      return kept;
    }
    const value = build();
    if (settled) {
      map.set(key, value);
    }
    return value;
  }

  startRun(experiment: ExperimentSeed, request: { nConsensus?: Consensus; retryFailedOnly: boolean }): Result<StartedRun> {
    const latest = this.latest(experiment);
    const latestView = latest && this.view(latest);
    if (latest && latestView && !isTerminal(latestView.status)) {
      return {
        ok: false,
        status: 409,
        code: 'run_in_progress',
        message: `Run ${latest.id} is still ${latestView.status}; cancel it or wait for it to finish.`,
      };
    }
    if (request.retryFailedOnly && (!latestView || latestView.errorCount === 0)) {
      return {
        ok: false,
        status: 409,
        code: 'nothing_to_retry',
        message: latest ? `The latest run ${latest.id} has no failed documents to retry.` : 'The experiment has never run, so nothing failed.',
      };
    }
    const previousCompleted = this.previousCompleted(experiment);
    this.startedRuns++;
    const id = opaqueId('exprun', `sandbox/${experiment.id}/${this.startedRuns}`);
    const record: RunRecord = {
      id,
      experiment,
      seed: null,
      nConsensus: request.nConsensus ?? latest?.nConsensus ?? experiment.nConsensus,
      createdAt: this.now(),
      definition: this.currentDefinitionOf(experiment),
      parentDefinition: request.retryFailedOnly && latest ? latest.definition : null,
      documents: experiment.documents,
      parentRunId: request.retryFailedOnly && latest ? latest.id : null,
      jobId: `job_${hex16(`${id}/job`)}`,
      errorRate: request.retryFailedOnly ? 0.3 : 0.08,
      errorDocumentIds: new Set(),
      skippedDocumentIds: request.retryFailedOnly && latestView ? notFailed(latestView) : new Set(),
      metrics: 'ok',
      timeScale: this.options.timeScale,
      cancelledAt: null,
    };
    this.runsByExperiment.get(experiment.id)?.push(record);
    this.runById.set(id, record);
    this.view(record);
    return { ok: true, value: { record, previousCompleted } };
  }

  /** The nested generations' cancel: the experiment's active run, if any (the SDK documents 404 when none). */
  cancel(experiment: ExperimentSeed): Result<RunRecord> {
    const latest = this.latest(experiment);
    if (!latest || isTerminal(this.view(latest).status)) {
      return { ok: false, status: 404, code: 'no_active_run', message: `Experiment ${experiment.id} has no pending or running run to cancel.` };
    }
    return { ok: true, value: this.cancelNow(latest) };
  }

  /**
   * The flat generations' cancel, by run: idempotent on a cancelled run, 404 on one that completed
   * or failed (as the G3 SDK documents).
   */
  cancelRun(record: RunRecord): Result<RunRecord> {
    const status = this.view(record).status;
    if (status === 'cancelled') {
      return { ok: true, value: record };
    }
    if (isTerminal(status)) {
      return {
        ok: false,
        status: 404,
        code: 'run_not_cancellable',
        message: `Run ${record.id} already ended (${status}); only a pending, queued or running run can be cancelled.`,
      };
    }
    return { ok: true, value: this.cancelNow(record) };
  }

  private cancelNow(record: RunRecord): RunRecord {
    // A seeded run shows a frozen instant; it is cancelled at that instant so its jobs stay consistent.
    record.cancelledAt = this.plan(record).frozenAt ?? this.now();
    return record;
  }

  artifact(api: ApiGeneration, operation: ArtifactOperation, id: string): Record<string, unknown> | undefined {
    const prefix = `${ARTIFACT_PREFIX[operation]}_`;
    if (!id.startsWith(prefix)) {
      return undefined;
    }
    const source = this.artifactSource(id, id.slice(prefix.length));
    if (!source) {
      return undefined;
    }
    const produced = this.plan(source.record).outcomes[source.index].artifact;
    // Parses and edits accompany any artifact; the others must be what the job produced.
    const derived = operation === 'parse' || operation === 'edit';
    if (!produced || (!derived && produced.operation !== operation)) {
      return undefined;
    }
    return artifactRecord(operation, id, source, api);
  }

  /** The finished job behind an extraction id (`ext_…`): what its sources are read from. */
  extractionSource(id: string): ArtifactSource | undefined {
    const prefix = `${ARTIFACT_PREFIX.extraction}_`;
    if (!id.startsWith(prefix) || !this.artifact('g3', 'extraction', id)) {
      return undefined;
    }
    return this.artifactSource(id, id.slice(prefix.length));
  }

  /** `/workflows/artifacts/{id}`: the operation is read from the id's prefix. */
  artifactById(api: ApiGeneration, id: string): Record<string, unknown> | undefined {
    const prefix = id.slice(0, id.indexOf('_'));
    const operation = (Object.keys(ARTIFACT_PREFIX) as ArtifactOperation[]).find((candidate) => ARTIFACT_PREFIX[candidate] === prefix);
    const record = operation && this.artifact(api, operation, id);
    return record && operation ? { operation, ...record } : undefined;
  }

  private artifactSource(id: string, key: string): ArtifactSource | undefined {
    const fixed = FIXED_ARTIFACTS.get(id);
    let entry: { runId: string; index: number } | undefined;
    if (fixed) {
      const index = this.runById.get(fixed.runId)?.documents.findIndex((document) => document.id === fixed.documentId) ?? -1;
      entry = index >= 0 ? { runId: fixed.runId, index } : undefined;
    } else {
      entry = this.artifactIndex.get(key);
      if (!entry && !this.fullyIndexed) {
        this.indexAll();
        entry = this.artifactIndex.get(key);
      }
    }
    const record = entry && this.runById.get(entry.runId);
    if (!entry || !record) {
      return undefined;
    }
    const job = this.view(record).jobs[entry.index];
    if (job.status !== 'completed') {
      return undefined;
    }
    return { record, index: entry.index, jobId: job.id, completedAt: this.plan(record).ends[entry.index] };
  }
}

function isTerminal(status: RunStatus): boolean {
  return status === 'completed' || status === 'error' || status === 'cancelled';
}

function notFailed(view: RunView): Set<string> {
  return new Set(view.jobs.filter((job) => job.status !== 'error').map((job) => job.document_id));
}
